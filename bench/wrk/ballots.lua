-- POST /vote with a new X-Voter-Id on every request, so each vote is a real, unique ballot; or,
-- for an invited round, a new invitation code from a file on every request.
-- Arguments: <round id> <method: plurality|ranked> <run label, unique per run>
--            [<file of invitation codes, one per line> <number of threads>]
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  round_id = args[1]
  method = args[2]
  run_label = args[3]
  sent = 0
  codes = nil
  if args[4] ~= nil and args[4] ~= "" then
    -- Each thread takes every threads-th code, starting at its own: no code is sent twice.
    local threads = tonumber(args[5])
    codes = {}
    local index = 0
    for line in io.lines(args[4]) do
      if index % threads == thread_id - 1 then codes[#codes + 1] = line end
      index = index + 1
    end
  end
end

local rankings = { "[1,2,3,4,5]", "[2,3,1,5,4]", "[3,1,2]", "[5,4,3,2,1]", "[4,2]" }

function request()
  sent = sent + 1
  local body
  if method == "ranked" then
    body = '{"round_id":"' .. round_id .. '","ranking":' .. rankings[(sent % 5) + 1] .. '}'
  else
    body = '{"round_id":"' .. round_id .. '","option_id":' .. ((sent % 3) + 1) .. '}'
  end
  local headers = { ["Content-Type"] = "application/json" }
  if codes then
    headers["X-Invitation-Code"] = codes[sent] or "codes-exhausted"
  else
    headers["X-Voter-Id"] = run_label .. "-" .. thread_id .. "-" .. sent
  end
  return wrk.format("POST", "/vote", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end

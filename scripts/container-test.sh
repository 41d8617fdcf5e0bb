#!/usr/bin/env bash
# The slow deployment proof: builds the four images (vote, result, worker, db) with podman and
# runs them together, as a platform team would before shipping them.
#
#   1. the db image comes up empty (it runs no migrations); the migration runner from the vote
#      image applies every migration, and a second run applies none;
#   2. vote, result and worker answer /readyz; the image HEALTHCHECK passes;
#   3. a vote round trip through the containers: create a round on vote, vote, read the result
#      from result, see the worker aggregate it; the load client in the vote image runs clean;
#   4. `podman stop` ends each service within its grace period with exit code 0.
#
# No Docker engine or registry is reachable on these machines, so the base images the
# Dockerfiles name (node:…, postgres:…) are stand-ins made here: Debian bookworm from debootstrap
# plus this machine's Node.js, or Debian's PostgreSQL (test/deploy/container-base/). The
# debootstrap result is cached in .data/container-test, so later runs skip it.
#
# Needs (Debian packages): podman runc debootstrap. Root lacks CAP_SYS_RESOURCE in these
# sandboxes, so podman runs with runc and fixed ulimits through CONTAINERS_CONF.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.data/container-test"
base_dir="$root/test/deploy/container-base"
grace_seconds=30 # the pods' terminationGracePeriodSeconds in deploy/k8s/base
run_id="voting-ct"
started_at=$(date +%s)
timings=()

say() { printf '[container-test] %s\n' "$*"; }
fail() { printf '[container-test] FAILED: %s\n' "$*" >&2; exit 1; }
timed() { # timed LABEL command... : runs it and remembers how long it took
  local label=$1 t0=$SECONDS
  shift
  "$@"
  timings+=("$label: $((SECONDS - t0))s")
}

# podman 4.3 schedules HEALTHCHECKs with systemd timers, which this sandbox lacks, and says so on
# every run; the test runs each HEALTHCHECK itself, so that one message is noise.
podman() { command podman "$@" 2> >(grep -v 'systemd connection' >&2); }

missing=()
for tool in podman runc debootstrap node curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  fail "missing ${missing[*]}: install the Debian packages with 'apt-get install -y podman runc debootstrap' (node and curl come with the machine)"
fi
[[ $(id -u) == 0 ]] || fail "run as root (podman here runs rootful: no user namespaces in this sandbox)"

# Root here may not raise rlimits: pin the ones podman would otherwise try to raise.
mkdir -p "$cache"
export CONTAINERS_CONF="$cache/containers.conf"
nproc_limit=$(ulimit -Hu)
[[ $nproc_limit == unlimited || $nproc_limit -gt 32768 ]] && nproc_limit=32768
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=${nproc_limit}:${nproc_limit}"]
[engine]
runtime = "runc"
EOF

# The FROM names, read from the Dockerfiles so the stand-ins always match them.
node_image=$(sed -n 's/^ARG NODE_IMAGE=//p' "$root/services/vote/Dockerfile")
postgres_image=$(sed -n 's/^ARG POSTGRES_IMAGE=//p' "$root/deploy/db/Dockerfile")
[[ -n $node_image && -n $postgres_image ]] || fail "could not read ARG NODE_IMAGE / POSTGRES_IMAGE from the Dockerfiles"
for service in result worker; do
  grep -qx "ARG NODE_IMAGE=$node_image" "$root/services/$service/Dockerfile" ||
    fail "services/$service/Dockerfile does not use the same NODE_IMAGE as vote ($node_image)"
done
# The node stand-in is this machine's Node.js under the pinned tag's name: refuse a lie about the
# major version (the project's one Node.js line), and say so when only minor or patch differ.
image_node_version=${node_image#node:}
image_node_version=${image_node_version%%-*}
machine_node_version=$(node --version)
machine_node_version=${machine_node_version#v}
[[ ${machine_node_version%%.*} == "${image_node_version%%.*}" ]] ||
  fail "this machine has Node.js $machine_node_version, which cannot stand in for $node_image (another major version): run this on the project's Node.js line"
[[ $machine_node_version == "$image_node_version" ]] ||
  say "note: the $node_image stand-in holds this machine's Node.js $machine_node_version"

containers=("$run_id-db" "$run_id-vote" "$run_id-result" "$run_id-worker")
cleanup() {
  local status=$?
  if ((status != 0)); then
    for name in "${containers[@]}"; do
      podman container exists "$name" 2>/dev/null || continue
      say "--- last log lines of $name ---"
      podman logs --tail 30 "$name" 2>&1 || true
    done
  fi
  podman rm --force --ignore "${containers[@]}" >/dev/null 2>&1 || true
}
trap cleanup EXIT
podman rm --force --ignore "${containers[@]}" >/dev/null 2>&1 || true

make_base_images() {
  if ! podman image exists localhost/voting-test/debian:bookworm-minbase; then
    if [[ ! -s $cache/bookworm-minbase.tar ]]; then
      say "debootstrap bookworm (minbase) into the cache; later runs reuse it"
      local rootfs="$cache/rootfs"
      rm -rf "$rootfs"
      debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 ||
        fail "debootstrap failed; see $cache/debootstrap.log"
      rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
      tar -C "$rootfs" -cf "$cache/bookworm-minbase.tar.partial" .
      mv "$cache/bookworm-minbase.tar.partial" "$cache/bookworm-minbase.tar"
      rm -rf "$rootfs"
    fi
    podman import --quiet \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$cache/bookworm-minbase.tar" localhost/voting-test/debian:bookworm-minbase >/dev/null
  fi

  # This machine's Node.js and npm, copied into the build context of the node stand-in.
  local node_context="$cache/node-context" npm_dir
  npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
  rm -rf "$node_context" && mkdir -p "$node_context"
  cp "$(readlink -f "$(command -v node)")" "$node_context/node"
  cp -r "$npm_dir" "$node_context/npm"
  podman build --quiet --pull=never --network host -t "docker.io/library/$node_image" \
    -f "$base_dir/node.Containerfile" "$node_context" >/dev/null
  podman build --quiet --pull=never --network host -t "docker.io/library/$postgres_image" \
    -f "$base_dir/postgres.Containerfile" "$base_dir" >/dev/null
}

build_images() {
  local ca_bundle=${CONTAINER_TEST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt} secret=()
  [[ -s $ca_bundle ]] && secret=(--secret "id=extra-ca,src=$ca_bundle")
  # --format docker keeps HEALTHCHECK (the OCI format has no field for it).
  local common=(--pull=never --format docker --network host "${secret[@]}")
  for service in vote result worker; do
    local t0=$SECONDS
    podman build "${common[@]}" -f "services/$service/Dockerfile" -t "localhost/voting/$service:test" . \
      >"$cache/build-$service.log" 2>&1 || { tail -40 "$cache/build-$service.log"; fail "building the $service image"; }
    timings+=("build $service: $((SECONDS - t0))s")
  done
  podman build "${common[@]}" -f deploy/db/Dockerfile -t localhost/voting/db:test . \
    >"$cache/build-db.log" 2>&1 || { tail -40 "$cache/build-db.log"; fail "building the db image"; }
}

# Free TCP ports on the loopback interface: the containers share the host's network, and the
# machine's own PostgreSQL (5432) and other work may hold the usual ones.
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", () => ok(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });' "$1"
}

wait_for() { # wait_for DESCRIPTION SECONDS command...
  local what=$1 limit=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what did not happen within ${limit}s"
    sleep 0.5
  done
}

json_field() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const v=eval("JSON.parse(s)"+process.argv[1]);if(v===undefined)process.exit(1);console.log(typeof v==="string"?v:JSON.stringify(v))})' "$1"; }

cd "$root"
timed "base images" make_base_images
timed "service and db images" build_images

read -r db_port vote_port result_port worker_port vote_metrics result_metrics worker_metrics < <(free_ports 7)
db_password="container-test-only-$RANDOM$RANDOM"
database_url="postgres://voting:$db_password@127.0.0.1:$db_port/voting"
security=(--read-only --cap-drop=all --security-opt=no-new-privileges)
# Scheduled health checks need systemd timers, which this sandbox lacks; the test runs each
# image's HEALTHCHECK itself with `podman healthcheck run`.
no_health_timer=(--health-interval=disable)

say "db image on port $db_port"
podman run --detach --name "$run_id-db" --network host "${no_health_timer[@]}" --env PGPORT="$db_port" \
  --env POSTGRES_USER=voting --env POSTGRES_DB=voting --env POSTGRES_PASSWORD="$db_password" \
  localhost/voting/db:test >/dev/null
timed "db ready" wait_for "the db container accepting TCP connections" 90 \
  podman exec "$run_id-db" pg_isready --quiet --host 127.0.0.1 --port "$db_port"
db_sql() { podman exec "$run_id-db" psql --no-psqlrc -tA -p "$db_port" -U voting -d voting -c "$1"; }
[[ $(db_sql "SELECT to_regclass('schema_migrations') IS NULL") == t ]] ||
  fail "the db image created schema_migrations: it must run no migrations (the runner does)"

# The one runner, as the compose `migrate` step and the Kubernetes Job run it.
run_migrations() {
  podman run --rm --network host "${security[@]}" "${no_health_timer[@]}" --env DATABASE_URL="$database_url" \
    localhost/voting/vote:test node dist/migrate.js | tail -1
}
expected=$(cd packages/db/migrations && ls ./*.sql | sed -E 's#^\./0*([0-9]+)_(.*)\.sql$#\1_\2#' | paste -sd,)
first_run=$(run_migrations) || fail "the migration runner failed on the empty db image"
say "migration runner on the empty db image: $first_run"
[[ $(json_field '.applied.join(",")' <<<"$first_run") == "$expected" ]] ||
  fail "the runner's first run applied something other than '$expected': $first_run"
[[ $(json_field .service <<<"$first_run") == migrate ]] || fail "the runner does not log through the project's logger: $first_run"
recorded=$(db_sql "SELECT string_agg(id || '_' || name, ',' ORDER BY id) FROM schema_migrations")
[[ $recorded == "$expected" ]] || fail "schema_migrations holds '$recorded', expected '$expected'"
second_run=$(run_migrations) || fail "the migration runner failed on its second run"
say "migration runner, second run: $second_run"
[[ $(json_field '.applied.length' <<<"$second_run") == 0 ]] || fail "the runner's second run applied something: $second_run"

start_service() { # start_service NAME PORT [extra env...]
  local name=$1 port=$2
  shift 2
  podman run --detach --name "$run_id-$name" --network host "${security[@]}" "${no_health_timer[@]}" \
    --env DATABASE_URL="$database_url" --env PORT="$port" --env HOST=127.0.0.1 "$@" \
    "localhost/voting/$name:test" >/dev/null
}
start_service vote "$vote_port" --env METRICS_PORT="$vote_metrics" --env VOTER_KEY_SECRET="container-test-voter-key-$RANDOM$RANDOM"
start_service result "$result_port" --env METRICS_PORT="$result_metrics" --env STREAM_HEARTBEAT_SECONDS=5
start_service worker "$worker_port" --env METRICS_PORT="$worker_metrics" --env WORKER_POLL_INTERVAL_MS=50
for pair in "vote:$vote_port" "result:$result_port" "worker:$worker_port"; do
  timed "${pair%%:*} ready" wait_for "${pair%%:*} /readyz answering 200" 60 \
    curl --fail --silent "http://127.0.0.1:${pair#*:}/readyz"
  podman healthcheck run "$run_id-${pair%%:*}" >/dev/null || fail "the ${pair%%:*} image's HEALTHCHECK failed"
done
say "vote, result and worker are ready; their HEALTHCHECKs pass"
for pair in "vote:$vote_port" "result:$result_port"; do
  curl --fail --silent "http://127.0.0.1:${pair#*:}/" | grep -qi '<!doctype html' ||
    fail "${pair%%:*} does not serve the pages (web/dist belongs at dist/web in the image)"
done
say "vote and result serve the pages from the image"

round=$(curl --fail --silent -X POST -H 'content-type: application/json' \
  -d '{"name":"container test","options":["Yes","No"]}' "http://127.0.0.1:$vote_port/rounds")
round_id=$(json_field .round_id <<<"$round")
curl --fail --silent -X POST -H 'content-type: application/json' -H 'x-voter-id: container-test-voter' \
  -d "{\"round_id\":\"$round_id\",\"option_id\":1}" "http://127.0.0.1:$vote_port/vote" >/dev/null
results=$(curl --fail --silent "http://127.0.0.1:$result_port/rounds/$round_id/results")
[[ $(json_field '.find((r)=>r.option_id===1).votes' <<<"$results") == 1 ]] ||
  fail "the result container does not show the vote: $results"
aggregated() { curl --fail --silent "http://127.0.0.1:$worker_metrics/metrics" | grep -Eq '^worker_ballot_changes_aggregated_total\{[^}]*\} [1-9]'; }
wait_for "the worker aggregating the ballot" 30 aggregated
say "round trip: vote -> result shows it -> worker aggregated it"

load=$(podman run --rm --network host "${security[@]}" "${no_health_timer[@]}" localhost/voting/vote:test \
  node dist/load-client.js --vote-url="http://127.0.0.1:$vote_port" --result-url="http://127.0.0.1:$result_port" \
  --rate=50 --duration=4 | tail -1)
say "load client from the vote image: $load"
[[ $(json_field .final <<<"$load") == true && $(json_field .sent <<<"$load") -ge 150 &&
  $(json_field .ok <<<"$load") == $(json_field .sent <<<"$load") ]] || fail "the load client saw errors: $load"

for service in vote result worker; do
  t0=$(date +%s%N)
  podman stop --time "$grace_seconds" "$run_id-$service" >/dev/null
  elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
  code=$(podman inspect --format '{{.State.ExitCode}}' "$run_id-$service")
  say "podman stop $service: exit code $code after ${elapsed_ms} ms (grace ${grace_seconds}s)"
  [[ $code == 0 ]] || fail "$service exited with $code on SIGTERM (137 would mean it was killed)"
  ((elapsed_ms < grace_seconds * 1000)) || fail "$service needed the whole grace period"
  podman logs "$run_id-$service" 2>&1 | grep -q '"msg":"stopped"' || fail "$service did not log its graceful stop"
done
podman stop --time "$grace_seconds" "$run_id-db" >/dev/null

say "image sizes:"
podman image ls --format '  {{.Repository}}:{{.Tag}} {{.Size}}' --filter reference='localhost/voting/*:test'
for timing in "${timings[@]}"; do say "  $timing"; done
say "passed in $(($(date +%s) - started_at))s"

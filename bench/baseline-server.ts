/**
 * The benchmark's yardstick: a bare node:http server that reads and parses the JSON body and
 * answers {"ok":true}. Whatever the vote service does beyond this is the cost of voting.
 */
import http from 'node:http';

const port = Number(process.env.PORT ?? 18490);
const answer = JSON.stringify({ ok: true });

http
  .createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': answer.length,
        });
        response.end(answer);
      } catch {
        response.writeHead(400).end();
      }
    });
  })
  .listen(port, '127.0.0.1');

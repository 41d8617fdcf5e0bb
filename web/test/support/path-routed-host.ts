import http from 'node:http';
import type net from 'node:net';
import { testResultApp, testVoteApp } from '../../../test/support/apps.ts';
import type { TestDatabase } from '../../../test/support/database.ts';

export interface PathRoutedHost {
  url: string;
  close(): Promise<void>;
}

/**
 * The Kubernetes shape on one loopback port: a proxy sends `/live/…` to a result service (the
 * prefix cut off, as the Ingress rewrite does) and everything else to a vote service, both
 * configured with PUBLIC_VOTE_URL unset and PUBLIC_RESULT_URL=/live.
 */
export async function startPathRoutedHost(db: TestDatabase): Promise<PathRoutedHost> {
  const env = { PUBLIC_RESULT_URL: '/live' };
  const vote = await testVoteApp(db.url, db.pool, env);
  const result = await testResultApp(db.url, db.pool, env);
  const voteAddress = await vote.listen({ host: '127.0.0.1', port: 0 });
  const resultAddress = await result.listen({ host: '127.0.0.1', port: 0 });

  const sockets = new Set<net.Socket>();
  const proxy = http.createServer((request, response) => {
    const url = request.url ?? '/';
    const toResult = url.startsWith('/live/');
    const target = new URL(
      toResult ? url.slice('/live'.length) : url,
      toResult ? resultAddress : voteAddress,
    );
    const upstream = http.request(
      target,
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await Promise.all([vote.close(), result.close()]);
    },
  };
}

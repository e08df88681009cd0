/**
 * A small stand-in for POST /v1/snapshots on loopback (real HTTP): records every request and
 * answers from a script (status per attempt), like the API does on success.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedUpload {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface IngestServer {
  url: string;
  received: ReceivedUpload[];
  close(): Promise<void>;
}

/** `script[i]` is the status of the i-th request (the last one repeats). */
export async function startIngestServer(script: number[] = [202]): Promise<IngestServer> {
  const received: ReceivedUpload[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const status = script[Math.min(received.length - 1, script.length - 1)]!;
      const body =
        status === 202 || status === 200
          ? {
              scanId: 'scan-1',
              clusterId: 'cluster-1',
              status: 'queued',
              duplicate: status === 200,
            }
          : {
              error: {
                code:
                  status === 401
                    ? 'unauthenticated'
                    : status === 503
                      ? 'unavailable'
                      : 'bad_request',
                message:
                  status === 401
                    ? 'scanner token is invalid, revoked or expired'
                    : `status ${status}`,
              },
            };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 503 || status === 429) headers['retry-after'] = '0';
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/snapshots`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// A bare DevOps API on loopback (node:http, no emulator) listing expired tokens, whose DELETE answers (and, if asked,
// reads) are in the test's hands: for the tests that send the built bin a real SIGINT while a revoke is on the wire,
// and those where one read fails while its sibling never answers.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawTokenApi {
  url: string;
  /** `METHOD /path` of every request, in arrival order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * Serves `ids` as expired tokens, no roles, an org id; every DELETE goes to `onDelete` (which may never answer).
 * `onRead` sees each GET first and takes it by returning true (to fail it, or never answer it).
 */
export async function startRawTokenApi(
  ids: readonly string[],
  onDelete: (res: ServerResponse) => void,
  onRead?: (path: string, res: ServerResponse) => boolean,
): Promise<RawTokenApi> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && onRead?.(req.url ?? '', res)) return;
    const json = (v: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
    if (req.method === 'DELETE') return onDelete(res);
    if (req.url === '/v2/tokens') {
      return json({
        clients: ids.map((clientId) => ({ clientId, roles: [], generatedOn: '2025-01-01T00:00:00Z', tokenExpiry: '2025-02-01T00:00:00Z' })),
      });
    }
    if (req.url === '/v2/organizations/roles') return json([]);
    if (req.url === '/v2/currentOrg') return json({ id: '7e5b3f3a-2c1d-4e6f-9a8b-0c1d2e3f4a5b' });
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * The emulator over a real loopback socket: a node:http server that turns each request into a Fetch Request and
 * answers with the same msw handlers the in-process tests use (msw's getResponse, no interceptors).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { createHandlers, type ApiShape } from './handlers.js';
import { routerNotFound } from './route-kit.js';
import type { EmulatorState } from './state/emulator-state.js';

export interface EmulatorServerOptions {
  state: EmulatorState;
  /** Interface to bind; 127.0.0.1 by default. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  latencyMs?: number;
  failRate?: number;
  /** Which routes and error bodies the API has (`docs` by default). */
  apiShape?: ApiShape;
  /** Larger request bodies get 413 (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface EmulatorServer {
  /** Base URL, e.g. `http://127.0.0.1:12345` (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const json = (status: number, message: string) => ({ status, body: JSON.stringify({ errors: [{ ID: status, message }] }) }) as const;

export async function startEmulatorServer(opts: EmulatorServerOptions): Promise<EmulatorServer> {
  const { state } = opts;
  const host = opts.host ?? '127.0.0.1';
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const handlers = createHandlers(state, { latencyMs: opts.latencyMs, failRate: opts.failRate, apiShape: opts.apiShape });
  const inFlight = new Set<AbortController>();

  const server = createServer((req, res) => {
    const abort = new AbortController();
    inFlight.add(abort);
    res.on('close', () => {
      inFlight.delete(abort);
      abort.abort();
    });
    handle(req, res, abort.signal).catch((error: unknown) => {
      const { status, body } = json(500, `emulator error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${port}`}`);
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      const tooLarge = json(413, `request body exceeds ${maxBodyBytes} bytes`);
      res.writeHead(tooLarge.status, { 'Content-Type': 'application/json', Connection: 'close' }).end(tooLarge.body);
      state.recordRequest(method, url.pathname, 413);
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const request = new Request(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : body,
      signal,
    });
    let response = await getResponse(handlers, request);
    if (!response) {
      // A route no handler has: answered as the real API's router answers one, before any authentication.
      response = routerNotFound();
      state.recordRequest(method, url.pathname, 404);
    }
    if (response.type === 'error') {
      // An injected network error: drop the connection without an answer.
      res.destroy();
      return;
    }
    const payload = Buffer.from(await response.arrayBuffer());
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    if (response.status !== 204 && response.status !== 304) outHeaders['content-length'] = String(payload.length);
    res.writeHead(response.status, outHeaders);
    res.end(method === 'HEAD' || response.status === 204 ? undefined : payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // `localhost` is taken as this machine, not as whatever a resolver says (the client does the same).
    server.listen(opts.port ?? 0, host.toLowerCase() === 'localhost' ? '127.0.0.1' : host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const abort of inFlight) abort.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

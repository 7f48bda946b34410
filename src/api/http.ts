// The production transport: undici's own `request` with one explicit dispatcher that honours HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY, adapted to the small fetch-shaped seam the Transport speaks (tests inject msw's fetch
// there). Only the undici files that path needs are imported.
// Loopback never goes through a proxy: http is allowed there only because it stays on this machine, and a proxy
// from the environment would carry the plain-text Authorization header across the network.
import { setFlagsFromString } from 'node:v8';
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import request from 'undici/lib/api/api-request.js';
import { isLoopback } from '../loopback.js';
import { onShutdown } from '../shutdown.js';
import type { BodyReader, FetchLike, HttpAnswer } from './transport.js';

// undici parses HTTP with llhttp compiled to WebAssembly. V8 tiers that module up to TurboFan in the background and
// waits for the tier-up at process exit: ~100 ms added to every command that makes a request, for a parser that
// handles a few kilobytes. The baseline compiler is plenty for a short-lived CLI. This must run before the first
// connection, which is when undici compiles the module (measured with `npm run bench`).
setFlagsFromString('--liftoff-only');

let dispatchers: { proxied: EnvHttpProxyAgent; direct: Agent } | undefined;

const AGENT_OPTIONS = { connectTimeout: 10_000, keepAliveTimeout: 4_000 };

export function undiciRequestFetch(): FetchLike {
  if (!dispatchers) {
    dispatchers = { proxied: new EnvHttpProxyAgent(AGENT_OPTIONS), direct: new Agent(AGENT_OPTIONS) };
    onShutdown(closeHttp);
  }
  const d = dispatchers;
  return async (url, init) => {
    const target = new URL(url);
    // undici's request never follows redirects: the Authorization header cannot travel to another origin.
    const res = await request.call(isLoopback(target.hostname) ? d.direct : d.proxied, {
      origin: target.origin,
      path: target.pathname + target.search,
      method: (init.method ?? 'GET') as 'GET',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? undefined,
    });
    return answer(res.statusCode, res.headers, res.body);
  };
}

function answer(status: number, headers: Record<string, string | string[] | undefined>, body: NodeJS.ReadableStream & { destroy(): void }): HttpAnswer {
  const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const reader: BodyReader = {
    async read() {
      const next = await iterator.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
    },
    async cancel() {
      body.destroy();
    },
  };
  return {
    status,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: { getReader: () => reader, cancel: reader.cancel },
  };
}

/** Lets the process exit promptly once the work is done (keep-alive sockets would otherwise linger). */
export async function closeHttp(): Promise<void> {
  const d = dispatchers;
  dispatchers = undefined;
  await Promise.all([d?.proxied.close(), d?.direct.close()].map((p) => p?.catch(() => undefined)));
}

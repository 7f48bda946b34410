// The production transport: undici's own `request` with one explicit dispatcher that honours HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY, adapted to the small fetch-shaped seam the Transport speaks (tests inject msw's fetch
// there). Only the undici files that path needs are imported, and the proxy agent only when a proxy is configured.
// Loopback never goes through a proxy: http is allowed there only because it stays on this machine, and a proxy
// from the environment would carry the plain-text Authorization header across the network.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import type { Dispatcher } from 'undici';
import { Agent, loadEnvHttpProxyAgent, request } from '../startup/undici.js';
import { checkedProxyVariables } from './proxy-env.js';
import { isLoopback, LOCALHOST_ADDRESSES } from '../domain/loopback.js';
import { onShutdown } from '../shutdown.js';
import type { BodyReader, FetchLike, HttpAnswer } from './transport.js';

/**
 * The proxy variables EnvHttpProxyAgent will use, in its order (lower case first); empty means no proxy at all, and
 * the proxy agent is then never loaded. NO_PROXY alone sends nothing to a proxy.
 */
interface Dispatchers {
  direct: Agent;
  /** Built on the first request that may use a proxy, and only when one is configured. */
  proxied?: Promise<Dispatcher>;
}
let dispatchers: Dispatchers | undefined;

/**
 * `localhost` is trusted with plain http because it is this machine; what a resolver (or /etc/hosts) says it is
 * does not count. Its connections go straight to the loopback addresses; every other name resolves as usual.
 */
export function loopbackLookup(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  if (hostname.toLowerCase() !== 'localhost') {
    // Looked up at call time, as net.connect does by default.
    dns.lookup(
      hostname,
      options,
      callback as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => void,
    );
    return;
  }
  const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
  const wanted = LOCALHOST_ADDRESSES.filter((a) => !family || family === a.family);
  if (options.all) callback(null, wanted);
  else callback(null, wanted[0]!.address, wanted[0]!.family);
}

const AGENT_OPTIONS = { connectTimeout: 10_000, keepAliveTimeout: 4_000, connect: { lookup: loopbackLookup } };

export function undiciRequestFetch(): FetchLike {
  if (!dispatchers) {
    dispatchers = { direct: new Agent(AGENT_OPTIONS) };
    onShutdown(closeHttp);
  }
  const d = dispatchers;
  const proxies = checkedProxyVariables();
  const proxyConfigured = proxies.length > 0;
  return async (url, init) => {
    const target = new URL(url);
    const dispatcher = !proxyConfigured || isLoopback(target.hostname) ? d.direct : await (d.proxied ??= loadProxyAgent());
    // undici's request never follows redirects: the Authorization header cannot travel to another origin.
    const res = await request.call(dispatcher, {
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

function answer(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: NodeJS.ReadableStream & { destroy(): void },
): HttpAnswer {
  const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const reader: BodyReader = {
    async read() {
      const next = await iterator.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
    },
    cancel() {
      body.destroy();
      return Promise.resolve();
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
    body: { getReader: () => reader, cancel: () => reader.cancel() },
  };
}

/** EnvHttpProxyAgent, which picks the proxy (or none, by NO_PROXY) for each origin. */
async function loadProxyAgent(): Promise<Dispatcher> {
  return new (await loadEnvHttpProxyAgent())(AGENT_OPTIONS);
}

/** Lets the process exit promptly once the work is done (keep-alive sockets would otherwise linger). */
export async function closeHttp(): Promise<void> {
  const d = dispatchers;
  dispatchers = undefined;
  const proxied = d?.proxied?.then((agent) => agent.close());
  const ignore = () => undefined;
  await Promise.all([proxied?.catch(ignore), d?.direct.close().catch(ignore)]);
}

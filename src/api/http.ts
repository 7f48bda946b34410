// The production fetch: undici's own, with one explicit dispatcher that honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
// Loopback never goes through a proxy: http is allowed there only because it stays on this machine, and a proxy
// from the environment would carry the plain-text Authorization header across the network.
import { setFlagsFromString } from 'node:v8';
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { onShutdown } from '../shutdown.js';
import type { FetchLike } from './transport.js';

// undici parses HTTP with llhttp compiled to WebAssembly. V8 tiers that module up to TurboFan in the background and
// waits for the tier-up at process exit: ~100 ms added to every command that makes a request, for a parser that
// handles a few kilobytes. The baseline compiler is plenty for a short-lived CLI. This must run before the first
// connection, which is when undici compiles the module (measured with `npm run bench`: token list 418 -> ~145 ms).
setFlagsFromString('--liftoff-only');

let dispatchers: { proxied: EnvHttpProxyAgent; direct: Agent } | undefined;

const AGENT_OPTIONS = { connectTimeout: 10_000, keepAliveTimeout: 4_000 };

export function undiciFetchWithProxy(): FetchLike {
  if (!dispatchers) {
    dispatchers = { proxied: new EnvHttpProxyAgent(AGENT_OPTIONS), direct: new Agent(AGENT_OPTIONS) };
    onShutdown(closeHttp);
  }
  const d = dispatchers;
  return (url, init) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: isLoopbackHost(new URL(url).hostname) ? d.direct : d.proxied,
    }) as unknown as Promise<Response>;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Lets the process exit promptly once the work is done (keep-alive sockets would otherwise linger). */
export async function closeHttp(): Promise<void> {
  const d = dispatchers;
  dispatchers = undefined;
  await Promise.all([d?.proxied.close(), d?.direct.close()].map((p) => p?.catch(() => undefined)));
}

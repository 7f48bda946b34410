// The production fetch: undici's own, with one explicit dispatcher that honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
import { setFlagsFromString } from 'node:v8';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { onShutdown } from '../shutdown.js';
import type { FetchLike } from './transport.js';

// undici parses HTTP with llhttp compiled to WebAssembly. V8 tiers that module up to TurboFan in the background and
// waits for the tier-up at process exit: ~100 ms added to every command that makes a request, for a parser that
// handles a few kilobytes. The baseline compiler is plenty for a short-lived CLI. This must run before the first
// connection, which is when undici compiles the module (measured with `npm run bench`: token list 418 -> ~300 ms).
setFlagsFromString('--liftoff-only');

let dispatcher: EnvHttpProxyAgent | undefined;

export function undiciFetchWithProxy(): FetchLike {
  if (!dispatcher) {
    dispatcher = new EnvHttpProxyAgent({ connectTimeout: 10_000, keepAliveTimeout: 4_000 });
    onShutdown(closeHttp);
  }
  const d = dispatcher;
  return (url, init) =>
    undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: d }) as unknown as Promise<Response>;
}

/** Lets the process exit promptly once the work is done (keep-alive sockets would otherwise linger). */
export async function closeHttp(): Promise<void> {
  const d = dispatcher;
  dispatcher = undefined;
  await d?.close().catch(() => undefined);
}

// The production fetch: undici's own, with one explicit dispatcher that honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { onShutdown } from '../shutdown.js';
import type { FetchLike } from './transport.js';

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

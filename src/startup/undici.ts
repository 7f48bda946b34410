// undici file by file rather than through its package root, which loads fetch, WebSocket, the cache stores and more
// (measured in docs/startup.md): the request API and the agent eagerly, the proxy agent only when a proxy variable is
// set (src/api/http.ts decides). The types of these files are in undici-lib.d.ts beside this one.
import type { EnvHttpProxyAgent } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import request from 'undici/lib/api/api-request.js';

export { Agent, request };

/**
 * undici's EnvHttpProxyAgent class. Its tunnel is opened with `Dispatcher#connect`, which undici's package root adds
 * to every dispatcher (`Object.assign(Dispatcher.prototype, api)` in undici/index.js): importing the agent's file
 * alone leaves it out, and every proxied request failed with "this[kClient].connect is not a function". So it is
 * added here, as the root would. The proxy end-to-end tests (test/e2e/proxy.test.ts) guard this.
 */
export async function loadEnvHttpProxyAgent(): Promise<typeof EnvHttpProxyAgent> {
  const [{ default: EnvHttpProxyAgentClass }, { default: DispatcherClass }, { default: connect }] = await Promise.all([
    import('undici/lib/dispatcher/env-http-proxy-agent.js'),
    import('undici/lib/dispatcher/dispatcher.js'),
    import('undici/lib/api/api-connect.js'),
  ]);
  const proto = DispatcherClass.prototype as { connect?: unknown };
  proto.connect ??= connect;
  return EnvHttpProxyAgentClass;
}

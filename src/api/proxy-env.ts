// The proxy variables undici's requests honour, read and checked before any request (and before undici loads, which
// is only when a request first goes through it): a malformed one is a configuration error, not a network failure.
import { ProxyConfigError } from './errors.js';

/** HTTPS_PROXY and HTTP_PROXY as set, each in the case undici reads first (lower case wins). */
export function proxyVariables(env: NodeJS.ProcessEnv = process.env): { name: string; value: string }[] {
  const pick = (lower: string, upper: string) => {
    const name = env[lower] !== undefined ? lower : upper;
    const value = env[name];
    return value ? [{ name, value }] : [];
  };
  return [...pick('https_proxy', 'HTTPS_PROXY'), ...pick('http_proxy', 'HTTP_PROXY')];
}

/** The proxy variables, or a ProxyConfigError naming the first that is not a URL (never its value: it may hold a password). */
export function checkedProxyVariables(env: NodeJS.ProcessEnv = process.env): { name: string; value: string }[] {
  const proxies = proxyVariables(env);
  const bad = proxies.find((p) => !URL.canParse(p.value));
  if (bad) throw new ProxyConfigError(`${bad.name}: not a proxy URL`, { hint: 'set it like http://proxy.example:3128' });
  return proxies;
}

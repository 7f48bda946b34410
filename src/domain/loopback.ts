// Loopback addresses: where plain http is allowed (the emulator) and where no proxy is ever used.
// `localhost` counts by name only because connections to it never ask a resolver (see loopbackLookup in
// src/api/http.ts): they go to these addresses.

export const LOCALHOST_ADDRESSES: readonly { address: string; family: 4 | 6 }[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

// Shared values for the API tests: a well-formed token whose secret part is easy to look for in traces.
import { createApiClient, type ApiSettings } from '../../src/api/index.js';
import type { DevOpsClient } from '../../src/api/client.js';

export const CLIENT_ID = 'DkFtHKMhDQDuQtlExkSzwbya';
export const SECRET_HEX = 'c0ffee'.repeat(10) + 'beef';
export const TOKEN = `AstraCS:${CLIENT_ID}:${SECRET_HEX}`;
export const USER_AGENT = 'astra-token/9.8.7';
export const BASE_URL = 'https://api.client.test';

export const ORG_ID = '8a0a2b55-1c2f-4b8e-9f3a-0d1c2b3a4f5e';
export const ROLE_ID = '21ef3576-0197-415a-b167-d510af12ecf0';
export const ROLE_ID_2 = 'b4ed0e9a-9e5a-4d3e-8f6a-0e4c1c7f3a11';

/** A create answer as the API sends it: nanosecond time, no description or expiry echoed. */
export const CREATED_TOKEN_ANSWER = {
  clientId: CLIENT_ID,
  secret: 'the-secret',
  orgId: ORG_ID,
  roles: [ROLE_ID],
  token: TOKEN,
  generatedOn: '2024-05-06T07:08:09.123456789Z',
};

/** A client on msw-intercepted global fetch that never sleeps between retries. */
export function msClient(overrides: Partial<ApiSettings> = {}): Promise<DevOpsClient> {
  return createApiClient({
    baseUrl: BASE_URL,
    token: TOKEN,
    userAgent: USER_AGENT,
    timeoutMs: 5000,
    fetch: (url, init) => globalThis.fetch(url, init),
    sleep: () => Promise.resolve(),
    ...overrides,
  });
}

/** Runs `fn` and returns what it threw (fails the test when it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, got success');
}

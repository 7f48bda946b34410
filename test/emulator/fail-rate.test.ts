import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { call } from '../helpers/emulator-call.js';
import { like } from '../helpers/typed.js';

// Its own file: useEmulator starts one msw server per file.
const draws = [0.1, 0.9, 0.2, 0.3];
const random = () => draws.shift() ?? 0.99;
const flaky = useEmulator({ handlers: { failRate: 0.5, random, latencyMs: 1 } });

describe('failRate', () => {
  it('fails the drawn share with 503 then 429, each with Retry-After: 1; scripted faults come first', async () => {
    const get = () => call(flaky.baseUrl, 'GET', '/v2/currentOrg', { token: flaky.adminToken });
    flaky.state.injectFault({ status: 418 });
    expect((await get()).status).toBe(418); // no draw consumed
    const a = await get(); // 0.1 -> fail
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.body).toEqual({ errors: [{ ID: 503, message: like.any(String) }] });
    expect((await get()).status).toBe(200); // 0.9
    const c = await get(); // 0.2 -> fail
    expect(c.status).toBe(429);
    expect(c.headers.get('retry-after')).toBe('1');
    expect((await get()).status).toBe(503); // 0.3
    expect((await get()).status).toBe(200);
  });
});

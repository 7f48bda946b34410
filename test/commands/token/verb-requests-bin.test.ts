// Requests belong to the verb: when a list verb's first read fails, the verb ends at once and so does every read it
// started (its sibling read included), through the built bin. The sibling here never answers and --timeout is
// an hour: before the verb's end cancelled it, the process stayed until the sibling's timeout (the test's guard kills
// it, and it fails on the signal).
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../../helpers/bin.js';
import { startRawTokenApi } from '../../helpers/raw-token-api.js';

const TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;
const TOKENS = '/v2/tokens';
const ROLES = '/v2/organizations/roles';

describe.skipIf(!HAS_BUILD)(`a verb's requests end with it${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it.each([
    [['token', 'list'], TOKENS, ROLES],
    [['token', 'list'], ROLES, TOKENS],
    [['token', 'list', '--role', 'x'], ROLES, TOKENS],
    [['token', 'audit'], TOKENS, ROLES],
    [['token', 'audit'], ROLES, TOKENS],
  ])('%j: %s fails (401) while %s never answers: exit 3 at once', async (argv, failing, silent) => {
    const held: ServerResponse[] = [];
    const api = await startRawTokenApi(
      [],
      () => undefined,
      (path, res) => {
        if (path === failing) {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[{"message":"bad token"}]}');
          return true;
        }
        if (path === silent) return held.push(res) > 0;
        return false;
      },
    );
    try {
      const r = await runBin(['--timeout', '3600', ...argv], {
        env: { ASTRA_DB_APPLICATION_TOKEN: TOKEN, ASTRA_API_URL: api.url },
        timeoutMs: 15_000,
      });
      expect(r).toMatchObject({ code: 3, signal: null, stdout: '' });
      expect(r.stderr).toMatch(/^error: .*401/);
      // Both reads were on the wire together (the sibling was started, then cancelled).
      expect(api.seen.sort()).toEqual([`GET ${ROLES}`, `GET ${TOKENS}`]);
      expect(held).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});

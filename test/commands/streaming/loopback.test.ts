// The four verbs over real loopback HTTP (Node's own fetch, no msw): the emulator serves the DevOps and the streaming
// API on one URL, and the CLI defaults the streaming host to it.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { withEmulatorServer } from '../../helpers/emulator.js';
import { DEMO_TENANT } from '../../../src/emulator/state.js';
import { TARGET } from '../../helpers/fixtures/streaming.js';

describe('streaming token over loopback HTTP', () => {
  it('creates, lists, gets and deletes', async () => {
    await withEmulatorServer(async ({ url, state, adminToken }) => {
      const env = { ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url };
      const created = await runCli(['streaming', 'token', 'create', ...TARGET, '--expires', '30d', '--json', '-q'], { env });
      expect(created.code).toBe(0);
      const { tokenId, token } = JSON.parse(created.stdout) as { tokenId: string; token: string };
      expect(state.verifyStreamingToken(token)).toBe(true);

      const listed = await runCli(['streaming', 'token', 'list', ...TARGET, '--json'], { env });
      expect((JSON.parse(listed.stdout) as Array<{ tokenId: string }>).map((t) => t.tokenId)).toContain(tokenId);

      expect(await runCli(['streaming', 'token', 'get', tokenId, ...TARGET], { env })).toEqual({
        code: 0,
        stdout: `${token}\n`,
        stderr: '',
      });
      expect((await runCli(['streaming', 'token', 'delete', tokenId, ...TARGET, '--yes', '-q'], { env })).code).toBe(0);
      expect(state.findStreamingTenant(state.defaultOrg.id, DEMO_TENANT)!.tokens.some((t) => t.tokenId === tokenId)).toBe(false);
      expect(state.requests.filter((r) => r.path.includes('/streaming/')).every((r) => r.status < 300)).toBe(true);
    });
  });
});

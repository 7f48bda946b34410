// The built bin (undici, real loopback HTTP) against the emulator in each API shape: bulk revocation is exact, and
// the spec shape's error bodies (text/plain on token create, a bare JSON string from role endpoints) end in one clear
// line with the contract's exit code.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin, startEmulatorProcess } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { call } from '../helpers/emulator-call.js';

const DAY = 86_400_000;
const env = (emu: LoopbackEmulator, token = emu.adminToken) => ({ ASTRA_DB_APPLICATION_TOKEN: token, ASTRA_API_URL: emu.url });
const live = (emu: LoopbackEmulator) =>
  emu.state
    .listTokens(emu.state.defaultOrg.id)
    .map((t) => t.clientId)
    .sort();
const seed = (emu: LoopbackEmulator, description: string, role = 'RO User') =>
  emu.state.issueToken(emu.state.defaultOrg.id, [role], { description, generatedOn: new Date(Date.now() - DAY) });
const OTHER_ORG = '0b9c4a8e-5d1f-4e2a-9c3b-7f6e5d4c3b2a';

describe('astra-token emulator --api-shape: bad input', () => {
  it('an unknown shape exits 2 naming the shapes', async () => {
    const r = await runCli(['emulator', '--api-shape', 'openapi']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "error: --api-shape: 'openapi' is not one of docs, spec, mixed\n" });
  });
});

describe.skipIf(!HAS_BUILD)(`API shapes through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('spec: prune --older-than 0d --concurrency 32 over 50 tokens revokes all 50 and exits 0', async () => {
    await withEmulatorServer(
      async (emu) => {
        const matched = Array.from({ length: 50 }, (_, i) => seed(emu, `batch ${i}`).clientId);
        const before = live(emu);
        const self = before.filter((id) => !matched.includes(id));
        const r = await runBin(['token', 'prune', '--older-than', '0d', '--yes', '--concurrency', '32', '--json'], {
          env: env(emu),
          timeoutMs: 60_000,
        });
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
        expect(
          report
            .filter((x) => x.deleted)
            .map((x) => x.clientId)
            .sort(),
        ).toEqual([...matched].sort());
        // The admin token is the command's own: kept and reported, never revoked.
        expect(report.filter((x) => !x.deleted).map((x) => x.clientId)).toEqual(self);
        expect(live(emu)).toEqual(self);
        // 32 requests listening for Ctrl-C on one signal is no leak: no Node warning mixed into stderr.
        expect(r.stderr).not.toContain('MaxListenersExceededWarning');
      },
      { apiShape: 'spec' },
    );
  }, 90_000);

  it('mixed: token delete of 5 ids revokes all 5 and exits 0', async () => {
    await withEmulatorServer(
      async (emu) => {
        const ids = Array.from({ length: 5 }, (_, i) => seed(emu, `old ${i}`).clientId);
        const keep = seed(emu, 'keep').clientId;
        const before = live(emu);
        const r = await runBin(['token', 'delete', ...ids, '--yes'], { env: env(emu) });
        expect(r.code).toBe(0);
        expect(r.stderr.split('\n').filter((l) => l.startsWith('revoked '))).toHaveLength(5);
        expect(live(emu)).toEqual(before.filter((id) => !ids.includes(id)));
        expect(live(emu)).toContain(keep);
      },
      { apiShape: 'mixed' },
    );
  }, 60_000);

  it('spec: a create answer without "token" delivers a working token', async () => {
    await withEmulatorServer(
      async (emu) => {
        const r = await runBin(['token', 'create', '--role', 'RO User'], { env: env(emu) });
        expect(r.code).toBe(0);
        expect(emu.state.authenticate(r.stdout.trim())).toBeDefined();
        expect(r.stderr).toContain("the API's answer carried no token: it was built from the client id and secret");
      },
      { apiShape: 'spec' },
    );
  }, 60_000);

  it("spec: a text/plain token-create error, the role list's errors object and a bare-string role error each end in one clear line", async () => {
    await withEmulatorServer(
      async (emu) => {
        const roleId = emu.state.defaultOrg.roles.find((r) => r.name === 'RO User')!.id;
        const create = await runBin(['token', 'create', '--role', roleId, '--org-id', OTHER_ORG], { env: env(emu) });
        expect(create).toMatchObject({ code: 4, stdout: '' });
        expect(create.stderr).toMatch(
          new RegExp(`^error: not permitted to create tokens for organization ${OTHER_ORG} \\(HTTP 403 from POST /v2/tokens\\)`, 'm'),
        );

        const reader = seed(emu, 'no role rights', 'Billing Admin').token;
        const roles = await runBin(['role', 'list', '--json'], { env: env(emu, reader) });
        expect(roles).toMatchObject({ code: 4, stdout: '' });
        expect(JSON.parse(roles.stderr.trim().split('\n').at(-1)!)).toMatchObject({
          error: {
            code: 'FORBIDDEN',
            status: 403,
            message: 'role does not permit org-role-read [340019] (HTTP 403 from GET /v2/organizations/roles)',
          },
        });

        const policy = { description: '', resources: [`drn:astra:org:${emu.state.defaultOrg.id}`], actions: ['org-read'], effect: 'allow' };
        const custom = await call(emu.url, 'POST', '/v2/organizations/roles', { token: emu.adminToken, body: { name: 'Custom', policy } });
        const viewer = seed(emu, 'role reader', 'UI View Only').token;
        const remove = await runBin(['role', 'delete', (custom.body as { id: string }).id, '--yes'], { env: env(emu, viewer) });
        expect(remove).toMatchObject({ code: 4, stdout: '' });
        expect(emu.state.defaultOrg.roles.map((r) => r.name)).toContain('Custom');
        expect(remove.stderr).toMatch(
          /^error: role does not permit org-role-delete \(HTTP 403 from DELETE \/v2\/organizations\/roles\/[^)]+\)/m,
        );
      },
      { apiShape: 'spec' },
    );
  }, 60_000);

  it('the emulator command serves the spec shape: GET /v2/tokens 405, DELETE /v2/tokens/{id} 404 text/plain', async () => {
    const emu = await startEmulatorProcess(['--api-shape', 'spec']);
    try {
      const headers = { Authorization: `Bearer ${emu.token}` };
      const list = await fetch(`${emu.url}/v2/tokens`, { headers });
      expect(list.status).toBe(405);
      expect(list.headers.get('allow')).toBe('POST');
      const del = await fetch(`${emu.url}/v2/tokens/${'A'.repeat(24)}`, { method: 'DELETE', headers });
      expect(del.status).toBe(404);
      expect(del.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await del.text()).toBe('404 page not found\n');
      expect((await fetch(`${emu.url}/v2/clientIdSecrets`, { headers })).status).toBe(200);
    } finally {
      expect((await emu.stop()).code).toBe(0);
    }
  }, 60_000);
});

// Rotation keeps what it does not mean to change, through the built bin on every API shape; each journey checks the
// emulator's tokens afterwards (which are live, their roles, their expiry).
import { expect, it } from 'vitest';
import { DAY, FLOW_TIMEOUT_MS, describeShapes } from '../helpers/flow.js';
import { seedRole } from '../helpers/fixtures/role.js';
import { roleId } from '../helpers/fixtures/token.js';

const lifetime = (t: { generatedOn: Date; expiresAt: Date | null }) =>
  t.expiresAt === null ? null : t.expiresAt.getTime() - t.generatedOn.getTime();
describeShapes('token rotate keeps the lifetime, roles and description', (run) => {
  it(
    'a token made with --expires 90d rotates into one that lives 90 days from now, same roles and description',
    () =>
      run(async ({ admin, live, token, emu }) => {
        const made = await admin([
          'token',
          'create',
          '--role',
          'R/W User',
          '--role',
          'RO User',
          '--expires',
          '90d',
          '--description',
          'orders',
          '--json',
        ]);
        expect(made.code).toBe(0);
        const oldId = (JSON.parse(made.stdout) as { clientId: string }).clientId;

        const r = await admin(['token', 'rotate', oldId, '--yes', '--json']);
        expect(r.code).toBe(0);
        const fresh = JSON.parse(r.stdout) as { clientId: string; replaced: string; revoked: boolean };
        expect(fresh).toMatchObject({ replaced: oldId, revoked: true });

        expect(token(oldId)).toBeUndefined();
        const now = live().find((t) => t.clientId === fresh.clientId)!;
        expect(now.roles).toEqual([roleId(emu.state, 'R/W User'), roleId(emu.state, 'RO User')]);
        expect(now.description).toBe('orders');
        // 90 days, to the second the API keeps (the create answer carries no milliseconds of the expiry).
        expect(Math.abs(lifetime(now)! - 90 * DAY)).toBeLessThan(2000);

        // Twice more: the lifetime does not drift.
        let id = fresh.clientId;
        for (let i = 0; i < 2; i++) {
          const again = await admin(['token', 'rotate', id, '--yes', '--json']);
          expect(again.code).toBe(0);
          id = (JSON.parse(again.stdout) as { clientId: string }).clientId;
        }
        expect(Math.abs(lifetime(token(id)!)! - 90 * DAY)).toBeLessThan(2000);
      }),
    FLOW_TIMEOUT_MS,
  );

  it(
    '--role gives the new token other roles; --no-expiry makes it never expire, only when asked',
    () =>
      run(async ({ admin, live, token, emu }) => {
        const made = await admin(['token', 'create', '--role', 'R/W User', '--expires', '30d', '--description', 'report', '--json']);
        const oldId = (JSON.parse(made.stdout) as { clientId: string }).clientId;
        const r = await admin(['token', 'rotate', oldId, '--yes', '--role', 'RO User', '--json']);
        expect(r.code).toBe(0);
        const id = (JSON.parse(r.stdout) as { clientId: string }).clientId;
        expect(token(oldId)).toBeUndefined();
        expect(token(id)!.roles).toEqual([roleId(emu.state, 'RO User')]);
        expect(Math.abs(lifetime(token(id)!)! - 30 * DAY)).toBeLessThan(2000);

        const forever = await admin(['token', 'rotate', id, '--yes', '--no-expiry', '--json']);
        expect(forever.code).toBe(0);
        const foreverId = (JSON.parse(forever.stdout) as { clientId: string }).clientId;
        expect(token(foreverId)!.expiresAt).toBeNull();
        expect(token(foreverId)!.roles).toEqual([roleId(emu.state, 'RO User')]);
        expect(live().map((t) => t.clientId)).not.toContain(id);
      }),
    FLOW_TIMEOUT_MS,
  );

  it(
    'a token holding a deleted role is refused (exit 2, the role id named), nothing created or revoked; --role rotates it',
    () =>
      run(async ({ admin, live, emu }) => {
        const role = seedRole(emu, 'orders reader', {
          actions: ['db-cql'],
          resources: [`drn:astra:org:${emu.state.defaultOrg.id}:db:${emu.state.defaultOrg.databases[0]!.id}`],
        });
        const old = emu.state.issueToken(emu.state.defaultOrg.id, [role.id, 'RO User'], {
          description: 'orders',
          expiresAt: new Date(Date.now() + 30 * DAY),
        });
        const gone = await admin(['role', 'delete', role.id, '--yes']);
        expect(gone.code).toBe(0);
        const before = live()
          .map((t) => t.clientId)
          .sort();

        const r = await admin(['token', 'rotate', old.clientId, '--yes']);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(role.id);
        expect(r.stderr).toContain('nothing was changed');
        expect(
          live()
            .map((t) => t.clientId)
            .sort(),
        ).toEqual(before);

        const ok = await admin(['token', 'rotate', old.clientId, '--yes', '--role', 'RO User', '--json']);
        expect(ok.code).toBe(0);
        const id = (JSON.parse(ok.stdout) as { clientId: string }).clientId;
        expect(live().find((t) => t.clientId === id)!.roles).toEqual([roleId(emu.state, 'RO User')]);
        expect(live().map((t) => t.clientId)).not.toContain(old.clientId);
      }),
    FLOW_TIMEOUT_MS,
  );

  it(
    '--if-older-than: a token that is not due is left alone (exit 0, stdout empty, nothing created or revoked)',
    () =>
      run(async ({ admin, live, token }) => {
        const made = await admin(['token', 'create', '--role', 'RO User', '--expires', '90d', '--description', 'svc', '--json']);
        const oldId = (JSON.parse(made.stdout) as { clientId: string }).clientId;
        const before = live()
          .map((t) => `${t.clientId} ${String(t.expiresAt?.toISOString())}`)
          .sort();

        const r = await admin(['token', 'rotate', oldId, '--yes', '--if-older-than', '30d']);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(
          new RegExp(`^token ${oldId} is not due for rotation \\(created .*, less than 1 month ago\\); nothing was changed\\n$`),
        );
        const json = await admin(['token', 'rotate', oldId, '--yes', '--if-older-than', '30d', '--json', '-q']);
        expect(json.code).toBe(0);
        expect(json.stderr).toBe('');
        expect(JSON.parse(json.stdout)).toEqual({
          rotated: false,
          clientId: oldId,
          reason: expect.stringContaining('less than 1 month ago') as string,
        });
        expect(
          live()
            .map((t) => `${t.clientId} ${String(t.expiresAt?.toISOString())}`)
            .sort(),
        ).toEqual(before);

        // Due: once the token is 31 days old on the server, the same command rotates (no wall-clock race).
        token(oldId)!.generatedOn = new Date(Date.now() - 31 * DAY);
        const due = await admin(['token', 'rotate', oldId, '--yes', '--if-older-than', '30d', '--json']);
        expect(due.code).toBe(0);
        expect(live().map((t) => t.clientId)).not.toContain(oldId);
      }),
    FLOW_TIMEOUT_MS,
  );
});

// Shared set-up for the role command tests: the CLI environment for the in-process emulator, and custom roles seeded
// straight into its state (no request, so `emu.state.requests` only shows what the command under test sent).
import type { EmulatorFixture } from '../helpers/emulator.js';
import { runCli, type RunOptions } from '../helpers/cli.js';

export function cli(emu: EmulatorFixture, token?: string) {
  return (argv: string[], opts: RunOptions = {}) =>
    runCli(argv, {
      ...opts,
      env: { ASTRA_DB_APPLICATION_TOKEN: token ?? emu.adminToken, ASTRA_API_URL: emu.baseUrl, ...opts.env },
    });
}

export const orgDrn = (emu: EmulatorFixture) => `drn:astra:org:${emu.state.defaultOrg.id}`;
export const dbId = (emu: EmulatorFixture, i = 0) => emu.state.defaultOrg.databases[i]!.id;

export function seedRole(
  emu: EmulatorFixture,
  name: string,
  policy: { actions: string[]; resources?: string[]; description?: string },
) {
  const role = {
    id: emu.state.uuid(),
    name,
    policy: {
      description: policy.description ?? '',
      resources: policy.resources ?? [orgDrn(emu), `${orgDrn(emu)}:db:*`],
      actions: policy.actions,
      effect: 'allow' as const,
    },
    last_update_datetime: '2026-01-02T03:04:05.000Z',
    last_update_userid: 'test',
    builtIn: false,
  };
  emu.state.defaultOrg.roles.push(role);
  return role;
}

export const roleOf = (emu: EmulatorFixture, idOrName: string) => emu.state.findRole(emu.state.defaultOrg.id, idOrName);

/** What the command sent, as `METHOD path` lines. */
export const sent = (emu: EmulatorFixture) => emu.state.requests.map((r) => `${r.method} ${r.path}`);

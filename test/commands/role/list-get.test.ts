import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { cli, orgDrn, roleOf, seedRole, sent } from '../../helpers/fixtures/role.js';

const emu = useEmulator();
const run = cli(emu);

const ROLE_KEYS = ['id', 'name', 'builtIn', 'description', 'effect', 'actions', 'resources'];

describe('role list', () => {
  it('pipes tab-separated rows, built-ins first then custom roles, no header', async () => {
    const mine = seedRole(emu, 'orders reader', { actions: ['db-cql'], description: 'reads orders' });
    const res = await run(['role', 'list']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(17);
    expect(lines[0]).toBe(`${roleOf(emu, 'Admin Svc Acct')!.id}\tAdmin Svc Acct\tbuilt-in\tAdmin Service Account`);
    expect(lines[16]).toBe(`${mine.id}\torders reader\tcustom\treads orders`);
  });

  it('prints a table with a header on a TTY', async () => {
    const res = await run(['role', 'list', '--no-color'], { tty: true });
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    // The NAME first (what --role takes), then the id.
    expect(lines[0]).toMatch(/^NAME {24}ID {36}TYPE {6}DESCRIPTION$/);
    expect(lines).toHaveLength(17);
  });

  it('--json is an array of the contract role object', async () => {
    seedRole(emu, 'orders reader', { actions: ['db-cql'] });
    const res = await run(['role', 'list', '--json']);
    expect(res.code).toBe(0);
    const roles = JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    expect(roles).toHaveLength(17);
    for (const role of roles) expect(Object.keys(role)).toEqual(ROLE_KEYS);
    expect(roles.filter((r) => r.builtIn === false).map((r) => r.name)).toEqual(['orders reader']);
  });
});

describe('role get', () => {
  it('shows effect, actions and resources one per line on a TTY', async () => {
    const role = seedRole(emu, 'orders reader', {
      actions: ['db-cql', 'db-table-select'],
      resources: [orgDrn(emu), `${orgDrn(emu)}:db:*`],
      description: 'reads orders',
    });
    const res = await run(['role', 'get', 'ORDERS READER', '--no-color'], { tty: true });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe(
      [
        `id:          ${role.id}`,
        'name:        orders reader',
        'type:        custom',
        'description: reads orders',
        'effect:      allow',
        'actions:     db-cql',
        '             db-table-select',
        `resources:   ${orgDrn(emu)}`,
        `             ${orgDrn(emu)}:db:*`,
        '',
      ].join('\n'),
    );
  });

  it('colours labels on a TTY and shows an empty description as (none)', async () => {
    const role = seedRole(emu, 'bare', { actions: ['db-cql'] });
    const res = await run(['role', 'get', role.id], { tty: true });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('\u001b[1mdescription: \u001b[22m\u001b[2m(none)\u001b[22m\n');
  });

  it('pipes label<TAB>value lines, lists comma-joined, found by id', async () => {
    const id = roleOf(emu, 'Billing Admin')!.id;
    const res = await run(['role', 'get', id]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      [
        `id\t${id}`,
        'name\tBilling Admin',
        'type\tbuilt-in',
        'description\tBilling Admin',
        'effect\tallow',
        'actions\torg-read,org-billing-read,org-billing-write',
        'resources\tdrn:astra:org:__ORG_ID__',
        '',
      ].join('\n'),
    );
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
  });

  it('pipes an empty description as an empty value', async () => {
    const role = seedRole(emu, 'bare', { actions: ['db-cql'] });
    const res = await run(['role', 'get', 'bare']);
    expect(res.stdout.split('\n')[3]).toBe('description\t');
    expect(res.stdout.split('\n')[0]).toBe(`id\t${role.id}`);
  });

  it('--json is the contract role object, by name and by id alike (both case-insensitive)', async () => {
    const role = seedRole(emu, 'orders reader', { actions: ['db-cql'], description: 'reads orders' });
    const expected = {
      id: role.id,
      name: 'orders reader',
      builtIn: false,
      description: 'reads orders',
      effect: 'allow',
      actions: ['db-cql'],
      resources: [orgDrn(emu), `${orgDrn(emu)}:db:*`],
    };
    for (const ref of ['orders reader', 'ORDERS READER', role.id, role.id.toUpperCase()]) {
      const res = await run(['role', 'get', ref, '--json']);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual(expected);
      expect(Object.keys(JSON.parse(res.stdout) as object)).toEqual(ROLE_KEYS);
    }
  });

  it('exits 5 with the closest names for an unknown role', async () => {
    const res = await run(['role', 'get', 'RO Usr']);
    expect(res.code).toBe(5);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe("error: no role named 'RO Usr'; did you mean 'RO User'? (see 'astra-token role list')\n");
  });

  it('exits 5 with a JSON error on stderr under --json', async () => {
    const res = await run(['role', 'get', 'nope', '--json']);
    expect(res.code).toBe(5);
    expect(res.stdout).toBe('');
    expect(JSON.parse(res.stderr)).toEqual({
      error: { code: 'NOT_FOUND', message: "no role named 'nope'", hint: "see 'astra-token role list' for the roles of this org" },
    });
  });

  it('exits 4 when the token may not read roles', async () => {
    const billing = emu.state.issueToken(emu.state.defaultOrg.id, ['Billing Admin']).token;
    const res = await cli(emu, billing)(['role', 'get', 'RO User']);
    expect(res.code).toBe(4);
    expect(res.stderr).toBe('error: role does not permit org-role-read [340019] (HTTP 403 from GET /v2/organizations/roles)\n');
  });

  it('exits 2 without an argument', async () => {
    const res = await run(['role', 'get']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: missing required argument 'name-or-id'; see 'astra-token role get --help'\n");
    expect(sent(emu)).toEqual([]);
  });
});

describe('role actions', () => {
  it('lists the documented actions, sorted, with no request', async () => {
    const res = await runNoCredential(['role', 'actions']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(55);
    expect(lines[0]).toBe('accesslist-read');
    expect(lines).toContain('org-role-write');
    expect(sent(emu)).toEqual([]);
    const json = await runNoCredential(['role', 'actions', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(lines);
  });
});

const runNoCredential = (argv: string[]) => cli(emu)(argv, { env: { ASTRA_DB_APPLICATION_TOKEN: undefined } });

import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { cli, dbId, orgDrn, roleOf, seedRole, sent } from '../../helpers/fixtures/role.js';

const emu = useEmulator();
const run = cli(emu);
const PUT = (id: string) => ['GET /v2/organizations/roles', `PUT /v2/organizations/roles/${id}`, `GET /v2/organizations/roles/${id}`];

let role: ReturnType<typeof seedRole>;
beforeEach(() => {
  role = seedRole(emu, 'orders reader', {
    actions: ['db-cql', 'db-table-select'],
    resources: [orgDrn(emu), `${orgDrn(emu)}:db:*`],
    description: 'reads orders',
  });
});
const policy = () => roleOf(emu, role.id)!.policy;

describe('role update', () => {
  it('--name renames; the full policy is sent unchanged', async () => {
    const res = await run(['role', 'update', 'orders reader', '--name', 'orders api reader', '--json']);
    expect(res.code).toBe(0);
    expect(roleOf(emu, role.id)!.name).toBe('orders api reader');
    expect(policy()).toEqual({
      description: 'reads orders',
      actions: ['db-cql', 'db-table-select'],
      resources: [orgDrn(emu), `${orgDrn(emu)}:db:*`],
      effect: 'allow',
    });
    expect(JSON.parse(res.stdout)).toMatchObject({ id: role.id, name: 'orders api reader', builtIn: false });
    expect(res.stderr).toBe(`updated role 'orders api reader' (${role.id})\n`);
    expect(sent(emu)).toEqual(PUT(role.id));
  });

  it('--name may change only the case of the role own name', async () => {
    const res = await run(['role', 'update', role.id, '--name', 'Orders Reader', '-q']);
    expect(res.code).toBe(0);
    expect(roleOf(emu, role.id)!.name).toBe('Orders Reader');
  });

  it('--description replaces it, and "" clears it', async () => {
    expect((await run(['role', 'update', role.id, '--description', 'new text'])).code).toBe(0);
    expect(policy().description).toBe('new text');
    const res = await run(['role', 'update', role.id, '--description', '']);
    expect(res.code).toBe(0);
    expect(policy().description).toBe('');
    expect(res.stdout.split('\n')[3]).toBe('description\t');
  });

  it('--add-action and --remove-action (repeated and comma-separated) in one PUT', async () => {
    const res = await run([
      'role',
      'update',
      role.id,
      '--add-action',
      'db-rest,db-graphql',
      '--add-action',
      'db-cql',
      '--remove-action',
      'db-table-select',
    ]);
    expect(res.code).toBe(0);
    expect(policy().actions).toEqual(['db-cql', 'db-rest', 'db-graphql']);
    expect(res.stdout).toContain('actions\tdb-cql,db-rest,db-graphql\n');
    expect(sent(emu)).toEqual(PUT(role.id));
  });

  it('--add-resource and --remove-resource', async () => {
    const o = orgDrn(emu);
    const res = await run(['role', 'update', role.id, '--add-resource', `${o}:db:*:keyspace:*`, '--remove-resource', `${o}:db:*`]);
    expect(res.code).toBe(0);
    expect(policy().resources).toEqual([o, `${o}:db:*:keyspace:*`]);
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles', 'GET /v2/currentOrg', ...PUT(role.id).slice(1)]);
  });

  it.each([
    [[], (o: string, d: string) => [`${o}:db:${d}`, `${o}:db:${d}:keyspace:*`, `${o}:db:${d}:keyspace:*:table:*`]],
    [
      ['--keyspace', 'sales'],
      (o: string, d: string) => [`${o}:db:${d}`, `${o}:db:${d}:keyspace:sales`, `${o}:db:${d}:keyspace:sales:table:*`],
    ],
    [
      ['--keyspace', 'sales', '--table', 'orders'],
      (o: string, d: string) => [`${o}:db:${d}`, `${o}:db:${d}:keyspace:sales`, `${o}:db:${d}:keyspace:sales:table:orders`],
    ],
  ])('--db %j adds the scope resources the role lacks', async (extra, added) => {
    const o = orgDrn(emu);
    const d = dbId(emu, 1);
    const res = await run(['role', 'update', 'orders reader', '--db', d, ...extra]);
    expect(res.code).toBe(0);
    // The org DRN is already there: it is not added twice.
    expect(policy().resources).toEqual([o, `${o}:db:*`, ...added(o, d)]);
  });

  it('shows the updated role on a TTY', async () => {
    const res = await run(['role', 'update', role.id, '--remove-action', 'db-cql', '--no-color'], { tty: true });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      [
        `id:          ${role.id}`,
        'name:        orders reader',
        'type:        custom',
        'description: reads orders',
        'effect:      allow',
        'actions:     db-table-select',
        `resources:   ${orgDrn(emu)}`,
        `             ${orgDrn(emu)}:db:*`,
        '',
      ].join('\n'),
    );
  });

  it('an update already in place sends nothing and exits 0', async () => {
    const res = await run(['role', 'update', role.id, '--add-action', 'db-cql', '--description', 'reads orders']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("role 'orders reader' already has these settings; nothing sent\n");
    expect(res.stdout.split('\n')[0]).toBe(`id\t${role.id}`);
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
  });

  it('refuses an unknown added action (exit 2, nothing sent), or sends it with --allow-unknown-action', async () => {
    const refused = await run(['role', 'update', role.id, '--add-action', 'db-tabel-alter']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "error: --add-action: unknown action 'db-tabel-alter'; did you mean 'db-table-alter'? (an action newer than this tool: add --allow-unknown-action)\n",
    );
    expect(sent(emu)).toEqual([]);
    expect(policy().actions).not.toContain('db-tabel-alter');
    const warned = await run(['role', 'update', role.id, '--add-action', 'db-tabel-drop', '-q', '--allow-unknown-action']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe(
      "warning: unknown action 'db-tabel-drop' (did you mean 'db-table-drop'?); sending it as given (--allow-unknown-action)\n",
    );
    expect(policy().actions).toContain('db-tabel-drop');
  });
});

describe('role update: refusals', () => {
  it('nothing to change: exit 2, no request', async () => {
    const res = await run(['role', 'update', role.id]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: nothing to change; give --name, --description, --add-action, --remove-action, --add-resource, --remove-resource or --db\n',
    );
    expect(sent(emu)).toEqual([]);
  });

  it.each(['RO User', 'database administrator'])('refuses the built-in role %s by name before any request', async (name) => {
    const res = await run(['role', 'update', name, '--add-action', 'db-cql']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /^error: '[^']+' is a built-in role: built-in roles cannot be changed; create a custom role instead \('astra-token role create --help'\)\n$/,
    );
    expect(sent(emu)).toEqual([]);
  });

  it('refuses a built-in role given by id after only reading the role list', async () => {
    const id = roleOf(emu, 'UI View Only')!.id;
    const res = await run(['role', 'update', id, '--description', 'x', '--json']);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stderr)).toEqual({
      error: {
        code: 'USAGE',
        message: "'UI View Only' is a built-in role: built-in roles cannot be changed",
        hint: "create a custom role instead ('astra-token role create --help')",
      },
    });
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
  });

  it('renaming onto an existing name exits 6 without a PUT', async () => {
    seedRole(emu, 'inventory reader', { actions: ['db-cql'] });
    for (const name of ['Inventory Reader', 'Billing Admin']) {
      emu.state.requests.length = 0;
      const res = await run(['role', 'update', role.id, '--name', name]);
      expect(res.code).toBe(6);
      expect(res.stderr).toMatch(
        /^error: a role named '(inventory reader|Billing Admin)' already exists \([0-9a-f-]{36}\); role names are unique/,
      );
      expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
    }
    expect(roleOf(emu, role.id)!.name).toBe('orders reader');
  });

  it('removing an action or resource the role does not have exits 2 naming it', async () => {
    const a = await run(['role', 'update', role.id, '--remove-action', 'db-rest']);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`error: --remove-action: role 'orders reader' has no action 'db-rest'; see 'astra-token role get ${role.id}'\n`);
    const drn = `${orgDrn(emu)}:db:*:keyspace:*`;
    const r = await run(['role', 'update', role.id, '--remove-resource', drn]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --remove-resource: role 'orders reader' has no resource '${drn}'; see 'astra-token role get ${role.id}'\n`,
    );
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles', 'GET /v2/organizations/roles']);
  });

  it('refuses to leave a role without actions or resources', async () => {
    const a = await run(['role', 'update', role.id, '--remove-action', 'db-cql,db-table-select']);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe("error: role 'orders reader' would have no action left; a role needs at least one action; delete it instead\n");
    const o = orgDrn(emu);
    const r = await run(['role', 'update', role.id, '--remove-resource', o, '--remove-resource', `${o}:db:*`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: role 'orders reader' would have no resource left; a role needs at least one resource; delete it instead\n",
    );
  });

  it('refuses the same action both added and removed', async () => {
    const res = await run(['role', 'update', role.id, '--add-action', 'db-rest', '--remove-action', 'db-rest']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: action 'db-rest' is both added and removed\n");
    expect(sent(emu)).toEqual([]);
  });

  it('a malformed --add-resource exits 2 before any request', async () => {
    const res = await run(['role', 'update', role.id, '--add-resource', 'drn:astra:org:x']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      "error: --add-resource: 'drn:astra:org:x' is not a valid resource: 'x' is not an org id (a UUID); expected drn:astra:org:<org id>[:db:<db id|*>[:keyspace:<name|*>[:table:<name|*>]]]\n",
    );
    expect(sent(emu)).toEqual([]);
  });

  it('--keyspace without --db exits 2 before any request', async () => {
    const res = await run(['role', 'update', role.id, '--keyspace', 'sales']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('error: --keyspace needs --db: a keyspace is always inside a database\n');
    expect(sent(emu)).toEqual([]);
  });

  it('an unknown role exits 5', async () => {
    const res = await run(['role', 'update', 'orders writer', '--description', 'x']);
    expect(res.code).toBe(5);
    expect(res.stderr).toBe("error: no role named 'orders writer'; did you mean 'orders reader'? (see 'astra-token role list')\n");
  });

  it('exits 4 when the token lacks org-role-write', async () => {
    const viewer = emu.state.issueToken(emu.state.defaultOrg.id, ['UI View Only']).token;
    const res = await cli(emu, viewer)(['role', 'update', role.id, '--description', 'x']);
    expect(res.code).toBe(4);
    expect(res.stderr).toBe(
      `error: role does not permit org-role-write (HTTP 403 from PUT /v2/organizations/roles/${role.id}); the credential's roles lack org-role-write; use a token with the Organization Administrator role\n`,
    );
    expect(policy().description).toBe('reads orders');
  });
});

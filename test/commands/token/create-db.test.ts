// `token create --db/--keyspace/--table`: a token limited to one database through a find-or-create custom role, as
// the Astra portal's "Generate Token" on a database does.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database, EmulatorState } from '../../../src/emulator/state.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { NOW, envFor } from '../../helpers/fixtures/token.js';
import { tempDir } from '../../helpers/temp.js';
import { parseJson } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });
const WARNING = 'warning: store this token now: it is shown only once and cannot be retrieved again\n';
const TOKEN_LINE = /^AstraCS:([A-Za-z]{24}):[0-9a-f]{64}\n$/;
const DBA = 'Database Administrator';

const org = () => emu.state.defaultOrg;
const db = (name: string): Database => {
  const found = org().databases.find((d) => d.info.name === name);
  if (!found) throw new Error(`no database ${name}`);
  return found;
};
const customRoles = () => org().roles.filter((r) => !r.builtIn);
const roleNamed = (name: string) => org().roles.find((r) => r.name === name);
const created = () => emu.state.listTokens(org().id).filter((t) => t.description !== 'emulator admin');
const sent = (method: string, path: string | RegExp) =>
  emu.state.requests.filter((q) => q.method === method && (typeof path === 'string' ? q.path === path : path.test(q.path)));
const ROLES_PATH = '/v2/organizations/roles';

/** The DRNs the portal writes for a scope: org, db, keyspace, table (with * below the last level named). */
function drns(dbId: string, keyspace = '*', table = '*'): string[] {
  const o = `drn:astra:org:${org().id}`;
  return [o, `${o}:db:${dbId}`, `${o}:db:${dbId}:keyspace:${keyspace}`, `${o}:db:${dbId}:keyspace:${keyspace}:table:${table}`];
}

function builtInActions(state: EmulatorState, name: string): string[] {
  return state.defaultOrg.roles.find((r) => r.name === name && r.builtIn)!.policy.actions;
}

/** A token whose custom role may write tokens and roles but not read databases (no org-db-view). */
function noDbViewToken(): string {
  const id = emu.state.uuid();
  org().roles.push({
    id,
    name: 'token maker',
    policy: {
      description: 'no org-db-view',
      resources: [`drn:astra:org:${org().id}`],
      actions: ['org-token-read', 'org-token-write', 'org-role-read', 'org-role-write'],
      effect: 'allow',
    },
    last_update_datetime: NOW.toISOString(),
    last_update_userid: 'test',
    builtIn: false,
  });
  return emu.state.issueToken(org().id, [id], { description: 'emulator admin' }).token;
}

describe('token create --db', () => {
  it('by id: creates "<db name> Database Administrator" covering exactly that database, then a token holding it', async () => {
    const orders = db('orders');
    const r = await runCli(['token', 'create', '--db', orders.id, '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const role = roleNamed('orders Database Administrator')!;
    expect(role).toBeDefined();
    expect(role.policy.resources).toEqual(drns(orders.id));
    expect(role.policy.actions).toEqual(builtInActions(emu.state, DBA));
    expect(role.policy.description).toBe(
      `Database Administrator limited to database orders (${orders.id}); made by astra-token token create --db`,
    );

    const [token] = created();
    expect(token!.roles).toEqual([role.id]);
    const out = parseJson<object>(r.stdout);
    expect(Object.keys(out)).toEqual([
      'clientId',
      'token',
      'secret',
      'orgId',
      'roles',
      'description',
      'generatedOn',
      'expiresAt',
      'scopedRole',
    ]);
    expect(out).toMatchObject({
      clientId: token!.clientId,
      token: `AstraCS:${token!.clientId}:${token!.tokenHash}`,
      orgId: org().id,
      roles: [{ id: role.id, name: 'orders Database Administrator' }],
      description: '',
      expiresAt: null,
      scopedRole: { id: role.id, name: 'orders Database Administrator', created: true },
    });
    expect(r.stderr).toBe(
      `created role 'orders Database Administrator' (${role.id})\n` +
        `created token ${token!.clientId} (roles: orders Database Administrator; never expires)\n${WARNING}`,
    );
    expect(sent('GET', `/v2/databases/${orders.id}`)).toHaveLength(1);
    expect(sent('GET', '/v2/databases')).toHaveLength(0);
  });

  it('by name (case-insensitive): piped, the token alone on stdout; description and expiry pass through', async () => {
    const inventory = db('inventory');
    const r = await runCli(['token', 'create', '--db', 'INVENTORY', '--description', 'stock sync', '--expires', '30d'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    const [, clientId] = TOKEN_LINE.exec(r.stdout)!;
    const role = roleNamed('inventory Database Administrator')!;
    expect(role.policy.resources).toEqual(drns(inventory.id));
    expect(r.stderr).toBe(
      `created role 'inventory Database Administrator' (${role.id})\n` +
        `created token ${clientId} (roles: inventory Database Administrator; expires in 30 days)\n${WARNING}`,
    );
    expect(created()[0]).toMatchObject({ clientId, roles: [role.id], description: 'stock sync' });
    expect(sent('GET', '/v2/databases')).toHaveLength(1);
  });

  it('is the same on a TTY', async () => {
    const r = await runCli(['token', 'create', '--db', 'analytics'], { env: envFor(emu), now: NOW, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(TOKEN_LINE);
    expect(r.stderr).toContain(`created role 'analytics Database Administrator' (${roleNamed('analytics Database Administrator')!.id})\n`);
    expect(r.stderr).toContain('\u001b[33mwarning: \u001b[39mstore this token now');
  });

  it('reuses the role on a second run (by name or id): no second role, one POST to the roles', async () => {
    const first = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu), now: NOW });
    expect(first.code).toBe(0);
    const second = await runCli(['token', 'create', '--db', db('orders').id, '--json'], { env: envFor(emu), now: NOW });
    expect(second.code).toBe(0);
    const role = roleNamed('orders Database Administrator')!;
    expect(customRoles().map((x) => x.name)).toEqual(['orders Database Administrator']);
    expect(sent('POST', ROLES_PATH)).toHaveLength(1);
    expect(created().map((t) => t.roles)).toEqual([[role.id], [role.id]]);
    const out = parseJson<{ clientId: string; scopedRole: unknown }>(second.stdout);
    expect(out.scopedRole).toEqual({ id: role.id, name: 'orders Database Administrator', created: false });
    expect(second.stderr).toBe(
      `reusing role 'orders Database Administrator' (${role.id})\n` +
        `created token ${out.clientId} (roles: orders Database Administrator; never expires)\n${WARNING}`,
    );
  });

  it('-q leaves only the once-warning on stderr', async () => {
    const r = await runCli(['token', 'create', '--db', 'orders', '-q'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
  });

  it('--keyspace narrows the role to one keyspace, under its own name', async () => {
    const orders = db('orders');
    const r = await runCli(['token', 'create', '--db', 'orders', '--keyspace', 'sales'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const role = roleNamed('orders Database Administrator (keyspace sales)')!;
    expect(role.policy.resources).toEqual(drns(orders.id, 'sales'));
    expect(created()[0]!.roles).toEqual([role.id]);
  });

  it('--table narrows it to one table; every scope gets its own role', async () => {
    const orders = db('orders');
    for (const args of [
      [],
      ['--keyspace', 'sales'],
      ['--keyspace', 'sales', '--table', 'items'],
      ['--keyspace', 'sales', '--table', 'items'],
    ]) {
      const r = await runCli(['token', 'create', '--db', 'orders', ...args], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
    }
    expect(customRoles().map((x) => [x.name, x.policy.resources])).toEqual([
      ['orders Database Administrator', drns(orders.id)],
      ['orders Database Administrator (keyspace sales)', drns(orders.id, 'sales')],
      ['orders Database Administrator (table sales.items)', drns(orders.id, 'sales', 'items')],
    ]);
    expect(sent('POST', ROLES_PATH)).toHaveLength(3);
  });

  it('a * level is the same scope as leaving it out, so it reuses the same role', async () => {
    const first = await runCli(['token', 'create', '--db', 'orders', '--keyspace', 'sales'], { env: envFor(emu), now: NOW });
    expect(first.code).toBe(0);
    const second = await runCli(['token', 'create', '--db', 'orders', '--keyspace', 'sales', '--table', '*'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^reusing role 'orders Database Administrator \(keyspace sales\)'/);
    expect(customRoles()).toHaveLength(1);
  });

  it('--role picks another built-in role (by name, case-insensitively) whose actions the scoped role gets', async () => {
    const r = await runCli(['token', 'create', '--db', 'orders', '--role', 'ro user', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const role = roleNamed('orders RO User')!;
    expect(role.policy.actions).toEqual(builtInActions(emu.state, 'RO User'));
    expect(role.policy.resources).toEqual(drns(db('orders').id));
    expect(parseJson<{ roles: unknown }>(r.stdout).roles).toEqual([{ id: role.id, name: 'orders RO User' }]);
  });

  it("'role get' on the created role shows exactly that database", async () => {
    const orders = db('orders');
    const made = await runCli(['token', 'create', '--db', orders.id, '--json'], { env: envFor(emu), now: NOW });
    expect(made.code).toBe(0);
    const { scopedRole } = parseJson<{ scopedRole: { id: string } }>(made.stdout);
    const r = await runCli(['role', 'get', scopedRole.id, '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const shown = parseJson<{ resources: unknown }>(r.stdout);
    expect(shown).toMatchObject({ id: scopedRole.id, name: 'orders Database Administrator', builtIn: false, effect: 'allow' });
    expect(shown.resources).toEqual(drns(orders.id));
    const piped = await runCli(['role', 'get', 'orders database administrator'], { env: envFor(emu), now: NOW });
    expect(piped.stdout).toContain(`resources\t${drns(orders.id).join(',')}\n`);
  });

  it('writes the token to --output-file and keeps the secret off stdout', async () => {
    const path = join(tempDir('astra-token-scoped-'), 'token.txt');
    const r = await runCli(['token', 'create', '--db', 'orders', '--output-file', path, '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const out = parseJson<{ clientId: string; token?: string; secret?: string }>(r.stdout);
    expect(out.token).toBeUndefined();
    expect(out.secret).toBeUndefined();
    expect(out).toMatchObject({ outputFile: path, scopedRole: { name: 'orders Database Administrator', created: true } });
    expect(readFileSync(path, 'utf8')).toContain(`"clientId": "${out.clientId}"`);
  });
});

describe('token create --db: failures', () => {
  it('an unknown database name exits 5 with the closest names; no role, no token', async () => {
    const r = await runCli(['token', 'create', '--db', 'ordrs'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: no database named 'ordrs'; did you mean 'orders'?\n");
    expect(customRoles()).toEqual([]);
    expect(created()).toEqual([]);
  });

  it('an unknown name with nothing close lists the databases', async () => {
    const r = await runCli(['token', 'create', '--db', 'zzzzzzzz'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe("error: no database named 'zzzzzzzz'; the databases of this org: orders, inventory, analytics\n");
  });

  it('an unknown database id exits 5', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const r = await runCli(['token', 'create', '--db', id, '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: `no database with id ${id} in this org`,
        status: 404,
        hint: 'check the id in the Astra portal, or pass the database name',
      },
    });
    expect(sent('POST', ROLES_PATH)).toEqual([]);
  });

  it('two databases with the same name exit 2 listing their ids', async () => {
    const orders = db('orders');
    const twin: Database = { ...structuredClone(orders), id: emu.state.uuid() };
    twin.info.name = 'Orders';
    org().databases.push(twin);
    const r = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: database name 'orders' is ambiguous: orders (${orders.id}), Orders (${twin.id}); pass the database id instead\n`,
    );
    expect(customRoles()).toEqual([]);
    // The id form still works.
    const byId = await runCli(['token', 'create', '--db', twin.id], { env: envFor(emu), now: NOW });
    expect(byId.code).toBe(0);
    expect(roleNamed('Orders Database Administrator')!.policy.resources).toEqual(drns(twin.id));
  });

  it('without org-db-view, an id still works: the role is named after the id, with a warning', async () => {
    const orders = db('orders');
    const token = noDbViewToken();
    const r = await runCli(['token', 'create', '--db', orders.id.toUpperCase()], { env: envFor(emu, token), now: NOW });
    expect(r.code).toBe(0);
    const name = `${orders.id} Database Administrator`;
    const role = roleNamed(name)!;
    expect(role.policy.resources).toEqual(drns(orders.id));
    const clientId = TOKEN_LINE.exec(r.stdout)![1];
    expect(r.stderr).toBe(
      `warning: the credential may not read databases (org-db-view), so database ${orders.id} is taken as given and the role is named after its id\n` +
        `created role '${name}' (${role.id})\n` +
        `created token ${clientId} (roles: ${name}; never expires)\n${WARNING}`,
    );
  });

  it('without org-db-view, a name exits 4 and says to pass the id', async () => {
    const r = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu, noDbViewToken()), now: NOW });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "error: cannot look up database 'orders' by name: the credential may not read databases (org-db-view); " +
        'pass the database id instead (--db <uuid>, shown in the Astra portal), or use a token that holds org-db-view\n',
    );
    expect(customRoles().map((x) => x.name)).toEqual(['token maker']);
  });

  it('a role of that name with another scope is not reused: exit 6, no token', async () => {
    const inventory = db('inventory');
    const id = emu.state.uuid();
    org().roles.push({
      id,
      name: 'orders Database Administrator',
      policy: { description: 'hand-made', resources: drns(inventory.id), actions: builtInActions(emu.state, DBA), effect: 'allow' },
      last_update_datetime: NOW.toISOString(),
      last_update_userid: 'test',
      builtIn: false,
    });
    const r = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: a role named 'orders Database Administrator' (${id}) exists but covers other resources than this scope; it is not reused; ` +
        `see 'astra-token role get ${id}'; delete it ('astra-token role delete ${id}') or rename it ('astra-token role update ${id} --name <new name>'), and the next run makes it anew\n`,
    );
    expect(created()).toEqual([]);
    expect(sent('POST', ROLES_PATH)).toEqual([]);
  });

  it('a scoped name that is a built-in role ("API" + "RO User") is never reused: exit 6', async () => {
    const api: Database = { ...structuredClone(db('orders')), id: emu.state.uuid() };
    api.info.name = 'API';
    org().databases.push(api);
    const builtIn = roleNamed('API RO User')!;
    const r = await runCli(['token', 'create', '--db', 'API', '--role', 'RO User'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      `error: a role named 'API RO User' (${builtIn.id}) exists but is a built-in role; it is not reused; ` +
        "'API RO User' cannot be a scoped role name; use 'astra-token role create --db' with another name, then token create --role\n",
    );
    expect(created()).toEqual([]);
  });

  it.each([
    ['narrowed', (_actions: string[]) => ['db-cql']],
    ['widened', (actions: string[]) => [...actions, 'org-token-write']],
  ])('a role whose actions were %s since it was made is not reused: exit 6, the role named, no token', async (_how, change) => {
    const first = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu), now: NOW });
    expect(first.code).toBe(0);
    const role = roleNamed('orders Database Administrator')!;
    role.policy.actions = change(role.policy.actions);
    const before = created().length;
    const r = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      `error: a role named 'orders Database Administrator' (${role.id}) exists but allows other actions than 'Database Administrator' ` +
        `(it was changed after it was made); it is not reused; see 'astra-token role get ${role.id}'; delete it ` +
        `('astra-token role delete ${role.id}') or rename it ('astra-token role update ${role.id} --name <new name>'), and the next run makes it anew\n`,
    );
    expect(r.stdout).toBe('');
    expect(created()).toHaveLength(before);
  });

  it('a database name with control characters or bidi controls never becomes a role name: exit 2, nothing made', async () => {
    for (const name of ['ord\u001b]0;pwned\u0007ers', 'orders\nAPI Admin User', 'sredro\u202e']) {
      const bad: Database = { ...structuredClone(db('orders')), id: emu.state.uuid() };
      bad.info.name = name;
      org().databases.push(bad);
      const r = await runCli(['token', 'create', '--db', bad.id], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^error: database ${bad.id} has a name that cannot name a role \\(a role name must not contain `),
      );
      expect(customRoles()).toEqual([]);
      expect(created()).toEqual([]);
    }
  });

  it('a credential that may not write roles gets exit 4 naming org-role-write', async () => {
    const token = emu.state.issueToken(org().id, [DBA]).token;
    const r = await runCli(['token', 'create', '--db', 'orders'], { env: envFor(emu, token), now: NOW });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/; the credential's roles lack org-role-write; use a token with the Organization Administrator role\n$/);
    expect(customRoles()).toEqual([]);
  });
});

describe('token create --db: flag checks before any request (exit 2)', () => {
  const cases: Array<[string[], string]> = [
    [['--keyspace', 'sales'], 'error: --keyspace needs --db: a keyspace is always inside a database\n'],
    [['--db', 'orders', '--table', 'items'], 'error: --table needs --keyspace: a table is always inside a keyspace\n'],
    [['--role', 'RO User', '--table', 'items'], 'error: --table needs --keyspace: a table is always inside a keyspace\n'],
    [
      ['--db', 'orders', '--keyspace', 'bad-name'],
      "error: --keyspace: 'bad-name' is not a keyspace name (letters, digits and _, at most 48) or *\n",
    ],
    [['--db', ''], 'error: --db: give a database name or id\n'],
    [['--db', '*'], 'error: --db: name one database (a token for every database needs no --db: use --role)\n'],
    [
      ['--db', 'orders', '--role', 'RO User', '--role', 'R/W User'],
      'error: --db takes one --role: the built-in role whose actions the database-scoped role gets; ' +
        'for several roles, create one scoped token per role, or a custom role with role create --db\n',
    ],
    [
      ['--db', 'orders', '--role', 'my custom role'],
      "error: --role with --db must name a built-in role, not 'my custom role'; " +
        'e.g. --role "Database Administrator" (the default), "R/W User" or "RO User"; a custom role can be scoped with \'astra-token role create --db\'\n',
    ],
    [
      ['--db', 'orders', '--org-id', '00000000-0000-4000-8000-000000000000'],
      'error: --org-id cannot be combined with --db: the scoped role is made in the org of the credential; use a credential of the target org instead\n',
    ],
  ];
  for (const [args, stderr] of cases) {
    it(args.join(' ') || '(none)', async () => {
      const r = await runCli(['token', 'create', ...args], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(stderr);
      expect(emu.state.requests).toEqual([]);
    });
  }

  it('with --json the error is the contract object on stderr', async () => {
    const r = await runCli(['token', 'create', '--keyspace', 'sales', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: '--keyspace needs --db: a keyspace is always inside a database' },
    });
    expect(emu.state.requests).toEqual([]);
  });

  it('an existing --output-file is refused before the role is made', async () => {
    const dir = tempDir('astra-token-scoped-');
    const path = join(dir, 'exists.txt');
    writeFileSync(path, 'keep me\n');
    const r = await runCli(['token', 'create', '--db', 'orders', '--output-file', path], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('keep me\n');
    expect(existsSync(path)).toBe(true);
    expect(emu.state.requests).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { cli, dbId, orgDrn, roleOf, sent } from '../../helpers/fixtures/role.js';

const emu = useEmulator();
const run = cli(emu);
const POSTED = ['GET /v2/currentOrg', 'GET /v2/organizations/roles', 'POST /v2/organizations/roles'];

describe('role create with --db/--keyspace/--table', () => {
  it.each([
    ['--db', [], (o: string, d: string) => [o, `${o}:db:${d}`, `${o}:db:${d}:keyspace:*`, `${o}:db:${d}:keyspace:*:table:*`]],
    [
      '--db --keyspace',
      ['--keyspace', 'sales'],
      (o: string, d: string) => [o, `${o}:db:${d}`, `${o}:db:${d}:keyspace:sales`, `${o}:db:${d}:keyspace:sales:table:*`],
    ],
    [
      '--db --keyspace --table',
      ['--keyspace', 'sales', '--table', 'orders'],
      (o: string, d: string) => [o, `${o}:db:${d}`, `${o}:db:${d}:keyspace:sales`, `${o}:db:${d}:keyspace:sales:table:orders`],
    ],
  ])('%s builds the portal resources', async (_label, extra, expected) => {
    const db = dbId(emu);
    const res = await run(['role', 'create', 'scoped', '--action', 'db-cql', '--db', db, ...extra, '--json']);
    expect(res.code).toBe(0);
    const role = roleOf(emu, 'scoped')!;
    expect(role.policy).toEqual({ description: '', resources: expected(orgDrn(emu), db), actions: ['db-cql'], effect: 'allow' });
    expect(JSON.parse(res.stdout)).toEqual({
      id: role.id,
      name: 'scoped',
      builtIn: false,
      description: '',
      effect: 'allow',
      actions: ['db-cql'],
      resources: expected(orgDrn(emu), db),
    });
    expect(res.stderr).toBe(`created role 'scoped' (${role.id})\n`);
    expect(sent(emu)).toEqual(POSTED);
  });

  it('--db * covers every database', async () => {
    const res = await run(['role', 'create', 'all dbs', '--action', 'db-cql', '--db', '*']);
    expect(res.code).toBe(0);
    const o = orgDrn(emu);
    expect(roleOf(emu, 'all dbs')!.policy.resources).toEqual([o, `${o}:db:*`, `${o}:db:*:keyspace:*`, `${o}:db:*:keyspace:*:table:*`]);
  });

  it.each([
    [['--keyspace', 'ks'], 'error: --keyspace needs --db: a keyspace is always inside a database\n'],
    [['--keyspace', 'ks', '--table', 't'], 'error: --keyspace needs --db: a keyspace is always inside a database\n'],
    [['--table', 't'], 'error: --table needs --keyspace: a table is always inside a keyspace\n'],
    [['--db', 'DB', '--table', 't'], 'error: --table needs --keyspace: a table is always inside a keyspace\n'],
    [
      ['--db', 'DB', '--keyspace', 'bad-name'],
      "error: --keyspace: 'bad-name' is not a keyspace name (letters, digits and _, at most 48) or *\n",
    ],
    [
      ['--db', 'DB', '--resource', 'ORG'],
      'error: --resource cannot be combined with --db/--keyspace/--table; give the resources either as DRNs or as a database scope\n',
    ],
  ])('refuses %j with exit 2 before any request', async (flags, stderr) => {
    const argv = flags.map((f) => (f === 'DB' ? dbId(emu) : f === 'ORG' ? orgDrn(emu) : f));
    const res = await run(['role', 'create', 'x', '--action', 'db-cql', ...argv]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(stderr);
    expect(sent(emu)).toEqual([]);
  });
});

describe('role create without --resource or --db', () => {
  it('covers the org itself, and says so', async () => {
    const res = await run(['role', 'create', 'auditor', '--action', 'org-audits-read', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ name: 'auditor', actions: ['org-audits-read'], resources: [orgDrn(emu)] });
    expect(res.stderr).toContain(`resources: ${orgDrn(emu)} (the org itself); add --db <id> or --resource <drn> to reach databases\n`);
  });
});

describe('role create with --resource', () => {
  it('takes DRNs as given (repeated or comma-separated) and prints the role record on a TTY', async () => {
    const o = orgDrn(emu);
    const res = await run(
      [
        'role',
        'create',
        'auditor',
        '--action',
        'org-audits-read,org-read',
        '--action',
        'org-db-view',
        '--resource',
        `${o},${o}:db:*`,
        '--resource',
        `${o}:db:*`,
        '--description',
        'reads audits',
        '--no-color',
      ],
      { tty: true },
    );
    expect(res.code).toBe(0);
    const role = roleOf(emu, 'auditor')!;
    expect(res.stdout).toBe(
      [
        `id:          ${role.id}`,
        'name:        auditor',
        'type:        custom',
        'description: reads audits',
        'effect:      allow',
        'actions:     org-audits-read',
        '             org-read',
        '             org-db-view',
        `resources:   ${o}`,
        `             ${o}:db:*`,
        '',
      ].join('\n'),
    );
    expect(res.stderr).toBe(`✓ created role 'auditor' (${role.id})\n`);
    expect(role.policy).toEqual({
      description: 'reads audits',
      resources: [o, `${o}:db:*`],
      actions: ['org-audits-read', 'org-read', 'org-db-view'],
      effect: 'allow',
    });
  });

  it('pipes label<TAB>value lines; -q drops the "created" message', async () => {
    const o = orgDrn(emu);
    const res = await run(['role', 'create', 'piped', '--action', 'db-cql', '--resource', `${o}:db:*`, '-q']);
    expect(res.code).toBe(0);
    const role = roleOf(emu, 'piped')!;
    expect(res.stdout).toBe(
      `id\t${role.id}\nname\tpiped\ntype\tcustom\ndescription\t\neffect\tallow\nactions\tdb-cql\nresources\t${o}:db:*\n`,
    );
    expect(res.stderr).toBe('');
  });

  it.each([
    ['db:*', "it must start with 'drn:astra:org:<org id>'"],
    ['drn:astra:org:my-org', "'my-org' is not an org id (a UUID)"],
    ['ORG:db:orders', "db level: 'orders' is not a database id (a UUID) or *"],
    ['ORG:db:*:table:*', "found level 'table' where 'keyspace' was expected (org, then db, keyspace, table)"],
  ])('refuses the malformed DRN %s with exit 2 and sends nothing', async (raw, problem) => {
    const drn = raw.replace('ORG', orgDrn(emu));
    const res = await run(['role', 'create', 'x', '--action', 'db-cql', '--resource', drn]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      `error: --resource: '${drn}' is not a valid resource: ${problem}; expected drn:astra:org:<org id>[:db:<db id|*>[:keyspace:<name|*>[:table:<name|*>]]]\n`,
    );
    expect(sent(emu)).toEqual([]);
  });

  it('refuses a DRN of another org (or the built-ins placeholder) after reading the org, before writing', async () => {
    const other = emu.state.addOrg('Other').id;
    for (const org of [other, '__ORG_ID__']) {
      emu.state.requests.length = 0;
      const res = await run(['role', 'create', 'x', '--action', 'db-cql', '--resource', `drn:astra:org:${org}:db:*`]);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(
        `error: --resource: 'drn:astra:org:${org}:db:*' names org ${org}, but the credential belongs to org ${emu.state.defaultOrg.id}; custom roles can only cover their own org; use drn:astra:org:${emu.state.defaultOrg.id}...\n`,
      );
      expect(sent(emu)).toEqual(['GET /v2/currentOrg']);
    }
  });
});

describe('role create: actions', () => {
  it('refuses an unknown action (exit 2) with the closest known one, before any request', async () => {
    const res = await run(['role', 'create', 'typo', '--action', 'db-cql', '--action', 'db-cqll', '--db', '*']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      "error: --action: unknown action 'db-cqll'; did you mean 'db-cql'? (an action newer than this tool: add --allow-unknown-action)\n",
    );
    expect(sent(emu)).toEqual([]);
    expect(roleOf(emu, 'typo')).toBeUndefined();
  });

  it('--allow-unknown-action sends it, with a warning naming the closest known one', async () => {
    const res = await run(['role', 'create', 'typo', '--action', 'db-cq', '--db', '*', '--allow-unknown-action']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      `warning: unknown action 'db-cq' (did you mean 'db-cql'?); sending it as given (--allow-unknown-action)\ncreated role 'typo' (${roleOf(emu, 'typo')!.id})\n`,
    );
    expect(roleOf(emu, 'typo')!.policy.actions).toEqual(['db-cq']);
  });

  it('--allow-unknown-action warns without a suggestion when nothing is close', async () => {
    const res = await run([
      'role',
      'create',
      'new',
      '--action',
      'db-vector-search-everything',
      '--db',
      '*',
      '-q',
      '--allow-unknown-action',
    ]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      "warning: unknown action 'db-vector-search-everything' (see 'astra-token role actions' for the documented ones); sending it as given (--allow-unknown-action)\n",
    );
  });

  it('known actions need no flag', async () => {
    const res = await run(['role', 'create', 'ok', '--action', 'db-cql', '--db', '*', '-q']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
  });

  it.each([
    [[], 'error: give at least one --action; e.g. --action db-cql --action db-table-select\n'],
    [['--action', ' , '], 'error: give at least one --action; e.g. --action db-cql --action db-table-select\n'],
    [['--action', 'db cql'], "error: --action: 'db cql' is not an action name (like db-cql or org-db-view)\n"],
  ])('refuses actions %j with exit 2', async (flags, stderr) => {
    const res = await run(['role', 'create', 'x', ...flags, '--db', '*']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(stderr);
    expect(sent(emu)).toEqual([]);
  });

  it('refuses an empty name', async () => {
    const res = await run(['role', 'create', '  ', '--action', 'db-cql', '--db', '*']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('error: role name: a role name must not be empty\n');
  });
});

describe('role create: conflicts and permissions', () => {
  it('exits 6 for a name that exists (case-insensitively) without sending the create', async () => {
    const res = await run(['role', 'create', 'r/w user', '--action', 'db-cql', '--db', '*']);
    expect(res.code).toBe(6);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      `error: a role named 'R/W User' already exists (${roleOf(emu, 'R/W User')!.id}); role names are unique in an org (case-insensitively); pick another name\n`,
    );
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', 'GET /v2/organizations/roles']);
  });

  it('maps the API 409 (a race with another writer) to exit 6', async () => {
    emu.state.injectFault({ method: 'POST', path: '/v2/organizations/roles', status: 409, body: '"role with name racer already exists"' });
    const res = await run(['role', 'create', 'racer', '--action', 'db-cql', '--db', '*', '--json']);
    expect(res.code).toBe(6);
    expect(res.stdout).toBe('');
    expect(JSON.parse(res.stderr)).toEqual({
      error: {
        code: 'CONFLICT',
        message: "a role named 'racer' already exists",
        status: 409,
        hint: 'role names are unique in an org (case-insensitively); pick another name',
      },
    });
  });

  it('exits 4 when the token lacks org-role-write', async () => {
    const dba = emu.state.issueToken(emu.state.defaultOrg.id, ['Database Administrator']).token;
    const res = await cli(emu, dba)(['role', 'create', 'x', '--action', 'db-cql', '--db', '*']);
    expect(res.code).toBe(4);
    expect(res.stderr).toBe(
      "error: role does not permit org-role-write (HTTP 403 from POST /v2/organizations/roles); the credential's roles lack org-role-write; use a token with the Organization Administrator role\n",
    );
    expect(roleOf(emu, 'x')).toBeUndefined();
  });

  it('exits 3 without a usable credential', async () => {
    const res = await cli(emu, `AstraCS:${'A'.repeat(24)}:${'0'.repeat(64)}`)(['role', 'create', 'x', '--action', 'db-cql', '--db', '*']);
    expect(res.code).toBe(3);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { addProfile, cliWithDir, clientIdOf, fileNote, stripAnsi, UNKNOWN_TOKEN } from '../../helpers/fixtures/org.js';
import { parseJson } from '../../helpers/typed.js';

const emu = useEmulator();
const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('org add: token sources', () => {
  it('reads the token from stdin with --with-token, validates it and makes the first profile current', async () => {
    const cli = cliWithDir();
    const org = emu.state.defaultOrg;
    const r = await cli.run(['org', 'add', 'prod', '--with-token', '--api-url', emu.baseUrl], { stdin: `${emu.adminToken}\n`, now: NOW });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `${fileNote(cli.dir)}saved profile 'prod' for org 'Emulated Org' (${org.id}) at ${emu.baseUrl}\n'prod' is the current profile.\n`,
    });
    expect(cli.config()).toEqual({
      version: 2,
      current: 'prod',
      profiles: [
        {
          name: 'prod',
          storage: 'file',
          token: emu.adminToken,
          clientId: clientIdOf(emu.adminToken),
          apiUrl: emu.baseUrl,
          orgId: org.id,
          orgName: 'Emulated Org',
          updatedAt: NOW.toISOString(),
        },
      ],
    });
    expect(emu.state.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'GET /v2/currentOrg 200',
      'GET /v2/organizations/users 200',
    ]);
  });

  it('prints the saved profile as an `org list` item with --json', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'prod', '--with-token', '--api-url', emu.baseUrl, '--json'], { stdin: emu.adminToken });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'prod',
      current: true,
      orgId: emu.state.defaultOrg.id,
      orgName: 'Emulated Org',
      apiUrl: emu.baseUrl,
      storage: 'file',
    });
    expect(Object.keys(parseJson<object>(r.stdout))).toEqual(['name', 'current', 'orgId', 'orgName', 'apiUrl', 'storage']);
    expect(r.stdout).not.toContain(emu.adminToken);
  });

  it('asks with a hidden prompt on a terminal and never echoes the token', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'prod', '--api-url', emu.baseUrl], {
      tty: true,
      stdin: `${emu.adminToken}\n`,
      env: { NO_COLOR: '1' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // readline positions the cursor on a terminal; what matters is the text, and that the token is not echoed.
    expect(r.stderr).not.toContain(clientIdOf(emu.adminToken));
    expect(stripAnsi(r.stderr)).toBe(
      `Astra token (AstraCS:..., input hidden): \n${fileNote(cli.dir)}✓ saved profile 'prod' for org 'Emulated Org' (${emu.state.defaultOrg.id}) at ${emu.baseUrl}\n'prod' is the current profile.\n`,
    );
    expect(cli.config().profiles[0]!.token).toBe(emu.adminToken);
  });

  it('an empty answer at the prompt takes ASTRA_DB_APPLICATION_TOKEN when it is set', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'ci', '--api-url', emu.baseUrl], {
      tty: true,
      stdin: '\n',
      env: { NO_COLOR: '1', ASTRA_DB_APPLICATION_TOKEN: emu.adminToken },
    });
    expect(r.code).toBe(0);
    expect(stripAnsi(r.stderr)).toContain('Astra token (AstraCS:..., input hidden; empty to use ASTRA_DB_APPLICATION_TOKEN): \n');
    expect(r.stderr).toContain(
      "warning: ASTRA_DB_APPLICATION_TOKEN is set in this shell and takes precedence over 'ci' until it is unset\n",
    );
    expect(cli.config().profiles[0]!.token).toBe(emu.adminToken);
  });

  it('reads --token-file (a path or - for stdin)', async () => {
    const cli = cliWithDir();
    const file = join(cli.dir, 'token.txt');
    writeFileSync(file, `${emu.adminToken}\n`);
    expect((await cli.run(['org', 'add', 'a', '--token-file', file, '--api-url', emu.baseUrl])).code).toBe(0);
    expect((await cli.run(['org', 'add', 'b', '--token-file', '-', '--api-url', emu.baseUrl], { stdin: emu.adminToken })).code).toBe(0);
    expect(cli.config().profiles.map((p) => [p.name, p.token])).toEqual([
      ['a', emu.adminToken],
      ['b', emu.adminToken],
    ]);
  });

  it('takes ASTRA_DB_APPLICATION_TOKEN when piped and nothing else is given', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'ci', '--api-url', emu.baseUrl], { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken } });
    expect(r.code).toBe(0);
    expect(cli.config().profiles[0]!.token).toBe(emu.adminToken);
  });

  it('refuses --with-token together with --token-file', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', '--with-token', '--token-file', '-', '--api-url', emu.baseUrl], { stdin: emu.adminToken });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: --with-token and --token-file both give the token; use one of them\n' });
  });

  it('exits 2 without a token source: piped, and on a terminal with --no-input', async () => {
    const cli = cliWithDir();
    const hint = '; pipe it in with --with-token, pass --token-file <path>, or set ASTRA_DB_APPLICATION_TOKEN\n';
    expect(await cli.run(['org', 'add', 'x', '--api-url', emu.baseUrl])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: no token to save, and no terminal to ask for one${hint}`,
    });
    expect(await cli.run(['org', 'add', 'x', '--no-input', '--api-url', emu.baseUrl], { tty: true, env: { NO_COLOR: '1' } })).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: no token to save, and --no-input forbids asking for one${hint}`,
    });
    expect(emu.state.requests).toEqual([]);
  });
});

describe('org add: the token format', () => {
  const secret = 'ab'.repeat(32);
  it.each([
    ['a wrong prefix', `astracs:${'Q'.repeat(24)}:${secret}`, 'an Astra token starts with "AstraCS:"'],
    [
      'white space pasted in',
      `AstraCS:${'Q'.repeat(24)}: ${secret}`,
      'it contains white space (was it pasted with a line break or a space?)',
    ],
    ['a short secret', `AstraCS:${'Q'.repeat(24)}:${secret.slice(2)}`, 'its secret part should be 64 hex characters, not 62'],
  ])('names %s without echoing the token', async (_what, token, problem) => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', '--with-token', '--api-url', emu.baseUrl], { stdin: token });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `error: the token from standard input is not a valid Astra token: ${problem}\n` });
    expect(r.stderr).not.toContain(secret.slice(2, 40));
    expect(emu.state.requests).toEqual([]);
  });

  it('refuses a token given on the command line before doing anything', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', emu.adminToken, '--api-url', emu.baseUrl]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: a token was given on the command line.*--with-token.*--token-file.*ASTRA_DB_APPLICATION_TOKEN\n$/);
    expect(r.stderr).not.toContain(emu.adminToken.split(':')[2]!);
    expect(emu.state.requests).toEqual([]);
  });
});

describe('a token pasted with white space around it', () => {
  const padded = (token: string) => ` \t${token} \r\n`;

  it('is trimmed from stdin, the prompt, --token-file and the environment; the saved token is the bare one', async () => {
    const cli = cliWithDir();
    const file = join(cli.dir, 'token.txt');
    writeFileSync(file, padded(emu.adminToken));
    const api = ['--api-url', emu.baseUrl];
    expect((await cli.run(['org', 'add', 'stdin', '--with-token', ...api], { stdin: padded(emu.adminToken) })).code).toBe(0);
    expect(
      (await cli.run(['org', 'add', 'prompt', ...api], { tty: true, stdin: `  ${emu.adminToken}  \n`, env: { NO_COLOR: '1' } })).code,
    ).toBe(0);
    expect((await cli.run(['org', 'add', 'file', '--token-file', file, ...api])).code).toBe(0);
    expect((await cli.run(['org', 'add', 'env', ...api], { env: { ASTRA_DB_APPLICATION_TOKEN: padded(emu.adminToken) } })).code).toBe(0);
    expect(cli.config().profiles.map((p) => [p.name, p.token])).toEqual([
      ['stdin', emu.adminToken],
      ['prompt', emu.adminToken],
      ['file', emu.adminToken],
      ['env', emu.adminToken],
    ]);
  });

  it('is used trimmed by every command: --token-file and ASTRA_DB_APPLICATION_TOKEN', async () => {
    const cli = cliWithDir();
    const file = join(cli.dir, 'token.txt');
    writeFileSync(file, padded(emu.adminToken));
    const viaFile = await cli.run(['org', 'current', '--json', '--token-file', file, '--api-url', emu.baseUrl]);
    const viaEnv = await cli.run(['org', 'current', '--json', '--api-url', emu.baseUrl], {
      env: { ASTRA_DB_APPLICATION_TOKEN: padded(emu.adminToken) },
    });
    for (const r of [viaFile, viaEnv]) {
      expect(r.code, r.stderr).toBe(0);
      expect(parseJson<{ orgId: string }>(r.stdout).orgId).toBe(emu.state.defaultOrg.id);
    }
  });

  it('white space inside the token stays an error (exit 2), from every source, and nothing is sent', async () => {
    const cli = cliWithDir();
    const broken = ` ${emu.adminToken.slice(0, 40)} ${emu.adminToken.slice(40)} `;
    const problem = 'is not a valid Astra token: it contains white space (was it pasted with a line break or a space?)';
    const file = join(cli.dir, 'token.txt');
    writeFileSync(file, broken);
    const api = ['--api-url', emu.baseUrl];
    const runs = [
      ['standard input', await cli.run(['org', 'add', 'x', '--with-token', ...api], { stdin: broken })],
      [`--token-file ${file}`, await cli.run(['org', 'current', '--token-file', file, ...api])],
      ['ASTRA_DB_APPLICATION_TOKEN', await cli.run(['org', 'current', ...api], { env: { ASTRA_DB_APPLICATION_TOKEN: broken } })],
    ] as const;
    for (const [source, r] of runs) {
      expect(r).toEqual({ code: 2, stdout: '', stderr: `error: the token from ${source} ${problem}\n` });
    }
    expect(emu.state.requests).toEqual([]);
  });
});

describe('org add: validation', () => {
  it('exits 3 on 401 naming the API URL and a possibly wrong environment; nothing is saved', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', '--with-token', '--api-url', emu.baseUrl], { stdin: UNKNOWN_TOKEN });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr:
        `error: the API at ${emu.baseUrl} rejected the token (HTTP 401): it is revoked, expired, or from another environment; ` +
        'a token works only in the environment that issued it: try --env prod, --env dev or --env test (or --api-url <url>); --no-validate saves it unchecked\n',
    });
    expect(() => cli.raw()).toThrow(/ENOENT/);
  });

  it('a token of another environment: the 401 names that environment and suggests the others', async () => {
    const cli = cliWithDir();
    emu.server.use(
      http.get('https://api.dev.cloud.datastax.com/v2/currentOrg', () =>
        HttpResponse.json({ errors: [{ ID: 401, message: 'invalid token' }] }, { status: 401 }),
      ),
    );
    const r = await cli.run(['org', 'add', 'staging', '--env', 'dev', '--with-token', '--json'], { stdin: emu.adminToken });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        status: 401,
        message:
          'the API at https://api.dev.cloud.datastax.com rejected the token (HTTP 401): it is revoked, expired, or from another environment',
        hint: 'a token works only in the environment that issued it: try --env prod or --env test (or --api-url <url>); --no-validate saves it unchecked',
      },
    });
  });

  it('stores --env with the profile and its API URL', async () => {
    const cli = cliWithDir();
    // The in-process emulator answers on any origin, so the dev URL reaches it.
    const r = await cli.run(['org', 'add', 'staging', '--env', 'dev', '--with-token'], { stdin: emu.adminToken });
    expect(r.code).toBe(0);
    expect(cli.config().profiles[0]).toMatchObject({ name: 'staging', env: 'dev', apiUrl: 'https://api.dev.cloud.datastax.com' });
  });

  it('falls back to the org id when the token may not read users (403), with a note', async () => {
    const cli = cliWithDir();
    const ro = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token;
    const r = await cli.run(['org', 'add', 'ro', '--with-token', '--api-url', emu.baseUrl, '--json'], { stdin: ro });
    const id = emu.state.defaultOrg.id;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'ro', current: true, orgId: id, orgName: null, apiUrl: emu.baseUrl, storage: 'file' });
    expect(r.stderr).toBe(
      `note: this token may not read the org name (it needs org-user-read); the profile shows the org id ${id}\n` +
        `${fileNote(cli.dir)}saved profile 'ro' for org ${id} at ${emu.baseUrl}\n'ro' is the current profile.\n`,
    );
    expect(cli.config().profiles[0]).not.toHaveProperty('orgName');
  });

  it('--no-validate saves without any request', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', '--with-token', '--no-validate', '--api-url', emu.baseUrl, '--json'], {
      stdin: UNKNOWN_TOKEN,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'x', current: true, orgId: null, orgName: null, apiUrl: emu.baseUrl, storage: 'file' });
    expect(r.stderr).toBe(
      `${fileNote(cli.dir)}saved profile 'x' for an org not validated (--no-validate) at ${emu.baseUrl}\n'x' is the current profile.\n`,
    );
    expect(emu.state.requests).toEqual([]);
  });

  it('-q keeps stderr quiet on success (the token kept in plain text is still said)', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'x', '-q', '--with-token', '--api-url', emu.baseUrl], { stdin: emu.adminToken });
    expect(r).toEqual({ code: 0, stdout: '', stderr: fileNote(cli.dir) });
    const chosen = await cli.run(['org', 'add', 'y', '-q', '--with-token', '--api-url', emu.baseUrl, '--storage', 'file'], {
      stdin: emu.adminToken,
    });
    expect(chosen).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('org add: names, conflicts and the current profile', () => {
  it('refuses an existing name with exit 6 before asking for a token, and --force replaces it in place', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'prod', emu.adminToken);
    await addProfile(cli, emu, 'other', emu.adminToken);
    const before = cli.raw();
    const r = await cli.run(['org', 'add', 'prod', '--api-url', emu.baseUrl], { tty: true, env: { NO_COLOR: '1' } });
    expect(r).toEqual({
      code: 6,
      stdout: '',
      stderr: "error: a profile named 'prod' exists already; pass --force to replace it, or pick another name\n",
    });
    expect(cli.raw()).toBe(before);

    const ro = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token;
    const forced = await cli.run(['org', 'add', 'prod', '--force', '--with-token', '--api-url', emu.baseUrl], { stdin: ro });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`replaced profile 'prod' for org ${emu.state.defaultOrg.id}`);
    const after = cli.config();
    expect(after.current).toBe('prod');
    expect(after.profiles.map((p) => [p.name, p.token])).toEqual([
      ['prod', ro],
      ['other', emu.adminToken],
    ]);
  });

  it('a later profile is not current unless --use', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'first', emu.adminToken);
    const second = await cli.run(['org', 'add', 'second', '--with-token', '--api-url', emu.baseUrl], { stdin: emu.adminToken });
    expect(second.stderr).toContain("Use it with --profile 'second', or make it current with: astra-token org switch 'second'\n");
    expect(cli.config().current).toBe('first');
    await addProfile(cli, emu, 'third', emu.adminToken, '--use');
    expect(cli.config().current).toBe('third');
  });

  it('keeps dots, slashes and spaces in names as data, never as key paths', async () => {
    const cli = cliWithDir();
    for (const name of ['a', 'a.b', 'customer/acme prod', 'a.b.c']) {
      await cli.run(['org', 'add', name, '--with-token', '--no-validate', '--api-url', emu.baseUrl], { stdin: UNKNOWN_TOKEN });
    }
    const config = cli.config();
    expect(config.profiles.map((p) => p.name)).toEqual(['a', 'a.b', 'customer/acme prod', 'a.b.c']);
    expect(Object.keys(config)).toEqual(['version', 'current', 'profiles']);
  });

  it.each([
    ['', 'error: a profile name cannot be empty\n'],
    ['  ', 'error: a profile name cannot be empty\n'],
    ['a\tb', "error: the profile name 'a\\tb' contains a control character (tab, line break, ...)\n"],
    [' prod', "error: the profile name ' prod' starts or ends with white space\n"],
  ])('refuses the name %j with exit 2', async (name, stderr) => {
    const cli = cliWithDir();
    expect(await cli.run(['org', 'add', name, '--with-token', '--api-url', emu.baseUrl], { stdin: emu.adminToken })).toEqual({
      code: 2,
      stdout: '',
      stderr,
    });
  });

  it('refuses plain http to a remote host and two API choices at once', async () => {
    const cli = cliWithDir();
    const http1 = await cli.run(['org', 'add', 'x', '--with-token', '--api-url', 'http://api.example.com'], { stdin: emu.adminToken });
    expect(http1.code).toBe(2);
    expect(http1.stderr).toContain('refusing plain http to api.example.com');
    const both = await cli.run(['org', 'add', 'x', '--with-token', '--env', 'dev', '--api-url', emu.baseUrl], { stdin: emu.adminToken });
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'error: --api-url and --env both pick the API; give one of them\n' });
  });
});

describe('org add: --streaming-api-url', () => {
  it('stores a checked streaming host with the profile', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'p', emu.adminToken, '--streaming-api-url', 'https://streaming.example.test/');
    expect(cli.config().profiles[0]!.streamingApiUrl).toBe('https://streaming.example.test');
  });

  it('refuses a plain-http streaming host that is not loopback, saving nothing', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'add', 'p', '--with-token', '--api-url', emu.baseUrl, '--streaming-api-url', 'http://10.1.2.3'], {
      stdin: emu.adminToken,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --streaming-api-url: refusing plain http to 10\.1\.2\.3/);
    expect(() => cli.raw()).toThrow(/ENOENT/);
  });
});

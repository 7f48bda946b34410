import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocal } from '../../../src/output/format-time.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { BOGUS_TOKEN, DAY, NOW, at, clientIdOf, envFor, roleId } from '../../helpers/fixtures/token.js';
import { tempDir } from '../../helpers/temp.js';
import { jsonError } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });
const secretOf = (token: string) => token.split(':')[2]!;
const apiEnv = () => ({ ASTRA_API_URL: emu.baseUrl });

function issue(roles = ['R/W User']) {
  return emu.state.issueToken(emu.state.defaultOrg.id, roles, { description: 'orders', expiresAt: at(12 * DAY), generatedOn: at(-DAY) })
    .token;
}

const jwt = (claims: object) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJlLW5vdC1zaG93bg`;

describe('token inspect', () => {
  describe('offline', () => {
    it('reads the token from stdin and prints label/value rows when piped', async () => {
      const token = issue();
      const r = await runCli(['token', 'inspect'], { env: apiEnv(), stdin: `${token}\n` });
      expect(r).toEqual({
        code: 0,
        stdout: `Source\tstdin\nKind\tAstra application token\nClient ID\t${clientIdOf(token)}\nFormat\tvalid\n`,
        stderr: '',
      });
      expect(emu.state.requests).toEqual([]);
    });

    it('prints a record on a TTY (token from the environment)', async () => {
      const token = issue();
      const r = await runCli(['token', 'inspect', '--no-color'], { env: envFor(emu, token), tty: true });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        `Source:    ASTRA_DB_APPLICATION_TOKEN\nKind:      Astra application token\nClient ID: ${clientIdOf(token)}\nFormat:    valid\n`,
      );
    });

    it('reads --token-file', async () => {
      const token = issue();
      const path = join(tempDir('astra-token-in-'), 't.txt');
      writeFileSync(path, token + '\n');
      const r = await runCli(['--token-file', path, 'token', 'inspect', '--json'], { env: apiEnv() });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        source: 'token-file',
        clientId: clientIdOf(token),
        valid: true,
        kind: 'astra',
        problem: null,
        jwt: null,
        check: null,
      });
    });

    it('prefers the environment over piped stdin; --token-file - reads stdin', async () => {
      const piped = issue();
      const fromEnv = issue();
      const r = await runCli(['token', 'inspect', '--json'], { env: envFor(emu, fromEnv), stdin: piped });
      expect(JSON.parse(r.stdout)).toMatchObject({ source: 'env', clientId: clientIdOf(fromEnv) });
      const dash = await runCli(['token', 'inspect', '--json', '--token-file', '-'], { env: envFor(emu, fromEnv), stdin: piped });
      expect(JSON.parse(dash.stdout)).toMatchObject({ source: 'stdin', clientId: clientIdOf(piped) });
    });

    it('prefers the active profile over piped stdin', async () => {
      const saved = issue();
      const env = { ASTRA_TOKEN_CONFIG_DIR: tempDir('astra-token-in-'), ...apiEnv() };
      expect((await runCli(['org', 'add', 'prod', '--with-token', '--no-validate'], { env, stdin: saved })).code).toBe(0);
      const r = await runCli(['token', 'inspect', '--json'], { env, stdin: issue() });
      expect(JSON.parse(r.stdout)).toMatchObject({ source: 'profile:prod', clientId: clientIdOf(saved) });
    });

    it('never waits on an open, silent stdin when a credential is set (as under token exec or docker -i)', async () => {
      const token = issue();
      const r = await runCli(['token', 'inspect', '--check', '--json'], { env: envFor(emu, token), stdinOpen: true, now: NOW });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ source: 'env', clientId: clientIdOf(token), check: { live: true } });
    });

    it('explains a malformed token, never echoes it, and exits 2 (stdout empty under --json, as for every error)', async () => {
      const token = issue();
      const broken = token.slice(0, 60) + ' ' + token.slice(60);
      const r = await runCli(['token', 'inspect', '--json'], { env: apiEnv(), stdin: broken });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(jsonError(r.stderr)).toEqual({
        code: 'USAGE',
        message: 'not a valid Astra application token: it contains white space (was it pasted with a line break or a space?)',
      });
      expect(r.stdout + r.stderr).not.toContain(secretOf(token).slice(20, 40));
    });

    it('recognises a Pulsar JWT and explains it, showing its claims but not the token', async () => {
      const token = jwt({ sub: 'client;tenant;admin', iss: 'datastax', iat: 1767225600, exp: 1798761600 });
      const r = await runCli(['token', 'inspect'], { env: apiEnv(), stdin: token });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe(
        [
          'Source\tstdin',
          'Kind\tAstra Streaming (Pulsar) JWT',
          'Client ID\t-',
          'Format\tinvalid: this is a JWT (an Astra Streaming/Pulsar token), not an Astra application token (AstraCS:...); use it with Pulsar clients, or see `astra-token streaming token --help`',
          'Subject\tclient;tenant;admin',
          'Issued\t2026-01-01T00:00:00.000Z',
          'Expires\t2027-01-01T00:00:00.000Z',
        ].join('\n') + '\n',
      );
      expect(r.stderr).toMatch(/^error: not a valid Astra application token: this is a JWT/);
      expect(r.stdout + r.stderr).not.toContain('c2lnbmF0dXJl');
    });

    it('exits 3 when there is no token anywhere', async () => {
      const r = await runCli(['token', 'inspect']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: no token to inspect; pipe one on stdin/);
    });
  });

  describe('--check', () => {
    it('shows live, org, roles and expiry', async () => {
      const token = issue(['R/W User', 'RO User']);
      const r = await runCli(['token', 'inspect', '--check', '--json'], { env: apiEnv(), stdin: token, now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        source: 'stdin',
        clientId: clientIdOf(token),
        valid: true,
        kind: 'astra',
        problem: null,
        jwt: null,
        check: {
          apiUrl: emu.baseUrl,
          live: true,
          orgId: emu.state.defaultOrg.id,
          listed: false,
          roles: null,
          description: null,
          generatedOn: null,
          expiresAt: null,
        },
      });
      // R/W User may not read the token list: a 403 there is tolerated.
      expect(emu.state.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual(
        expect.arrayContaining(['GET /v2/currentOrg 200', 'GET /v2/tokens 403']),
      );
    });

    it('adds roles, description and expiry when the token may list tokens', async () => {
      const token = issue(['Database Administrator']);
      const dba = roleId(emu.state, 'Database Administrator');
      const piped = await runCli(['token', 'inspect', '--check'], { env: apiEnv(), stdin: token, now: NOW });
      expect(piped.code).toBe(0);
      expect(piped.stdout).toBe(
        [
          'Source\tstdin',
          'Kind\tAstra application token',
          `Client ID\t${clientIdOf(token)}`,
          'Format\tvalid',
          `API\t${emu.baseUrl}`,
          'Live\tyes',
          `Org ID\t${emu.state.defaultOrg.id}`,
          'Roles\tDatabase Administrator',
          'Description\torders',
          `Created\t${at(-DAY).toISOString()}`,
          `Expires\t${at(12 * DAY).toISOString()}`,
        ].join('\n') + '\n',
      );
      const tty = await runCli(['--token-file', '-', 'token', 'inspect', '--check', '--no-color'], {
        env: apiEnv(),
        stdin: token,
        now: NOW,
        tty: true,
      });
      expect(tty.code).toBe(0);
      expect(tty.stdout).toContain(`Roles:       Database Administrator (${dba})\n`);
      expect(tty.stdout).toContain(`Created:     ${formatLocal(at(-DAY))}\n`);
      expect(tty.stdout).toContain(`Expires:     ${formatLocal(at(12 * DAY))} (in 12 days)\n`);
      expect(tty.stdout + tty.stderr).not.toContain(secretOf(token));
    });

    it('reports a rejected token as not live and exits 3', async () => {
      const r = await runCli(['token', 'inspect', '--check', '--json'], { env: apiEnv(), stdin: BOGUS_TOKEN, now: NOW });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(jsonError(r.stderr)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      const human = await runCli(['token', 'inspect', '--check'], { env: apiEnv(), stdin: BOGUS_TOKEN, now: NOW });
      expect(human.code).toBe(3);
      expect(human.stdout).toMatch(/Live\s+no/);
    });

    it('does not send a malformed token to the API', async () => {
      const r = await runCli(['token', 'inspect', '--check'], { env: apiEnv(), stdin: 'AstraCS:short:abc' });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: not a valid Astra application token: its client id (the second part) should be 24 letters; it was not sent to the API\n',
      );
      expect(emu.state.requests).toEqual([]);
    });
  });
});

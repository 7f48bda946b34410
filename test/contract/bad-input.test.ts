// Malformed invocations across every command. Each must end with the contract's exit code, exactly one line on
// stderr that says what to do (one JSON line with --json), nothing on stdout, no stack trace, and no request where
// the input itself was invalid (a lookup that has to ask the API, like an unknown role name, may read but never
// change anything).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const emu = useEmulator({ state: { now: () => NOW } });

const CLIENT_ID = 'AbCdEfGhIjKlMnOpQrStUvWx';
const TOKEN_SHAPED = `AstraCS:${'Z'.repeat(24)}:${'0123456789abcdef'.repeat(4)}`;
/** Stands for the current test's admin token on stdin. */
const ADMIN = '<admin token>';
const LONG = 'x'.repeat(10 * 1024);
const STREAMING = ['--tenant', 'demo-tenant', '--cluster', 'pulsar-gcp-useast4'];
const EXISTING_FILE = join(tempDir('astra-token-bad-input-'), 'exists.txt');
writeFileSync(EXISTING_FILE, 'keep me\n');

/** A config dir holding one profile `prod` (current), written directly so that no request is made to set it up. */
function configWithProfile(): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const config = {
    version: 1,
    current: 'prod',
    profiles: [{ name: 'prod', token: emu.adminToken, apiUrl: emu.baseUrl, updatedAt: NOW.toISOString() }],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return dir;
}

interface Case {
  argv: string[];
  code: number;
  /** What the one line must say (besides "error: "). */
  says: RegExp;
  stdin?: string;
  /** Run without ASTRA_DB_APPLICATION_TOKEN in the environment (the saved profile `prod` is the credential). */
  noEnvToken?: boolean;
  env?: Record<string, string>;
  /** The input is well-formed but only the API can tell it is wrong: GETs are allowed, nothing else. */
  reads?: boolean;
}

const NEEDS_YES = /--yes/;

// prettier-ignore
const CASES: Case[] = [
  // The program and its global options.
  { argv: ['frob'], code: 2, says: /unknown command 'frob'; see 'astra-token --help'$/ },
  { argv: ['tokn', 'list'], code: 2, says: /Did you mean token\?\); see 'astra-token --help'$/ },
  { argv: ['token', 'frob', '--json'], code: 2, says: /^unknown command 'frob'; see 'astra-token token --help'$/ },
  { argv: ['token', 'list', '--expired=yes'], code: 2, says: /option '--expired' does not take an argument|unknown option/ },
  { argv: ['token', 'frob'], code: 2, says: /unknown command 'frob'; see 'astra-token token --help'$/ },
  { argv: ['role', 'lst'], code: 2, says: /unknown command 'lst' \(Did you mean list\?\); see 'astra-token role --help'$/ },
  { argv: ['streaming', 'token', 'frob'], code: 2, says: /see 'astra-token streaming token --help'$/ },
  { argv: ['--bogus', 'token', 'list'], code: 2, says: /unknown option '--bogus'; see 'astra-token --help'$/ },
  { argv: ['token', 'list', '--rol', 'x'], code: 2, says: /unknown option '--rol' \(Did you mean --role\?\); see 'astra-token token list --help'$/ },
  { argv: ['token', 'list', '--timeout', 'abc'], code: 2, says: /--timeout: 'abc' is not a number of seconds/ },
  { argv: ['token', 'list', '--timeout', '0'], code: 2, says: /--timeout/ },
  { argv: ['token', 'list', '--timeout', ''], code: 2, says: /--timeout/ },
  { argv: ['token', 'list', '--timeout'], code: 2, says: /option '--timeout <seconds>' argument missing; see 'astra-token --help'$/ },
  { argv: ['token', 'list', '--env', 'staging'], code: 2, says: /--env: 'staging' is not one of prod, dev, test/ },
  { argv: ['token', 'list', '--env', 'dev', '--api-url', 'https://api.example.com'], code: 2, says: /give one of them/ },
  { argv: ['token', 'list', '--api-url', 'http://api.example.com'], code: 2, says: /refusing plain http to api\.example\.com.*use https/ },
  { argv: ['token', 'list', '--api-url', 'ftp://api.example.com'], code: 2, says: /unsupported scheme 'ftp:'; use https/ },
  { argv: ['token', 'list', '--api-url', 'not a url'], code: 2, says: /is not a URL; use e\.g\. https/ },
  { argv: ['token', 'list', '--api-url', 'https://me:pw@api.example.com'], code: 2, says: /credentials in the URL are not allowed/ },
  { argv: ['token', 'list', '--api-url', ''], code: 2, says: /--api-url/ },
  { argv: ['token', 'list'], env: { ASTRA_API_URL: 'http://10.1.2.3:8080' }, code: 2, says: /ASTRA_API_URL: refusing plain http/ },
  { argv: ['token', 'list', '--profile', 'nope'], noEnvToken: true, code: 5, says: /no profile named 'nope'.*known profiles: 'prod'/ },
  { argv: ['token', 'list', '--profile', 'prd'], noEnvToken: true, code: 5, says: /did you mean 'prod'\?/ },
  { argv: ['token', 'list'], noEnvToken: true, env: { ASTRA_PROFILE: 'nope' }, code: 5, says: /no profile named 'nope'/ },
  { argv: ['token', 'list', '--token-file', '/nonexistent/token'], code: 2, says: /--token-file: cannot read \/nonexistent\/token: no such file/ },
  { argv: ['token', 'list', '--token-file', '-'], stdin: 'not a token\n', code: 2, says: /standard input is not a valid Astra token/ },
  { argv: ['token', 'list', '--token-file', '-'], stdin: '', code: 2, says: /standard input is not a valid Astra token.*empty/ },
  { argv: ['token', 'list'], env: { ASTRA_DB_APPLICATION_TOKEN: 'AstraCS:short' }, code: 2, says: /ASTRA_DB_APPLICATION_TOKEN is not a valid Astra token/ },
  { argv: ['token', 'list', `--description=${TOKEN_SHAPED}`], code: 2, says: /a token was given on the command line.*--token-file/ },
  { argv: ['token', 'list', '--', TOKEN_SHAPED], code: 2, says: /a token was given on the command line/ },
  { argv: ['org', 'add', 'ci', 'AstraCS:partial'], code: 2, says: /a token was given on the command line/ },

  // org
  { argv: ['org', 'add'], code: 2, says: /missing required argument 'name'; see 'astra-token org add --help'$/ },
  { argv: ['org', 'add', 'a', 'b'], code: 2, says: /too many arguments for 'add': expected 1 argument but got 2; see 'astra-token org add --help'$/ },
  { argv: ['org', 'add', '', '--with-token'], stdin: ADMIN, code: 2, says: /a profile name cannot be empty/ },
  { argv: ['org', 'add', 'a\tb', '--with-token'], stdin: ADMIN, code: 2, says: /contains a control character/ },
  { argv: ['org', 'add', 'a\u001b[31mred', '--with-token'], stdin: ADMIN, code: 2, says: /'a\\x1b\[31mred' contains a control character/ },
  { argv: ['org', 'add', ' prod', '--with-token'], stdin: ADMIN, code: 2, says: /starts or ends with white space/ },
  { argv: ['org', 'add', LONG, '--with-token'], stdin: ADMIN, code: 2, says: /is longer than 100 characters/ },
  { argv: ['org', 'add', 'ci', '--with-token'], stdin: '', code: 2, says: /not a valid Astra token/ },
  { argv: ['org', 'add', 'ci', '--with-token'], stdin: 'AstraCS:nope', code: 2, says: /not a valid Astra token/ },
  { argv: ['org', 'add', 'ci', '--no-input'], noEnvToken: true, code: 2, says: /--with-token/ },
  { argv: ['org', 'add', 'ci', '--json'], noEnvToken: true, code: 2, says: /--with-token/ },
  { argv: ['org', 'add', 'ci', '--with-token', '--env', 'mars'], stdin: ADMIN, code: 2, says: /--env: 'mars' is not one of prod, dev, test/ },
  { argv: ['org', 'add', 'prod', '--with-token'], stdin: ADMIN, code: 6, says: /--force/ },
  { argv: ['org', 'switch'], code: 2, says: /missing required argument 'name'; see 'astra-token org switch --help'$/ },
  { argv: ['org', 'switch', 'a', 'b'], code: 2, says: /too many arguments for 'switch'/ },
  { argv: ['org', 'switch', 'nope'], code: 5, says: /no profile named 'nope'.*'prod'/ },
  { argv: ['org', 'switch', ''], code: 5, says: /no profile named ''/ },
  { argv: ['org', 'remove', 'prod'], code: 2, says: NEEDS_YES },
  { argv: ['org', 'remove', 'prod', '--no-input'], code: 2, says: NEEDS_YES },
  { argv: ['org', 'remove', 'prod', '--json'], code: 2, says: NEEDS_YES },
  { argv: ['org', 'remove', 'nope', '--yes'], code: 5, says: /no profile named 'nope'/ },
  { argv: ['org', 'list', 'extra'], code: 2, says: /too many arguments for 'list'/ },
  { argv: ['org', 'current', 'extra'], code: 2, says: /too many arguments for 'current'/ },
  { argv: ['org', 'current'], noEnvToken: true, env: { ASTRA_PROFILE: 'gone' }, code: 5, says: /no profile named 'gone'/ },

  // token
  { argv: ['token', 'list', 'extra'], code: 2, says: /too many arguments for 'list'/ },
  { argv: ['token', 'list', '--expiring-within', 'soon'], code: 2, says: /--expiring-within/ },
  { argv: ['token', 'list', '--expiring-within', ''], code: 2, says: /--expiring-within/ },
  { argv: ['token', 'list', '--expiring-within', '-5d'], code: 2, says: /--expiring-within/ },
  { argv: ['token', 'list', '--expiring-within', '5 days'], code: 2, says: /--expiring-within/ },
  { argv: ['token', 'list', '--role', 'R/W User,Admin'], code: 5, reads: true, says: /no role named 'R\/W User,Admin'/ },
  { argv: ['token', 'create'], code: 2, says: /--role is required/ },
  { argv: ['token', 'create', '--role', ''], code: 2, says: /--role: a role name or id must not be empty; see 'astra-token role list'/ },
  { argv: ['token', 'list', '--role', ''], code: 2, says: /--role: a role name or id must not be empty/ },
  { argv: ['token', 'exec', '--role', '', '--', 'true'], code: 2, says: /--role: a role name or id must not be empty/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', 'tomorrow'], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', '2001-01-01T00:00:00Z'], code: 2, says: /--expires.*past/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', '0d'], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', '2026-02-30T00:00:00Z'], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', 'P'], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', ''], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--expires', '1e9d'], code: 2, says: /--expires/ },
  { argv: ['token', 'create', '--role', 'Read, Write'], code: 5, reads: true, says: /no role named 'Read, Write'/ },
  { argv: ['token', 'create', '--role', 'R/W User/'], code: 5, reads: true, says: /no role named 'R\/W User\/'.*did you mean 'R\/W User'/ },
  { argv: ['token', 'create', '--role', 'Rôle ünïcødé ✓'], code: 5, reads: true, says: /no role named 'Rôle ünïcødé ✓'/ },
  { argv: ['token', 'create', '--role', `R/W User\u0000`], code: 5, reads: true, says: /no role named 'R\/W User\\x00'/ },
  { argv: ['token', 'create', '--role', LONG], code: 5, reads: true, says: /no role named 'x{60}…'/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--output-file', EXISTING_FILE], code: 2, says: /exists/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--output-file', ''], code: 2, says: /--output-file/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--org-id', 'not-a-uuid'], code: 2, says: /--org-id/ },
  { argv: ['token', 'create', '--keyspace', 'ks', '--role', 'R/W User'], code: 2, says: /--keyspace.*--db/ },
  { argv: ['token', 'create', '--db', 'x', '--keyspace'], code: 2, says: /option '--keyspace <name>' argument missing/ },
  { argv: ['token', 'delete'], code: 2, says: /missing required argument 'clientId'; see 'astra-token token delete --help'$/ },
  { argv: ['token', 'delete', CLIENT_ID], code: 2, says: NEEDS_YES },
  { argv: ['token', 'delete', CLIENT_ID, '--no-input'], code: 2, says: NEEDS_YES },
  { argv: ['token', 'delete', CLIENT_ID, '--json'], code: 2, says: NEEDS_YES },
  { argv: ['token', 'delete', 'not a client id!', '--yes'], code: 2, says: /'not a client id!' is not a client id: a client id is 24 letters; see 'astra-token token list'/ },
  { argv: ['token', 'delete', '', '--yes'], code: 2, says: /a client id must not be empty/ },
  { argv: ['token', 'delete', LONG, '--yes'], code: 2, says: /'x{60}…' is not a client id/ },
  { argv: ['token', 'delete', `${CLIENT_ID}\n`, '--yes'], code: 2, says: /'AbCdEfGhIjKlMnOpQrStUvWx\\n' is not a client id/ },
  { argv: ['token', 'inspect', 'extra'], code: 2, says: /too many arguments for 'inspect'/ },
  { argv: ['token', 'rotate'], code: 2, says: /missing required argument 'clientId'; see 'astra-token token rotate --help'$/ },
  { argv: ['token', 'rotate', CLIENT_ID, '--expires', 'yesterday'], code: 2, says: /--expires/ },
  { argv: ['token', 'rotate', CLIENT_ID, '--expires', '2020-01-01T00:00:00Z', '--yes'], code: 2, says: /--expires.*past/ },
  { argv: ['token', 'rotate', 'not a client id!', '--yes'], code: 2, says: /'not a client id!' is not a client id/ },
  { argv: ['token', 'rotate', CLIENT_ID, '--output-file', EXISTING_FILE, '--yes'], code: 2, says: /exists/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--format', 'yaml'], code: 2, says: /--format/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--format', 'env', '--json'], code: 2, says: /--format.*--json|--json.*--format/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--handoff-env', 'X'], code: 2, says: /--handoff-env needs --handoff/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--handoff', 'cat', '--handoff-env', 'not a name'], code: 2, says: /--handoff-env/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--handoff', 'cat', '--handoff-timeout', 'soon'], code: 2, says: /--handoff-timeout/ },
  { argv: ['token', 'create', '--role', 'R/W User', '--handoff', ''], code: 2, says: /--handoff/ },
  { argv: ['token', 'rotate', CLIENT_ID, '--yes', '--format', 'export', '--json'], code: 2, says: /--format.*--json|--json.*--format/ },
  { argv: ['token', 'rotate', CLIENT_ID, '--keep-old', '--handoff-timeout', '5'], code: 2, says: /--handoff-timeout needs --handoff/ },
  { argv: ['token', 'prune'], code: 2, says: /filter/ },
  { argv: ['token', 'prune', '--older-than', 'forever', '--yes'], code: 2, says: /--older-than/ },
  { argv: ['token', 'prune', '--expired', '--concurrency', '0', '--yes'], code: 2, says: /--concurrency/ },
  { argv: ['token', 'prune', '--expired', '--concurrency', 'many', '--yes'], code: 2, says: /--concurrency/ },
  { argv: ['token', 'prune', '--expired', '--json'], code: 2, reads: true, says: NEEDS_YES },

  // role
  { argv: ['role', 'get'], code: 2, says: /missing required argument 'name-or-id'; see 'astra-token role get --help'$/ },
  { argv: ['role', 'get', 'a', 'b'], code: 2, says: /too many arguments for 'get'/ },
  { argv: ['role', 'get', 'R/W'], code: 5, reads: true, says: /no role named 'R\/W'/ },
  { argv: ['role', 'get', '名前'], code: 5, reads: true, says: /no role named '名前'/ },
  { argv: ['role', 'list', '--json', 'extra'], code: 2, says: /too many arguments for 'list'/ },
  { argv: ['role', 'actions', 'extra'], code: 2, says: /too many arguments for 'actions'/ },
  { argv: ['role', 'create'], code: 2, says: /missing required argument 'name'; see 'astra-token role create --help'$/ },
  { argv: ['role', 'create', 'reader'], code: 2, says: /--action/ },
  { argv: ['role', 'create', '', '--action', 'db-cql'], code: 2, says: /name/ },
  { argv: ['role', 'create', 'reader\nx', '--action', 'db-cql'], code: 2, says: /line break \(U\+000A\)/ },
  { argv: ['role', 'create', 'reader', '--action', ''], code: 2, says: /--action/ },
  { argv: ['role', 'create', 'reader', '--action', 'db-cql', '--resource', 'not-a-drn'], code: 2, says: /not-a-drn/ },
  { argv: ['role', 'create', 'reader', '--action', 'db-cql', '--keyspace', 'ks'], code: 2, says: /--keyspace.*--db/ },
  { argv: ['role', 'create', 'reader', '--action', 'made-up-action', '--resource', 'drn:astra:org:6d2a5c3e-0f6e-4b8e-9a53-6d1b2f0c9e11'], code: 2, says: /unknown action 'made-up-action'/ },
  { argv: ['role', 'create', 'reader\u202eresu', '--action', 'db-cql'], code: 2, says: /bidi control \(U\+202E\)/ },
  { argv: ['role', 'create', 'reader\u2066x', '--action', 'db-cql'], code: 2, says: /bidi control \(U\+2066\)/ },
  { argv: ['role', 'create', 'reader\u200fx', '--action', 'db-cql'], code: 2, says: /bidi control \(U\+200F\)/ },
  { argv: ['role', 'create', 'reader\u0085x', '--action', 'db-cql'], code: 2, says: /line break \(U\+0085\)/ },
  { argv: ['role', 'create', 'reader\u009bx', '--action', 'db-cql'], code: 2, says: /control characters \(U\+009B\)/ },
  { argv: ['role', 'update', 'reader', '--name', 'a\u2028b'], code: 2, says: /--name: a role name must not contain a line break/ },
  { argv: ['role', 'create', 'reader', '--action', 'db-cql', '--db', 'ordrs'], code: 5, reads: true, says: /no database named 'ordrs'; did you mean 'orders'/ },
  { argv: ['role', 'update', 'Database Administrator', '--description', 'x'], code: 2, reads: true, says: /built-in/ },
  { argv: ['role', 'delete', 'Database Administrator', '--yes'], code: 2, reads: true, says: /built-in/ },
  { argv: ['role', 'delete', 'some role'], code: 2, says: NEEDS_YES },
  { argv: ['role', 'delete', 'some role', '--json'], code: 2, says: NEEDS_YES },

  // streaming
  { argv: ['streaming', 'token', 'list'], code: 2, says: /--tenant is required: pass it, set ASTRA_STREAMING_TENANT, or save it in the profile/ },
  { argv: ['streaming', 'token', 'list', '--tenant', 'demo-tenant'], code: 2, says: /--cluster is required: pass it, set ASTRA_STREAMING_CLUSTER/ },
  { argv: ['streaming', 'token', 'list', '--tenant', '', '--cluster', 'c'], code: 2, says: /--tenant/ },
  { argv: ['streaming', 'token', 'create', ...STREAMING, '--expires', '1d'], code: 2, says: /--expires/ },
  { argv: ['streaming', 'token', 'create', ...STREAMING, '--expires', 'later'], code: 2, says: /--expires/ },
  { argv: ['streaming', 'token', 'create', ...STREAMING, '--output-file', EXISTING_FILE], code: 2, says: /exists/ },
  { argv: ['streaming', 'token', 'get', ...STREAMING], code: 2, says: /missing required argument 'tokenId'/ },
  { argv: ['streaming', 'token', 'delete', 'some-id', ...STREAMING], code: 2, says: NEEDS_YES },
  { argv: ['streaming', 'token', 'list', ...STREAMING, '--streaming-api-url', 'http://streaming.example.com'], code: 2, says: /refusing plain http/ },

  // emulator (every case invalid: a valid one would start serving)
  { argv: ['emulator', '--port', 'abc'], code: 2, says: /--port/ },
  { argv: ['emulator', '--port', '70000'], code: 2, says: /--port/ },
  { argv: ['emulator', '--fail-rate', '2'], code: 2, says: /--fail-rate/ },
  { argv: ['emulator', '--latency', '-1'], code: 2, says: /--latency/ },
  { argv: ['emulator', 'extra'], code: 2, says: /too many arguments for 'emulator'/ },

  // completion
  { argv: ['completion'], code: 2, says: /missing required argument 'shell'; see 'astra-token completion --help'$/ },
  { argv: ['completion', 'powershell'], code: 2, says: /powershell/ },
  { argv: ['completion', 'bash', 'zsh'], code: 2, says: /too many arguments for 'completion'/ },
];

const ERROR_LINE = /^error: .+\n$/;
const label = (argv: string[]) =>
  argv.map((a) => (a.length > 40 ? `${a.slice(0, 12)}…(${a.length})` : JSON.stringify(a).slice(1, -1))).join(' ');

describe('bad input', () => {
  // A noun alone is a usage error, but the help it needs is the noun's whole help: on stderr, nothing on stdout.
  it.each([['org'], ['token'], ['role'], ['streaming'], ['streaming', 'token']])(
    '%s without a verb: its help on stderr, exit 2',
    async (...argv) => {
      const r = await runCli(argv, { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`Usage: astra-token ${argv.join(' ')} [options] [command]`);
      expect(r.stderr).toContain('Commands:');
      expect(emu.state.requests).toEqual([]);
    },
  );

  it('covers at least 60 invocations', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [label(c.argv), c] as const))('%s', async (_, c) => {
    const dir = configWithProfile();
    const env: Record<string, string> = {
      ASTRA_TOKEN_CONFIG_DIR: dir,
      ASTRA_API_URL: emu.baseUrl,
      ASTRA_STREAMING_API_URL: 'https://streaming.emulator.test',
      ...(c.noEnvToken ? {} : { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken }),
      ...c.env,
    };
    const stdin = c.stdin === ADMIN ? emu.adminToken : c.stdin;
    const r = await runCli(c.argv, { env, stdin, now: NOW });
    const json = c.argv.includes('--json');
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: c.code, stdout: '' });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // User input is quoted with its control characters neutralised: nothing can move the cursor or recolour.
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    if (json) {
      expect(r.stderr).toMatch(/^\{.*\}\n$/);
      const { error } = JSON.parse(r.stderr) as { error: { code: string; message: string; hint?: string } };
      expect(error.code).toBe(c.code === 2 ? 'USAGE' : c.code === 5 ? 'NOT_FOUND' : error.code);
      expect(`${error.message}${error.hint ? `; ${error.hint}` : ''}`).toMatch(c.says);
    } else {
      expect(r.stderr).toMatch(ERROR_LINE);
      expect(r.stderr.slice(0, -1)).toMatch(c.says);
    }
    const requests = emu.state.requests.map((q) => `${q.method} ${q.path}`);
    if (c.reads) expect(requests.filter((q) => !q.startsWith('GET '))).toEqual([]);
    else expect(requests).toEqual([]);
  });
});

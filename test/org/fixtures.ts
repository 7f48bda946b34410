// Shared set-up for the org and config tests: a config dir per test, profiles added through the real CLI.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigData } from '../../src/config/store.js';
import { runCli, tempConfigDir, type RunOptions, type RunResult } from '../helpers/cli.js';
import type { EmulatorFixture } from '../helpers/emulator.js';
import { NO_KEYRING_REASON } from '../helpers/keyring.js';

/** Well-formed, but no emulator knows it: the API answers 401. */
export const UNKNOWN_TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;

export interface Cli {
  dir: string;
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  config(): ConfigData;
  raw(): string;
  mode(path?: string): number;
}

/** A CLI bound to one fresh config directory (and no credential in the environment unless given). */
export function cliWithDir(dir: string = tempConfigDir()): Cli {
  const path = join(dir, 'config.json');
  return {
    dir,
    run: (argv, opts = {}) => runCli(argv, { ...opts, env: { ASTRA_TOKEN_CONFIG_DIR: dir, ...opts.env } }),
    config: () => JSON.parse(readFileSync(path, 'utf8')) as ConfigData,
    raw: () => readFileSync(path, 'utf8'),
    mode: (p = path) => statSync(p).mode & 0o777,
  };
}

/** Adds a validated profile against the in-process emulator; fails the test if it does not succeed. */
export async function addProfile(cli: Cli, emu: EmulatorFixture, name: string, token: string, ...extra: string[]): Promise<void> {
  const r = await cli.run(['org', 'add', name, '--with-token', '--api-url', emu.baseUrl, ...extra], { stdin: token });
  if (r.code !== 0) throw new Error(`org add ${name} failed (${r.code}): ${r.stderr}`);
}

/** The one line `org add` prints when no keychain is usable and the token goes to the file. */
export const fileNote = (dir: string): string =>
  `warning: no keychain is usable here (${NO_KEYRING_REASON}); the token is kept in ${join(dir, 'config.json')} (mode 0600)\n`;

export const clientIdOf = (token: string): string => token.split(':')[1]!;

// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

export const TEST_ORG = '11111111-2222-4333-8444-555555555555';

/**
 * A config dir whose profiles (the first current) belong to `orgId`, written directly: completion caches are per
 * org, found through the profile in use.
 */
export function configWithOrg(dir: string, orgId = TEST_ORG, names: readonly string[] = ['prod']): string {
  const profiles = names.map((name) => ({ name, token: UNKNOWN_TOKEN, apiUrl: 'https://api.astra.datastax.com', orgId, updatedAt: '2026-01-01T00:00:00Z' }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, current: names[0], profiles }), { mode: 0o600 });
  return dir;
}

// Shared pieces of the rotate tests: seeding tokens and profiles, and running the "finish with: ..." commands that a
// failed rotation prints, the way a user pastes them into a shell.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { ProfileStore, type Profile } from '../../src/config/store.js';
import { runCli, type RunResult } from '../helpers/cli.js';
import type { EmulatorFixture } from '../helpers/emulator.js';
import { DAY, NOW, at } from '../token/fixtures.js';

export { NOW, DAY, at };

/** Issues a token straight into the emulator; returns the full token string. */
export function seed(emu: EmulatorFixture, roles: string[] = ['Organization Administrator'], description = 'ci deploy'): string {
  return emu.state.issueToken(emu.state.defaultOrg.id, roles, { description, expiresAt: at(30 * DAY), generatedOn: at(-10 * DAY) }).token;
}

export const idOf = (token: string): string => token.split(':')[1]!;

/** Does the emulator accept this token? */
export const works = (emu: EmulatorFixture, token: string): boolean => emu.state.authenticate(token) !== undefined;

/** Writes a profile holding `token` (made current) into `dir`, without any request. */
export function saveProfile(dir: string, emu: EmulatorFixture, name: string, token: string, current = true): void {
  new ProfileStore(dir).update((data) => {
    const profile: Profile = { name, storage: 'file', token, clientId: idOf(token), apiUrl: emu.baseUrl, updatedAt: NOW.toISOString() };
    data.profiles.push(profile);
    if (current) data.current = name;
  });
}

export function profileToken(dir: string, name: string): string | undefined {
  return new ProfileStore(dir).read().profiles.find((p) => p.name === name)?.token;
}

/** Holds the store's lock as a live process on this host would (pid 1 is always alive). */
export function holdLock(dir: string): void {
  const store = new ProfileStore(dir);
  store.read();
  writeFileSync(store.lockPath, `1 ${hostname()} held-by-test`);
}

/** The command after "finish with: " in a failed rotation's error line. */
export function finishCommand(stderr: string): string {
  const match = /finish with: (.*)$/m.exec(stderr);
  expect(match, `no "finish with:" in ${JSON.stringify(stderr)}`).not.toBeNull();
  return match![1]!;
}

/** Splits one command into words the way sh does for the quoting we print (bare words and '...' with '\''). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

/**
 * Runs a printed `a && b < file` line step by step, stopping at the first failure as sh would: `astra-token ...`
 * steps through runCli (`< file` feeds the file to stdin), anything else (a hand-over) through /bin/sh.
 */
export async function runPrinted(line: string, env: Record<string, string>, cwd: string): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const step of line.split(' && ')) {
    if (!step.startsWith('astra-token ')) {
      const sh = spawnSync('/bin/sh', ['-c', step], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
      results.push({ code: sh.status ?? 1, stdout: sh.stdout, stderr: sh.stderr });
      if (sh.status !== 0) break;
      continue;
    }
    const redirect = / < ('(?:[^']|'\\'')*'|\S+)$/.exec(step);
    const words = shellWords(redirect ? step.slice(0, redirect.index) : step);
    expect(words[0]).toBe('astra-token');
    const stdin = redirect ? readFileSync(resolve(cwd, shellWords(redirect[1]!)[0]!), 'utf8') : undefined;
    const r = await runCli(words.slice(1), { env, stdin, now: NOW });
    results.push(r);
    if (r.code !== 0) break;
  }
  return results;
}

// A failure injected at each step of a rotation in turn. After each: the user holds at least one working token
// (stdout, the output file, or the profile), the exit code says what happened, and the command printed on stderr
// finishes the job.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProfileStore } from '../../../src/config/store.js';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor } from '../../helpers/fixtures/token.js';
import { NOW, finishCommand, holdLock, idOf, profileToken, runPrinted, saveProfile, seed, works } from '../../helpers/fixtures/rotate.js';
import { tempDir } from '../../helpers/temp.js';
import { memoryKeyring } from '../../helpers/keyring.js';

const emu = useEmulator({ state: { now: () => NOW } });
const workdir = () => tempDir('rotate-faults-');
const tokensBesides = (...tokens: string[]) =>
  emu.state.listTokens(emu.state.defaultOrg.id).filter((t) => !tokens.map(idOf).includes(t.clientId) && t.description !== 'emulator admin');

afterEach(() => vi.restoreAllMocks());

describe('token rotate under faults', () => {
  it('create fails: nothing changes, the exit code is the failure, and running the command again completes it', async () => {
    const dir = workdir();
    const file = join(dir, 'new-token');
    const old = seed(emu);
    emu.state.injectFault({ method: 'POST', path: '/v2/tokens', status: 503 });
    const argv = ['token', 'rotate', idOf(old), '--yes', '--output-file', file];
    const r = await runCli(argv, { env: envFor(emu, old), now: NOW });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: injected fault [503] (HTTP 503 from POST /v2/tokens); no token was created; ${idOf(old)} still works; run the same command again\n`,
    );
    expect(existsSync(file)).toBe(false);
    expect(works(emu, old)).toBe(true);
    expect(tokensBesides(old)).toEqual([]);

    const again = await runCli(argv, { env: envFor(emu, old), now: NOW });
    expect(again.code).toBe(0);
    expect(works(emu, readFileSync(file, 'utf8').trim())).toBe(true);
    expect(works(emu, old)).toBe(false);
  });

  it('create cut off without an answer: the error says a token may exist unseen and how to find it', async () => {
    const dir = workdir();
    const old = seed(emu);
    // status 0: the connection is dropped, so the POST may or may not have been carried out.
    emu.state.injectFault({ method: 'POST', path: '/v2/tokens', status: 0 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', join(dir, 'new-token')], {
      env: envFor(emu, old),
      now: NOW,
    });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    // The fault drops the connection before the emulator makes anything: the one look finds no token to name.
    expect(r.stderr).toMatch(
      new RegExp(
        `so a token may have been created without reaching you; none with these roles and description made since .* is listed yet; check 'astra-token token list' again in a moment and revoke one you never received; ${idOf(old)} still works; run the same command again\\n$`,
      ),
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(works(emu, old)).toBe(true);
  });

  it('the check of the new token fails: both tokens stay, exit 8, and the printed command revokes the old one', async () => {
    const dir = workdir();
    const file = join(dir, 'new-token');
    const old = seed(emu);
    // Every attempt the transport makes is answered 503.
    emu.state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 503, times: 4 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file], { env: envFor(emu, old), now: NOW });
    expect(r.code).toBe(8);
    const fresh = readFileSync(file, 'utf8').trim();
    expect(r.stdout).toBe(`${idOf(fresh)}\n`);
    expect(works(emu, fresh)).toBe(true);
    expect(works(emu, old)).toBe(true);
    const finish = finishCommand(r.stderr);
    // The old token is the credential: the revoke runs with the new token's file, not with --force.
    expect(finish).toBe(`astra-token --token-file ${file} token delete ${idOf(old)} --yes`);
    expect(r.stderr).toContain(`error: token ${idOf(fresh)} was created and delivered, but checking that it works failed: `);

    const done = await runPrinted(finish, envFor(emu, old), dir);
    expect(done.map((d) => d.code)).toEqual([0]);
    expect(works(emu, old)).toBe(false);
    expect(works(emu, fresh)).toBe(true);
  });

  it('a new token that is not accepted at first is retried, then passes', async () => {
    const old = seed(emu);
    emu.state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 401, times: 2 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(works(emu, old)).toBe(false);
  });

  it('a new token that is never accepted: the profile keeps the old one, exit 8', async () => {
    const cfg = tempConfigDir();
    const old = seed(emu);
    saveProfile(cfg, emu, 'ci', old);
    emu.state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 401, times: 4 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--json'], { env: { ASTRA_TOKEN_CONFIG_DIR: cfg }, now: NOW });
    expect(r.code).toBe(8);
    const doc = JSON.parse(r.stdout) as { token: string; revoked: boolean };
    expect(doc.revoked).toBe(false);
    expect(profileToken(cfg, 'ci')).toBe(old);
    expect(works(emu, old)).toBe(true);
    const error = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; hint: string } };
    expect(error.error.code).toBe('PARTIAL');
    // No file: switching the profile asks for the new token at the hidden prompt.
    expect(error.error.hint).toBe(
      `finish with: astra-token org add ci --force --api-url ${emu.baseUrl} && astra-token token delete ${idOf(old)} --yes`,
    );
  });

  it('a profile not switched: the printed org add carries its streaming defaults and its keychain storage', async () => {
    const cfg = tempConfigDir();
    const old = seed(emu);
    const keyring = memoryKeyring();
    keyring.entries.set('a'.repeat(32), old);
    new ProfileStore(cfg).update((data) => {
      data.profiles.push({
        name: 'ci',
        storage: 'keyring',
        account: 'a'.repeat(32),
        clientId: idOf(old),
        apiUrl: emu.baseUrl,
        streamingApiUrl: 'https://streaming.emulator.test',
        streamingTenant: 'demo-tenant',
        streamingCluster: 'pulsar-gcp-useast4',
        updatedAt: NOW.toISOString(),
      });
      data.current = 'ci';
    });
    emu.state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 401, times: 4 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env: { ASTRA_TOKEN_CONFIG_DIR: cfg }, now: NOW, keyring });
    expect(r.code).toBe(8);
    expect(finishCommand(r.stderr)).toBe(
      `astra-token org add ci --force --api-url ${emu.baseUrl} --streaming-api-url https://streaming.emulator.test --streaming-tenant demo-tenant --streaming-cluster pulsar-gcp-useast4 --storage keyring && astra-token token delete ${idOf(old)} --yes`,
    );
  });

  it('the profile cannot be written (store locked): the profile keeps the old token, exit 8, the printed commands finish it', async () => {
    const cfg = tempConfigDir();
    const dir = workdir();
    const file = join(dir, 'new-token');
    const old = seed(emu);
    saveProfile(cfg, emu, 'ci', old);
    holdLock(cfg);
    // The real lock path, with a short wait instead of the default ten seconds.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the original, called below on the store with .call(this)
    const update = ProfileStore.prototype.update;
    vi.spyOn(ProfileStore.prototype, 'update').mockImplementation(function (this: ProfileStore, change) {
      (this as unknown as { lockWaitMs: number }).lockWaitMs = 30;
      return update.call(this, change);
    });
    const env = { ASTRA_TOKEN_CONFIG_DIR: cfg };
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file], { env, now: NOW });
    expect(r.code).toBe(8);
    const fresh = readFileSync(file, 'utf8').trim();
    expect(works(emu, fresh)).toBe(true);
    expect(works(emu, old)).toBe(true);
    expect(profileToken(cfg, 'ci')).toBe(old);
    expect(r.stderr).toContain(
      `error: token ${idOf(fresh)} was created and delivered, but profile 'ci' could not be switched to it: the profile store is locked by another astra-token process`,
    );
    const finish = finishCommand(r.stderr);
    expect(finish).toBe(
      `astra-token org add ci --force --api-url ${emu.baseUrl} --with-token < ${file} && astra-token token delete ${idOf(old)} --yes`,
    );

    vi.restoreAllMocks();
    new ProfileStore(cfg).read();
    // The other process is gone now.
    (await import('node:fs')).rmSync(new ProfileStore(cfg).lockPath);
    const done = await runPrinted(finish, env, dir);
    expect(done.map((d) => d.code)).toEqual([0, 0]);
    expect(profileToken(cfg, 'ci')).toBe(fresh);
    expect(works(emu, old)).toBe(false);
    const current = await runCli(['org', 'current'], { env, now: NOW });
    expect(current.code).toBe(0);
  });

  it('the revoke fails: the new token is delivered and in the profile, exit 8, the printed command revokes the old one', async () => {
    const cfg = tempConfigDir();
    const old = seed(emu);
    saveProfile(cfg, emu, 'ci', old);
    emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${idOf(old)}`, status: 503, times: 4 });
    const env = { ASTRA_TOKEN_CONFIG_DIR: cfg };
    const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env, now: NOW });
    expect(r.code).toBe(8);
    const fresh = r.stdout.trim();
    expect(works(emu, fresh)).toBe(true);
    expect(profileToken(cfg, 'ci')).toBe(fresh);
    expect(works(emu, old)).toBe(true);
    expect(r.stderr).toContain(
      `error: token ${idOf(fresh)} was created and delivered and the profile switched to it, but revoking the old token ${idOf(old)} failed: `,
    );
    // The profile now holds the new token, so the revoke needs no --force.
    const finish = finishCommand(r.stderr);
    expect(finish).toBe(`astra-token token delete ${idOf(old)} --yes`);

    const done = await runPrinted(finish, env, cfg);
    expect(done.map((d) => d.code)).toEqual([0]);
    expect(works(emu, old)).toBe(false);
  });

  it.each([['--format', 'env'], ['--format', 'export'], ['--json']])(
    'the revoke fails with --output-file and %s: the printed commands read that file as it was written',
    async (...flags) => {
      const dir = workdir();
      const file = join(dir, 'new-token');
      const old = seed(emu);
      emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${idOf(old)}`, status: 503, times: 4 });
      const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file, ...flags], { env: envFor(emu, old), now: NOW });
      expect(r.code).toBe(8);
      const hint =
        flags[0] === '--json'
          ? (JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { hint: string } }).error.hint.replace('finish with: ', '')
          : finishCommand(r.stderr);
      // The old token is the credential: the revoke runs with the new one, from the file in whatever shape it was written.
      expect(hint).toBe(`astra-token --token-file ${file} token delete ${idOf(old)} --yes`);
      const done = await runPrinted(hint, envFor(emu, old), dir);
      expect(done.map((d) => d.code)).toEqual([0]);
      expect(works(emu, old)).toBe(false);
    },
  );

  it('the revoke fails with --json: stdout is still exactly one document, with "revoked": false', async () => {
    const old = seed(emu);
    emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${idOf(old)}`, status: 503, times: 4 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--json'], { env: envFor(emu, old), now: NOW });
    expect(r.code).toBe(8);
    const doc = JSON.parse(r.stdout) as { token: string; replaced: string; revoked: boolean };
    expect(doc).toMatchObject({ replaced: idOf(old), revoked: false });
    expect(works(emu, doc.token)).toBe(true);
    const error = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; hint: string } };
    expect(error.error.code).toBe('PARTIAL');
    // The old token is the credential and there is no file: the last resort is --force with it.
    expect(error.error.hint).toBe(`finish with: astra-token token delete ${idOf(old)} --yes --force`);
    const done = await runPrinted(error.error.hint.replace('finish with: ', ''), envFor(emu, old), tmpdir());
    expect(done.map((d) => d.code)).toEqual([0]);
    expect(works(emu, old)).toBe(false);
  });

  it('the old token vanished before the revoke: the goal is reached, exit 0', async () => {
    const old = seed(emu);
    emu.state.injectFault({ method: 'DELETE', path: `/v2/*/${idOf(old)}`, status: 404, times: 2 });
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ revoked: true });
    expect(r.stderr).toContain(`the old token ${idOf(old)} was already gone\n`);
  });
});

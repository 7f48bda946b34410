// The profile store writes through conf with its own atomic, flushed writer put under conf's private `_write`
// (docs/conf.md says why). This file fails loudly when a conf upgrade moves what that hook relies on.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/store.js';
import { ROOT } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { fileProfile } from '../helpers/fixtures/org.js';

const profile = fileProfile;

describe("conf's private writer hook", () => {
  let snap: string | undefined;
  beforeEach(() => {
    snap = process.env.SNAP;
  });
  afterEach(() => {
    if (snap === undefined) delete process.env.SNAP;
    else process.env.SNAP = snap;
  });

  it('conf is still major 15: an upgrade must re-check the hook (docs/conf.md) before moving this pin', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/conf/package.json'), 'utf8')) as { version: string };
    expect(version, `conf ${version}: re-read its _write/_serialize before trusting the profile store's writer`).toMatch(/^15\./);
  });

  it('conf still has _write (on its prototype) and _serialize (on each instance)', () => {
    expect(typeof (Conf.prototype as unknown as Record<string, unknown>)._write).toBe('function');
    const conf = new Conf({ cwd: tempConfigDir(), configName: 'probe', projectSuffix: '' });
    expect(typeof (conf as unknown as Record<string, unknown>)._serialize).toBe('function');
  });

  it("with SNAP set (where conf's own writer writes in place) every write still replaces the file", () => {
    process.env.SNAP = '1';
    const dir = tempConfigDir();
    const store = new ProfileStore(dir);
    store.update((data) => {
      data.profiles.push(profile('one'));
    });
    const path = join(dir, 'config.json');
    const first = statSync(path);
    store.update((data) => {
      data.profiles.push(profile('two'));
    });
    const second = statSync(path);
    expect(second.ino).not.toBe(first.ino);
    expect(second.mode & 0o777).toBe(0o600);
    expect(store.read().profiles.map((p) => p.name)).toEqual(['one', 'two']);
  });
});

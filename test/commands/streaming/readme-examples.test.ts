// The README's and --help's streaming examples name a tenant and cluster the emulator has, and run as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CLUSTER, DEMO_TENANT } from '../../../src/emulator/state.js';
import { ROOT } from '../../helpers/bin.js';
import { runCli } from '../../helpers/cli.js';
import { demoTenant, useStreamingEmulator } from '../../helpers/fixtures/streaming.js';

const { emu, run } = useStreamingEmulator();

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Example command lines: `astra-token streaming ...` at the start of a line, or after help's `$ `. */
const examples = (text: string) =>
  text
    // Help wraps a long example with a trailing backslash, as a shell would read it.
    .replace(/ \\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/^\s*\$ /, ''))
    .filter((line) => line.startsWith('astra-token streaming '));
const flag = (line: string, name: string) => new RegExp(`(?:^| )--${name} (\\S+)`).exec(line)?.[1];

describe('streaming examples', () => {
  it('every README and --help example names the tenant and cluster the emulator has', async () => {
    const help = (await runCli(['streaming', '--help'])).stdout;
    const lines = [...examples(readme), ...examples(help)];
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) {
      expect([line, flag(line, 'tenant'), flag(line, 'cluster')]).toEqual([line, DEMO_TENANT, DEMO_CLUSTER]);
    }
  });

  it('the README list and create examples run as written against the emulator', async () => {
    const runnable = examples(readme).filter((line) => / token (list|create) /.test(line) && !/[|<>]|--output-file/.test(line));
    expect(runnable.map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual([
      'astra-token streaming token list',
      'astra-token streaming token list',
      'astra-token streaming token create',
    ]);
    for (const line of runnable) {
      const r = await run(line.split(' ').slice(1));
      expect([line, r.code, r.stderr]).toEqual([line, 0, expect.any(String)]);
    }
    expect(demoTenant(emu).tokens).toHaveLength(2);
  });
});

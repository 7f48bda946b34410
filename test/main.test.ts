import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('program', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stderr).toBe('');
  });

  it('lists the nouns in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: astra-token');
  });

  it('refuses an unknown command with exit 2 and one line', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: /);
  });

  it('reports a usage error as JSON on stderr with --json', async () => {
    const r = await runCli(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.code).toBe('USAGE');
  });

  it('refuses a token-looking argument anywhere on the command line', async () => {
    const r = await runCli(['org', 'add', 'x', '--token', `AstraCS:${'a'.repeat(24)}:${'0'.repeat(64)}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token-file');
    expect(r.stderr).not.toContain('0'.repeat(64));
  });
});

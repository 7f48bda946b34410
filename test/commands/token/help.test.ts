import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('token help', () => {
  it('lists the verbs', async () => {
    const r = await runCli(['token', '--help']);
    expect(r.code).toBe(0);
    for (const verb of ['list [options]', 'create [options]', 'delete [options] <clientId...>', 'inspect [options]']) {
      expect(r.stdout).toContain(verb);
    }
  });

  it.each([
    ['list', ['--role <name-or-id>', '--expired', '--expiring-within <duration>']],
    ['create', ['--role <name-or-id>', '--description <text>', '--expires <when>', '--org-id <uuid>', '--output-file <path>']],
    ['delete', ['--yes', '--if-exists', '--force', '--dry-run']],
    ['inspect', ['--check']],
  ])('token %s --help shows its flags and examples', async (verb, flags) => {
    const r = await runCli(['token', verb, '--help']);
    expect(r.code).toBe(0);
    for (const flag of flags) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain(`Examples:\n  $ astra-token token ${verb}`);
  });

  it('refuses an unknown flag with exit 2', async () => {
    const r = await runCli(['token', 'list', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown option '--frobnicate'/);
  });

  it('delete needs at least one client id', async () => {
    const r = await runCli(['token', 'delete', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'clientId'");
  });
});

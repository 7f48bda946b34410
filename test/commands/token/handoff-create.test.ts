// `token create --handoff` and `--format`: the same delivery as `token rotate`, through NewTokenOutput.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor } from '../../helpers/fixtures/token.js';
import { NOW, idOf, works } from '../../helpers/fixtures/rotate.js';
import { tempDir } from '../../helpers/temp.js';

const emu = useEmulator({ state: { now: () => NOW } });

function scratch(): { dir: string; env: Record<string, string> } {
  const dir = tempDir('handoff-create-');
  return { dir, env: { ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin', OUT: join(dir, 'out') } };
}
const CREATE = ['token', 'create', '--role', 'R/W User'];

describe('token create --format and --handoff', () => {
  it('--format env prints NAME=<token>', async () => {
    const r = await runCli([...CREATE, '--format', 'env'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(works(emu, r.stdout.trim().split('=')[1]!)).toBe(true);
  });

  it('--format export with --output-file writes the export line to the 0600 file', async () => {
    const { dir } = scratch();
    const file = join(dir, 'token.sh');
    const r = await runCli([...CREATE, '--format', 'export', '--output-file', file], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const line = readFileSync(file, 'utf8');
    expect(line).toMatch(/^export ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout).toBe(`${idOf(line.trim().split('=')[1]!)}\n`);
  });

  it('--format with --json is a usage error before any request', async () => {
    const r = await runCli([...CREATE, '--format', 'env', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(emu.state.requests).toEqual([]);
  });

  it('--handoff gives the command exactly the token on stdin', async () => {
    const { env } = scratch();
    const r = await runCli([...CREATE, '--handoff', 'cat > "$OUT"'], { env, now: NOW });
    expect(r.code).toBe(0);
    expect(readFileSync(env.OUT!, 'utf8')).toBe(r.stdout);
  });

  it('--handoff-env and --json: the document stays valid while the command prints', async () => {
    const { env } = scratch();
    const r = await runCli(
      [...CREATE, '--json', '--handoff', 'echo "child output"; printf %s "$TOKEN_VAR" > "$OUT"', '--handoff-env', 'TOKEN_VAR'],
      { env, now: NOW },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { token: string };
    expect(readFileSync(env.OUT!, 'utf8')).toBe(doc.token);
    expect(r.stderr).toContain('child output\n');
  });

  it('a failed hand-over exits 8; the token exists and was delivered, and the finish line hands it over', async () => {
    const { dir, env } = scratch();
    const file = join(dir, 'new-token');
    const r = await runCli([...CREATE, '--output-file', file, '--handoff', 'echo denied >&2; exit 4'], { env, now: NOW });
    expect(r.code).toBe(8);
    const token = readFileSync(file, 'utf8').trim();
    expect(works(emu, token)).toBe(true);
    expect(r.stderr).toContain(
      `error: token ${idOf(token)} was created and delivered, but the hand-over command exited with status 4 (last lines of its stderr: "denied"); finish with: sh -c 'echo denied >&2; exit 4' < ${file}\n`,
    );
  });
});

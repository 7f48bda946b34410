// Hostile text from the API (role names, descriptions, org names, error bodies) through the commands that show it:
// on a TTY and piped, every escape (CSI, OSC 52), control, bidi override and line break is shown as an escape,
// never obeyed; --json keeps the exact value.
import { describe, expect, it } from 'vitest';
import { cliWithDir } from '../helpers/fixtures/org.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { addCustomRole, clientIdOf, envFor, NOW } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

/** Clears the screen, writes the clipboard, reverses the text after it, and forges a second line. */
const HOSTILE = 'ops\u001b[2J\u001b]52;c;ZWNobyBoaQ==\u0007\u202eevil\u2066x\nforged\u009b31m';
const SHOWN = 'ops\\x1b[2J\\x1b]52;c;ZWNobyBoaQ==\\x07\\u202eevil\\u2066x\\nforged\\x9b31m';

/** Nothing a terminal would act on: no C0 but line feeds and tabs (the row format), no DEL, no C1, no bidi control, no ESC at all. */
// eslint-disable-next-line no-control-regex -- finding control characters is this regex's purpose
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileRole(): string {
  const id = addCustomRole(emu.state, HOSTILE);
  emu.state.defaultOrg.roles.find((r) => r.id === id)!.policy.description = HOSTILE;
  return id;
}

function hostileToken(): string {
  hostileRole();
  return clientIdOf(emu.state.issueToken(emu.state.defaultOrg.id, [HOSTILE], { description: HOSTILE }).token);
}

describe('hostile API text is shown, never obeyed', () => {
  it('role list: piped rows and the TTY table show it escaped; --json keeps it exact', async () => {
    const id = hostileRole();
    const piped = await runCli(['role', 'list'], { env: envFor(emu), now: NOW });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(OBEYED);
    expect(piped.stdout.split('\n').find((l) => l.startsWith(id))).toContain(`\t${SHOWN}\t`);

    const tty = await runCli(['role', 'list', '--no-color'], { env: envFor(emu), now: NOW, tty: true, columns: 400 });
    expect(tty.code).toBe(0);
    expect(tty.stdout).not.toMatch(OBEYED);
    expect(tty.stdout).toContain(SHOWN);

    // On a TTY with colour, the tool's own colour stays; the data's escapes are still shown, not obeyed.
    const coloured = await runCli(['role', 'list'], { env: envFor(emu), now: NOW, tty: true, columns: 400 });
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
    expect(coloured.stdout).toMatch(/\u001b\[1m/);
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
    expect(coloured.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(OBEYED);

    const json = await runCli(['role', 'list', '--json'], { env: envFor(emu), now: NOW });
    const roles = JSON.parse(json.stdout) as { id: string; name: string; description: string }[];
    expect(roles.find((r) => r.id === id)).toMatchObject({ name: HOSTILE, description: HOSTILE });
  });

  it('role get: the record shows name and description escaped, TTY and piped', async () => {
    const id = hostileRole();
    for (const tty of [false, true]) {
      const r = await runCli(['role', 'get', id, '--no-color'], { env: envFor(emu), now: NOW, tty });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(OBEYED);
      expect(r.stdout).toContain(SHOWN);
    }
  });

  it('the confirmation prompt of token delete shows role names and the description escaped', async () => {
    const id = hostileToken();
    const r = await runCli(['token', 'delete', id, '--no-color'], { env: envFor(emu), now: NOW, tty: true, stdin: 'n\n' });
    expect(r.code).toBe(2);
    // What the tool wrote before the question; readline's own cursor moves come after.
    const listed = r.stderr.slice(0, r.stderr.indexOf('\u001b[1G'));
    expect(listed).not.toMatch(OBEYED);
    expect(listed).toBe(
      `About to revoke 1 token; applications using it lose access at once:\n  ${id}  ${SHOWN} "${SHOWN.slice(0, 60)}…"\n`,
    );
  });

  it.each([
    ['token delete', (id: string) => ['token', 'delete', id, '--yes']],
    ['token prune', () => ['token', 'prune', '--description', 'ops*', '--yes']],
  ])('%s: a failure line quoting a hostile error body shows it escaped', async (_, argv) => {
    const id = hostileToken();
    emu.state.injectFault({ method: 'DELETE', path: '/v2/tokens/*', status: 400, times: 99, body: JSON.stringify({ message: HOSTILE }) });
    for (const tty of [false, true]) {
      const r = await runCli([...argv(id), '--no-color'], { env: envFor(emu), now: NOW, tty });
      expect(r.code).not.toBe(0);
      // prune's TTY progress line redraws itself with the tool's own carriage return and erase-line.
      expect(r.stderr.replaceAll('\r\u001b[K', '')).not.toMatch(OBEYED);
      // The error body is one line: its line break was already folded into a space by the error decoding.
      expect(r.stderr).toContain(`✗ ${id}: ${SHOWN.replace('\\n', ' ')}`);
    }
  });

  it('org add and org switch name a hostile org escaped; org current shows it escaped', async () => {
    emu.state.defaultOrg.name = HOSTILE;
    const cli = cliWithDir();
    const added = await cli.run(['org', 'add', 'prod', '--with-token', '--api-url', emu.baseUrl, '--no-color'], {
      stdin: emu.adminToken,
      now: NOW,
    });
    expect(added.code).toBe(0);
    expect(added.stderr).not.toMatch(OBEYED);
    expect(added.stderr).toContain(`org '${SHOWN}'`);

    const switched = await cli.run(['org', 'switch', 'prod', '--no-color'], { now: NOW });
    expect(switched.code).toBe(0);
    expect(switched.stderr).not.toMatch(OBEYED);
    expect(switched.stderr).toContain(`org '${SHOWN}'`);

    for (const tty of [false, true]) {
      const current = await cli.run(['org', 'current', '--no-color'], { now: NOW, tty });
      expect(current.code).toBe(0);
      expect(current.stdout).not.toMatch(OBEYED);
      expect(current.stdout).toContain(SHOWN);
    }
    const listed = await cli.run(['org', 'list'], { now: NOW });
    expect(listed.stdout).not.toMatch(OBEYED);
    expect(listed.stdout).toContain(SHOWN);
    expect((JSON.parse((await cli.run(['org', 'current', '--json'], { now: NOW })).stdout) as { orgName: string }).orgName).toBe(HOSTILE);
  });

  it('an API error message is one line on stderr with its escapes shown', async () => {
    emu.state.injectFault({
      method: 'GET',
      path: '/v2/organizations/roles',
      status: 400,
      body: JSON.stringify({ message: `\u202e${HOSTILE}` }),
    });
    const r = await runCli(['role', 'list'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(OBEYED);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`\\u202e${SHOWN.replace('\\n', ' ')}`);
  });
});

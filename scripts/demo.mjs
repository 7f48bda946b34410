// `npm run demo`: builds if needed, starts the built-in emulator on a free port, and runs a short, real token
// lifecycle through the built bin, printing each command as a user would type it. Exits non-zero if any step fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'astra-token.js');
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[22m` : s);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const bundle = join(root, 'dist', 'cli.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(root, 'src'))) return;
  console.log(bold('$ npm run build'));
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the emulator exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

const configDir = mkdtempSync(join(tmpdir(), 'astra-token-demo-'));
const env = { ...process.env, ASTRA_TOKEN_CONFIG_DIR: configDir };
for (const key of ['ASTRA_DB_APPLICATION_TOKEN', 'ASTRA_PROFILE', 'ASTRA_API_URL']) delete env[key];

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;
const quote = (a) => `'${a.replace(/'/g, `'\\''`)}'`;

/**
 * Runs one step through the built bin and shows the command line (stdin described, never a token). A step without
 * input runs in a pseudo-terminal (`script`), so it prints the terminal table a user sees even when the demo itself
 * is piped (CI, a log); `capture` keeps stdout instead.
 */
function step(args, { input, inputNote, capture } = {}) {
  const shown = args.map((a) => (/[\s"/]/.test(a) ? `'${a}'` : a)).join(' ');
  console.log(`\n${bold(`$ ${inputNote ? `${inputNote} | ` : ''}astra-token ${shown}`)}`);
  if (!capture && input === undefined && hasScript && !process.stdout.isTTY) {
    const columns = String(process.stdout.columns || 100);
    const command = [process.execPath, bin, ...args].map(quote).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      env: { ...env, COLUMNS: columns, NO_COLOR: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(r.stdout.replace(/\r\n/g, '\n'));
    if (r.status !== 0) throw new Error(`step failed with exit ${r.status}: astra-token ${shown}`);
    return '';
  }
  const r = spawnSync(process.execPath, [bin, ...args], {
    env,
    input: input ?? '',
    encoding: 'utf8',
    stdio: ['pipe', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`step failed with exit ${r.status}: astra-token ${shown}`);
  return r.stdout;
}

buildIfNeeded();
const emulator = await startEmulator();
console.log(`Started the built-in emulator at ${emulator.url} (org ${emulator.orgId}); profiles go to ${configDir}.`);
let failed = false;
try {
  step(['org', 'add', 'demo', '--with-token', '--api-url', emulator.url], { input: emulator.token, inputNote: 'echo "$EMULATOR_TOKEN"' });
  step(['org', 'list']);
  step(['role', 'list']);
  const created = JSON.parse(
    step(['token', 'create', '--role', 'R/W User', '--description', 'demo: app server', '--expires', '30d', '--json'], { capture: true }),
  );
  console.log(
    `(a new token for ${created.clientId}, role ${created.roles.map((r) => r.name).join(', ')}, expires ${created.expiresAt}; the secret is not shown here)`,
  );
  step(['token', 'list']);
  step(['token', 'delete', created.clientId, '--yes']);
  step(['token', 'list', '--json']);
  console.log('\nDemo complete: role list, token create by role name with an expiry, token list, token delete.');
} catch (err) {
  failed = true;
  console.error(`\ndemo failed: ${err.message}`);
} finally {
  emulator.child.removeAllListeners('exit');
  emulator.child.kill('SIGTERM');
  rmSync(configDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

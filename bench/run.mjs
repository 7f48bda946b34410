// `npm run bench`: start-up, listing and bulk-revocation speed of the built bin, measured as whole processes against
// the built-in emulator, beside their floors (bare node, curl, the ideal concurrency bound). Prints a markdown
// table and writes it to BENCHMARKS.md. Not run in CI; the tests carry no timing asserts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'astra-token.js');
const hook = join(root, 'bench', 'rss-hook.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = 2;

if (!existsSync(join(root, 'dist', 'cli.js')) || process.env.BENCH_BUILD !== '0') {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs a command once; resolves with wall time (ms), exit code and, with the hook, peak RSS (KiB). */
function once(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let rss = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdio[3].on('data', (c) => (rss += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      resolve({ ms, rssKiB: rss ? Number(rss.trim()) : undefined });
    });
  });
}

const summarise = (label, times, rss) => {
  const result = {
    label,
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
  process.stderr.write(
    `  ${label}: median ${result.median.toFixed(1)} ms (${result.min.toFixed(1)}–${result.max.toFixed(1)})${result.rssMiB ? `, peak RSS ${result.rssMiB.toFixed(0)} MiB` : ''}\n`,
  );
  return result;
};

async function measure(label, cmd, args, { env = {}, before, runs = RUNS } = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    if (before) await before();
    const r = await once(cmd, args, env);
    if (i >= WARMUP) {
      times.push(r.ms);
      if (r.rssKiB) rss.push(r.rssKiB);
    }
  }
  return summarise(label, times, rss);
}

/**
 * Runs several commands in turn, round after round, so that a ratio between them holds on a machine whose load
 * changes during the run (measured one after the other, a busy minute lands on one command only).
 */
async function measureTogether(specs) {
  const times = specs.map(() => []);
  const rss = specs.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [j, { cmd, args, env = {} }] of specs.entries()) {
      const r = await once(cmd, args, env);
      if (i < WARMUP) continue;
      times[j].push(r.ms);
      if (r.rssKiB) rss[j].push(r.rssKiB);
    }
  }
  return specs.map((spec, j) => summarise(spec.label, times[j], rss[j]));
}

const nodeSpec = { label: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] };

function startEmulator(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--json', '--quiet', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

async function api(emu, method, path, body) {
  const res = await fetch(emu.url + path, {
    method,
    headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** Brings the org to `count` tokens besides the admin's, creating them through the API 32 at a time. */
async function seed(emu, count) {
  const roles = await api(emu, 'GET', '/v2/organizations/roles');
  const rw = roles.find((r) => r.name === 'R/W User').id;
  const have = (await api(emu, 'GET', '/v2/tokens')).clients.length - 1;
  let next = have;
  const worker = async () => {
    while (next < count) {
      next++;
      await api(emu, 'POST', '/v2/tokens', { roles: [rw], description: `bench ${next}` });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const cliEnv = (emu) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_API_URL: emu.url, NO_COLOR: '1' });
const curlArgs = (emu) => [
  '-sf',
  '-o',
  '/dev/null',
  '-o',
  '/dev/null',
  '-H',
  `Authorization: Bearer ${emu.token}`,
  `${emu.url}/v2/organizations/roles`,
  `${emu.url}/v2/tokens`,
];

process.stderr.write(`benchmark: ${RUNS} runs after ${WARMUP} warm-up runs each\n`);
const rows = [];
const [floor, version, help] = await measureTogether([
  nodeSpec,
  { label: 'astra-token --version', cmd: process.execPath, args: [bin, '--version'] },
  { label: 'astra-token --help', cmd: process.execPath, args: [bin, '--help'] },
]);
rows.push([floor.label, floor, '1.00× node', '']);
rows.push([version.label, version, `${(version.median / floor.median).toFixed(2)}× node`, '≤ 1.3× node']);
rows.push([help.label, help, `${(help.median / floor.median).toFixed(2)}× node`, '≤ 1.3× node']);

/** token list --json beside node and curl, interleaved; the ratio is to the node and curl of the same rounds. */
async function listRows(emu, what, target, hook) {
  const specs = [
    nodeSpec,
    ...(hasCurl ? [{ label: `curl roles + tokens (${what})`, cmd: 'curl', args: curlArgs(emu) }] : []),
    {
      label: `token list --json (${what})`,
      cmd: process.execPath,
      args: [...(hook ? ['--import', hook] : []), bin, 'token', 'list', '--json'],
      env: cliEnv(emu),
    },
  ];
  const [node, ...rest] = await measureTogether(specs);
  const list = rest.at(-1);
  const curl = hasCurl ? rest[0] : undefined;
  if (curl) rows.push([curl.label, curl, 'network floor', '']);
  const ratio = curl ? `${(list.median / (node.median + curl.median)).toFixed(2)}× (node ${node.median.toFixed(0)} + curl)` : '';
  rows.push([list.label, list, ratio, target]);
}

const emu = await startEmulator();
for (const count of [200, 10_000]) {
  await seed(emu, count);
  await listRows(emu, `${count} tokens`, count === 200 ? '≤ 1.7× (node + curl)' : '< 1500 ms, RSS < 150 MiB', hook);
}
emu.child.kill('SIGTERM');

// Real users are 50-300 ms from the API. curl makes its two requests one after the other; the CLI makes them at
// once, sent before the rest of the command loads (the list verbs' prefetch).
const far = await startEmulator(['--latency', '100']);
await seed(far, 200);
await listRows(far, '200 tokens, latency 100 ms', '≤ 1.25× (node + curl)');
far.child.kill('SIGTERM');

const slow = await startEmulator(['--latency', '20']);
for (const concurrency of [1, 8, 32]) {
  const ideal = (500 * 20) / concurrency;
  const prune = await measure(
    `token prune --older-than 0d --yes (500, c=${concurrency})`,
    process.execPath,
    [bin, 'token', 'prune', '--older-than', '0d', '--yes', '--concurrency', String(concurrency), '--quiet'],
    { env: cliEnv(slow), before: () => seed(slow, 500), runs: Number(process.env.BENCH_PRUNE_RUNS ?? RUNS) },
  );
  rows.push([
    prune.label,
    prune,
    `${(prune.median / ideal).toFixed(2)}× ideal (${ideal.toFixed(0)} ms)`,
    concurrency === 8 ? '≤ 1.6× ideal' : '',
  ]);
}
slow.child.kill('SIGTERM');

const table = [
  '| what | median ms | min–max ms | peak RSS | ratio | target |',
  '|---|---:|---:|---:|---|---|',
  ...rows.map(
    ([label, r, ratio, target]) =>
      `| ${label} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.rssMiB ? `${r.rssMiB.toFixed(0)} MiB` : ''} | ${ratio} | ${target} |`,
  ),
].join('\n');
const header = `# Benchmarks\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: node ${process.version}, ${cpus().length} cores, ${RUNS} runs after ${WARMUP} warm-ups each (a ratio's commands interleaved, round after round), whole processes against the built-in emulator on loopback (latency rows: 100 ms emulated per response; prune: 20 ms).\n\n`;
writeFileSync(join(root, 'BENCHMARKS.md'), `${header}${table}\n`);
console.log(table);

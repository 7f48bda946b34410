// `npm run bench`: start-up, listing, scale and bulk-revocation speed of the built bin, measured as whole processes
// against the built-in emulator, on the machine's Node and the pinned bench Node (.ci/node-versions) side by side,
// and the single executable (dist/sea/astra-token) beside them. Each row's commands run interleaved, round after
// round, with their floors (bare node; a bare node process making the same two requests at once, bench/floor.cjs),
// so that a ratio holds on a machine whose load changes. Prints a markdown table and writes BENCHMARKS.md. Not run
// in CI; the tests carry no timing asserts.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundle } from '../scripts/build.mjs';
import { nodeBinary, versionsFor } from '../scripts/node-dist.mjs';
import { TRICKS } from './tricks.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'astra-token.js');
const hook = join(root, 'bench', 'rss-hook.mjs');
const floorScript = join(root, 'bench', 'floor.cjs');
const seaPath = join(root, 'dist', 'sea', 'astra-token');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const PRUNE_RUNS = Number(process.env.BENCH_PRUNE_RUNS ?? 5);
const WARMUP = 2;
// BENCH_ONLY=startup,loopback,first,scale,latency,prune,tricks runs only those parts (for trying a change;
// BENCHMARKS.md is then left alone unless BENCH_WRITE=1, and its header names the parts).
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const part = (name) => !ONLY || ONLY.has(name);

// BENCH_SEA=0 leaves the single executable out (it needs postject, a dev dependency).
const SEA = process.env.BENCH_SEA !== '0';
if (process.env.BENCH_BUILD !== '0' || !existsSync(join(root, 'dist', 'cli.js')) || (SEA && !existsSync(seaPath))) {
  for (const script of SEA ? ['build.mjs', 'build-sea.mjs'] : ['build.mjs']) {
    const r = spawnSync(process.execPath, [join(root, 'scripts', script)], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const major = (version) => version.replace(/^v/, '').split('.')[0];

/** The columns: a Node runs `node bin/astra-token.js`; the single executable runs itself, its floors on its own Node. */
const nodes = [
  { name: `Node ${process.versions.node}`, node: process.execPath },
  ...(await Promise.all(versionsFor('bench').map(async (v) => ({ name: `Node ${v}`, node: await nodeBinary(v) })))),
];
const seaNodeVersion = versionsFor('sea')[0];
const seaFloorNode = nodes.find((n) => n.name === `Node ${seaNodeVersion}`)?.node ?? (await nodeBinary(seaNodeVersion));
const columns = [
  ...nodes.map((n) => ({ ...n, cli: (args) => [n.node, [bin, ...args]], hooked: (args) => [n.node, ['--import', hook, bin, ...args]] })),
  ...(SEA ? [{ name: `single executable (Node ${seaNodeVersion})`, node: seaFloorNode, sea: true, cli: (args) => [seaPath, args] }] : []),
];

/** Runs a command once; resolves with wall time (ms) and, with the hook, peak RSS (KiB) and CPU time (ms). */
function once(cmd, args, env = {}, okCodes = [0]) {
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
      if (!okCodes.includes(code)) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      const [rssKiB, cpuMs] = rss ? rss.trim().split(' ').map(Number) : [];
      resolve({ ms, start, rssKiB, cpuMs });
    });
  });
}

const summarise = (label, times, rss, cpu = []) => {
  const r = {
    label,
    median: median(times),
    cpuMs: cpu.length ? median(cpu) : undefined,
    min: Math.min(...times),
    max: Math.max(...times),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
  process.stderr.write(
    `  ${label}: median ${r.median.toFixed(1)} ms (${r.min.toFixed(1)}–${r.max.toFixed(1)})${r.rssMiB ? `, peak RSS ${r.rssMiB.toFixed(0)} MiB` : ''}${r.cpuMs === undefined ? '' : `, CPU ${r.cpuMs.toFixed(1)} ms`}\n`,
  );
  return r;
};

/** Runs the specs in turn, round after round (WARMUP rounds first, not counted); one summary per spec. */
async function measureTogether(specs, runs = RUNS) {
  const times = specs.map(() => []);
  const rss = specs.map(() => []);
  const cpu = specs.map(() => []);
  for (let i = 0; i < WARMUP + runs; i++) {
    for (const [j, { cmd, args, env, okCodes, before }] of specs.entries()) {
      if (before) await before();
      const r = await once(cmd, args, env, okCodes);
      if (i < WARMUP) continue;
      times[j].push(r.ms);
      if (r.rssKiB) rss[j].push(r.rssKiB);
      if (r.cpuMs !== undefined) cpu[j].push(r.cpuMs);
    }
  }
  return specs.map((spec, j) => summarise(spec.label, times[j], rss[j], cpu[j]));
}

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
  let next = (await api(emu, 'GET', '/v2/tokens')).clients.length - 1;
  const worker = async () => {
    while (next < count) {
      next++;
      await api(emu, 'POST', '/v2/tokens', { roles: [rw], description: `bench ${next}` });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const cliEnv = (emu) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_API_URL: emu.url, NO_COLOR: '1' });
/**
 * curl with both requests in parallel, the header from a file (a token never goes on a command line).
 * --parallel-immediate: without it `-Z` waits for the first connection to see whether the second request can share
 * it, which over HTTP/1.1 makes the two requests one after the other (215 instead of 115 ms at 100 ms latency).
 */
const work = mkdtempSync(join(tmpdir(), 'astra-bench-'));
// Removed however the run ends (a part that fails throws before the finally below is reached).
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const curlSpec = (emu, what) => {
  const header = join(work, `header-${emu.child.pid}`);
  writeFileSync(header, `Authorization: Bearer ${emu.token}\n`, { mode: 0o600 });
  const args = [
    '-sfZ',
    '--parallel-immediate',
    '-H',
    `@${header}`,
    '-o',
    '/dev/null',
    '-o',
    '/dev/null',
    `${emu.url}/v2/organizations/roles`,
    `${emu.url}/v2/tokens`,
  ];
  return { label: `curl, both requests in parallel (${what})`, cmd: 'curl', args };
};

/** The start-up tricks' rows (trickRows): { trick, what, cells: Map<node name, text> }. */
const trickTable = [];
/** rows: { what, target, cells: Map<column name, { r, note }> } in table order. */
const rows = [];
const notes = [];
const addRow = (what, target) => {
  const row = { what, target, cells: new Map() };
  rows.push(row);
  return row;
};
const ratio = (r, floor) => `${(r.median / floor.median).toFixed(2)}×`;
const load = [loadavg()[0]];

process.stderr.write(`benchmark: ${RUNS} runs after ${WARMUP} warm-up runs each; columns: ${columns.map((c) => c.name).join(', ')}\n`);

// Start-up: bare node, --version, --help, each column interleaved with its own node's floor.
if (part('startup')) {
  const specs = [];
  for (const c of columns) {
    if (!c.sea) specs.push({ col: c, row: 'node -e 0', label: `${c.name}: node -e 0`, cmd: c.node, args: ['-e', '0'] });
    // `token list --help`: a verb's help goes through the CLI (only the top-level help is made at build time).
    for (const words of [['--version'], ['--help'], ['token', 'list', '--help']]) {
      const [cmd, args] = c.cli(words);
      specs.push({ col: c, row: `astra-token ${words.join(' ')}`, label: `${c.name}: ${words.join(' ')}`, cmd, args });
    }
  }
  const results = await measureTogether(specs);
  const floorOf = (c) => results[specs.findIndex((s) => s.row === 'node -e 0' && s.col.node === c.node)];
  const byRow = new Map([
    ['node -e 0', addRow('node -e 0', '')],
    ['astra-token --version', addRow('astra-token --version', '≤ 1.3× node')],
    ['astra-token --help', addRow('astra-token --help', '≤ 1.3× node')],
    ['astra-token token list --help', addRow('astra-token token list --help', '')],
  ]);
  specs.forEach((s, j) =>
    byRow
      .get(s.row)
      .cells.set(s.col.name, { r: results[j], note: s.row === 'node -e 0' ? '' : `${ratio(results[j], floorOf(s.col))} node` }),
  );
}

/** token list --json (200 tokens) beside each column's floor (node + both requests at once), interleaved. */
async function listRows(emu, what, target) {
  const specs = [];
  for (const c of columns) {
    if (!c.sea)
      specs.push({
        col: c,
        floor: true,
        label: `${c.name}: node + both requests (${what})`,
        cmd: c.node,
        args: [floorScript],
        env: cliEnv(emu),
      });
    const [cmd, args] = c.cli(['token', 'list', '--json']);
    specs.push({ col: c, label: `${c.name}: token list --json (${what})`, cmd, args, env: cliEnv(emu) });
  }
  if (hasCurl) specs.push({ ...curlSpec(emu, what), curl: true });
  const results = await measureTogether(specs);
  const floorRow = addRow(`node + both requests in parallel (${what})`, '');
  const listRow = addRow(`token list --json (${what})`, target);
  specs.forEach((s, j) => {
    if (s.curl) return notes.push(`curl, both requests in parallel (${what}): ${results[j].median.toFixed(1)} ms median.`);
    if (s.floor) return floorRow.cells.set(s.col.name, { r: results[j], note: '' });
    const floor = results[specs.findIndex((f) => f.floor && f.col.node === s.col.node)];
    listRow.cells.set(s.col.name, { r: results[j], note: `${ratio(results[j], floor)} floor` });
  });
}

/**
 * How long after the process started the first request leaves: the request goes through a loopback forwarder that
 * timestamps each connection's arrival (the monotonic clock the spawn time was read from), for the floor and the CLI.
 */
async function firstRequestRows(emu) {
  const target = new URL(emu.url);
  let first;
  const server = createServer((sock) => {
    first ??= process.hrtime.bigint();
    const up = connect(Number(target.port), target.hostname);
    sock.pipe(up).pipe(sock);
    sock.on('error', () => up.destroy());
    up.on('error', () => sock.destroy());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const env = { ...cliEnv(emu), ASTRA_API_URL: `http://127.0.0.1:${server.address().port}` };
  const row = addRow('first request leaves, after process start (floor → token list)', '≤ floor + 25 ms');
  for (const c of columns) {
    const offsets = { floor: [], cli: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const [key, [cmd, args]] of [
        ['floor', [c.node, [floorScript]]],
        ['cli', c.cli(['token', 'list', '--json'])],
      ]) {
        first = undefined;
        const r = await once(cmd, args, env);
        if (i >= WARMUP) offsets[key].push(Number(first - r.start) / 1e6);
      }
    }
    const floor = median(offsets.floor);
    const cli = median(offsets.cli);
    process.stderr.write(`  ${c.name}: first request after ${floor.toFixed(1)} ms (floor), ${cli.toFixed(1)} ms (token list)\n`);
    row.cells.set(c.name, { text: `${floor.toFixed(0)} → ${cli.toFixed(0)} ms (+${(cli - floor).toFixed(0)})` });
  }
  server.close();
}

/** One row per trick and command: each Node's median with the trick and without it, interleaved round after round. */
async function trickRows() {
  const emus = { loopback: await startEmulator(), latency: await startEmulator(['--latency', '100']) };
  try {
    for (const emu of Object.values(emus)) await seed(emu, 200);
    // BENCH_TRICK=<part of a name> measures only the tricks whose name has it.
    for (const trick of TRICKS.filter((t) => t.name.includes(process.env.BENCH_TRICK ?? ''))) {
      const slug = trick.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      const dir = join(root, '.bench-tmp', slug);
      await bundle({ outdir: join(dir, 'dist'), without: trick.without, patches: trick.patches });
      mkdirSync(join(dir, 'bin'), { recursive: true });
      const offBin = join(dir, 'bin', 'astra-token.js');
      if (trick.bin) {
        const text = readFileSync(bin, 'utf8');
        if (!text.includes(trick.bin.find)) throw new Error(`bin/astra-token.js no longer contains ${trick.bin.find}`);
        writeFileSync(offBin, text.replace(trick.bin.find, trick.bin.replace));
      } else copyFileSync(bin, offBin);
      for (const [label, argv, where] of trick.cases) {
        const emu = emus[where];
        const args = typeof argv === 'function' ? argv(emu) : argv;
        const env = emu ? cliEnv(emu) : {};
        const specs = nodes.flatMap((n) => [
          { node: n, on: true, label: `${n.name}: ${label} (${where})`, cmd: n.node, args: ['--import', hook, bin, ...args], env },
          {
            node: n,
            on: false,
            label: `${n.name}: ${label} (${where}), without ${trick.name}`,
            cmd: n.node,
            args: ['--import', hook, offBin, ...args],
            env,
          },
        ]);
        const results = await measureTogether(specs);
        const row = {
          trick: trick.name,
          what: `${label}${where === 'none' ? '' : ` (${where === 'latency' ? '100 ms latency' : where})`}`,
          cells: new Map(),
        };
        for (const n of nodes) {
          const on = results[specs.findIndex((sp) => sp.node === n && sp.on)];
          const off = results[specs.findIndex((sp) => sp.node === n && !sp.on)];
          row.cells.set(
            n.name,
            `CPU ${(off.cpuMs - on.cpuMs).toFixed(1)} ms (${on.cpuMs.toFixed(0)} vs ${off.cpuMs.toFixed(0)}), wall ${(off.median - on.median).toFixed(0)} ms`,
          );
        }
        trickTable.push(row);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    for (const emu of Object.values(emus)) emu.child.kill('SIGTERM');
  }
}

try {
  const emu = await startEmulator();
  await seed(emu, 200);
  if (part('loopback')) await listRows(emu, '200 tokens, loopback', '≤ 1.7× floor on Node 20');
  if (part('first')) await firstRequestRows(emu);

  // Scale: 10,000 tokens listed as JSON and as TSV (stdout is not a terminal) and audited, with peak RSS.
  if (part('scale')) {
    await seed(emu, 10_000);
    const verbs = [
      ['token list --json', ['token', 'list', '--json']],
      ['token list (TSV)', ['token', 'list']],
      ['token audit', ['token', 'audit']],
    ];
    const specs = [];
    for (const c of columns.filter((col) => !col.sea)) {
      for (const [what, args] of verbs) {
        const [cmd, argv] = c.hooked(args);
        // token audit exits 9 when it finds something (thousands of tokens without an expiry here).
        specs.push({ col: c, what, label: `${c.name}: ${what} (10000 tokens)`, cmd, args: argv, env: cliEnv(emu), okCodes: [0, 9] });
      }
    }
    const results = await measureTogether(specs);
    for (const [what] of verbs) {
      const row = addRow(`${what} (10000 tokens), peak RSS`, '≤ 250 ms, ≤ 80 MiB on Node 20');
      specs.forEach((s, j) => s.what === what && row.cells.set(s.col.name, { r: results[j], note: '' }));
    }
  }
  emu.child.kill('SIGTERM');

  // Real users are 50-300 ms from the API: the reads must leave while the code loads.
  if (part('latency')) {
    const far = await startEmulator(['--latency', '100']);
    await seed(far, 200);
    await listRows(far, '200 tokens, 100 ms latency', '≤ 1.25× floor on Node 20 and 24');
    far.child.kill('SIGTERM');
  }

  // Bulk revocation on the machine's Node: 500 tokens, 20 ms per response, beside the ideal 500 × 20 ms / concurrency.
  const slow = part('prune') && (await startEmulator(['--latency', '20']));
  for (const concurrency of slow ? [1, 8, 32] : []) {
    const ideal = (500 * 20) / concurrency;
    const [prune] = await measureTogether(
      [
        {
          label: `token prune --older-than 0d --yes (500, c=${concurrency})`,
          cmd: process.execPath,
          args: [bin, 'token', 'prune', '--older-than', '0d', '--yes', '--concurrency', String(concurrency), '--quiet'],
          env: cliEnv(slow),
          before: () => seed(slow, 500),
        },
      ],
      PRUNE_RUNS,
    );
    addRow(
      `token prune --older-than 0d --yes (500 tokens, 20 ms latency, c=${concurrency})`,
      concurrency === 8 ? '≤ 1.6× ideal' : '',
    ).cells.set(columns[0].name, { r: prune, note: `${(prune.median / ideal).toFixed(2)}× the ideal ${ideal.toFixed(0)} ms` });
  }
  if (slow) slow.child.kill('SIGTERM');

  if (part('tricks')) await trickRows();
} finally {
  rmSync(work, { recursive: true, force: true });
}
load.push(loadavg()[0]);

const cell = (c) => {
  if (!c) return '';
  if (c.text) return c.text;
  const rss = c.r.rssMiB ? `, ${c.r.rssMiB.toFixed(0)} MiB` : '';
  return `${c.r.median.toFixed(0)} ms${c.note ? ` (${c.note})` : ''}${rss}`;
};
const table = [
  `| what | ${columns.map((c) => c.name).join(' | ')} | target |`,
  `|---|${columns.map(() => '---:').join('|')}|---|`,
  ...rows.map((row) => `| ${row.what} | ${columns.map((c) => cell(row.cells.get(c.name))).join(' | ')} | ${row.target} |`),
].join('\n');
const header = `# Benchmarks

Measured by \`${ONLY ? `BENCH_ONLY=${[...ONLY].join(',')} ` : ''}npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, shared with other jobs (load average ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end): medians of ${RUNS} runs each after ${WARMUP} warm-ups (prune: ${PRUNE_RUNS}), each row's commands and their floors interleaved round after round, whole processes against the built-in emulator on loopback (latency rows: 100 ms emulated per response; prune: 20 ms). Columns: \`node bin/astra-token.js\` on each Node (Node ${major(process.version)} is the machine's own, the others are pinned in .ci/node-versions), and \`dist/sea/astra-token\`, whose ratios are to its own Node. The floor of a list row is a bare node process making the same two requests at once (bench/floor.cjs), as the CLI does. Peak RSS comes from a hook preloaded into the measured process (bench/rss-hook.mjs).

`;
const tricks = trickTable.length
  ? [
      '## What each start-up trick saves',
      '',
      `Each trick turned off in a bundle of its own and run interleaved with the normal one (docs/startup.md): the saving is the median without it minus the median with it. CPU is the process's own CPU time (user + system, all threads, read at exit by bench/rss-hook.mjs; with vs without in brackets), which a loaded machine barely moves; wall is elapsed time, which it does (what the early reads and the exit-time V8 flag save is wall time only).`,
      '',
      `| trick | command | ${nodes.map((n) => n.name).join(' | ')} |`,
      `|---|---|${nodes.map(() => '---:').join('|')}|`,
      ...trickTable.map((row) => `| ${row.trick} | ${row.what} | ${nodes.map((n) => row.cells.get(n.name)).join(' | ')} |`),
    ].join('\n')
  : '';
if (!ONLY || process.env.BENCH_WRITE === '1')
  writeFileSync(join(root, 'BENCHMARKS.md'), `${header}${table}\n\n${notes.join(' ')}\n${tricks ? `\n${tricks}\n` : ''}`);
console.log(table);
console.log(tricks);
console.log(notes.join('\n'));

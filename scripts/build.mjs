// One esbuild bundle with code splitting: each command's module is its own chunk, loaded only when it runs.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startupPlugins } from '../src/startup/esbuild-plugins.mjs';

/** Signals belong to src/cli.ts: when-exit would re-send the first Ctrl-C (see the stand-in). */
const whenExitOnExitOnly = {
  name: 'when-exit-on-exit-only',
  setup(b) {
    b.onResolve({ filter: /^when-exit$/ }, () => ({ path: fileURLToPath(new URL('./when-exit-on-exit.mjs', import.meta.url)) }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Builds the bundle into `outdir`. The bench (bench/run.mjs) builds it again elsewhere with one start-up trick turned
 * off: `without` names a stand-in of src/startup/esbuild-plugins.mjs to leave out, `patches` edits source text
 * (`{ file, find, replace }`, each find must match) as it is loaded.
 */
export async function bundle({ outdir = fileURLToPath(new URL('../dist', import.meta.url)), without = [], patches = [] } = {}) {
  // dist/sea (the single executable, `npm run build:sea`, made from this bundle) is left in place.
  for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) {
    if (entry !== 'sea') rmSync(`${outdir}/${entry}`, { recursive: true, force: true });
  }
  const patching = {
    name: 'bench-patches',
    setup(b) {
      for (const { file, find, replace } of patches) {
        const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
        b.onLoad({ filter: new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }, () => {
          const text = readFileSync(path, 'utf8');
          if (!text.includes(find)) throw new Error(`${file}: no longer contains ${JSON.stringify(find)}`);
          return { contents: text.replace(find, replace), loader: path.endsWith('.ts') ? 'ts' : 'js' };
        });
      }
    },
  };
  const shared = {
    absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    define: { __VERSION__: JSON.stringify(pkg.version) },
    // Some bundled dependencies are CommonJS and call require() for Node built-ins; jq-wasm's runtime reads __dirname.
    banner: {
      js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);const __dirname=import.meta.dirname??new URL('.',import.meta.url).pathname;",
    },
    // @commander-js/extra-typings only adds types: at run time it re-exports commander's classes (and builds a spare
    // global program on load), so the bundle takes commander itself.
    alias: { '@commander-js/extra-typings': 'commander' },
    // The keychain binding is native, optional and loaded on demand: it stays a package of its own (see
    // src/config/keyring.ts), and the bundle works where it is not installed.
    external: ['@napi-rs/keyring'],
    logLevel: 'warning',
    plugins: [
      ...Object.entries(startupPlugins).flatMap(([name, plugin]) => (without.includes(name) ? [] : [plugin])),
      whenExitOnExitOnly,
      patching,
    ],
  };
  await build({
    ...shared,
    // early: the reads the bin sends before it imports the CLI (src/startup/early.ts), sharing its module with the bundle.
    entryPoints: { cli: 'src/cli.ts', early: 'src/startup/early.ts' },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  await bundleFast(outdir, shared);
}

/**
 * dist/fast.js: `--version` and `--help` alone (src/startup/fast.ts), a module of its own with the top-level help in
 * it. The help comes from the command tree itself: src/startup/root-help.ts is bundled into `outdir`, run, removed.
 */
async function bundleFast(outdir, shared) {
  const generator = `${outdir}/.root-help-${process.pid}.mjs`;
  let rootHelp;
  try {
    await build({
      ...shared,
      entryPoints: ['src/startup/root-help.ts'],
      outfile: generator,
      splitting: false,
      sourcemap: false,
      legalComments: 'none',
    });
    rootHelp = (await import(pathToFileURL(generator).href)).unwrappedRootHelp();
  } finally {
    rmSync(generator, { force: true });
  }
  await build({
    ...shared,
    entryPoints: { fast: 'src/startup/fast.ts' },
    outdir,
    splitting: false,
    // Nothing in it requires a CommonJS module or reads __dirname.
    banner: {},
    define: { ...shared.define, __ROOT_HELP__: JSON.stringify(rootHelp) },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle();

// One esbuild bundle with code splitting: each command's module is its own chunk, loaded only when it runs.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Start-up speed: commander's eager `require('node:child_process')` becomes a lazy one (see the shim). */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`)
        ? { path: fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url)) }
        : undefined,
    );
  },
};

/** Start-up speed: undici's eager `require('node:http2')` (which loads tls and crypto) becomes a lazy one. */
const lazyHttp2ForUndici = {
  name: 'lazy-http2-for-undici',
  setup(b) {
    b.onResolve({ filter: /^node:http2$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/undici/`)
        ? { path: fileURLToPath(new URL('./lazy-http2.cjs', import.meta.url)) }
        : undefined,
    );
  },
};

/** Signals belong to src/cli.ts: when-exit would re-send the first Ctrl-C (see the stand-in). */
const whenExitOnExitOnly = {
  name: 'when-exit-on-exit-only',
  setup(b) {
    b.onResolve({ filter: /^when-exit$/ }, () => ({ path: fileURLToPath(new URL('./when-exit-on-exit.mjs', import.meta.url)) }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// dist/sea (the single executable, `npm run build:sea`, made from this bundle) is left in place.
for (const entry of existsSync(new URL('../dist', import.meta.url)) ? readdirSync(new URL('../dist', import.meta.url)) : []) {
  if (entry !== 'sea') rmSync(new URL(`../dist/${entry}`, import.meta.url), { recursive: true, force: true });
}

await build({
  // early: the reads the bin sends before it imports the CLI (src/startup/early.ts), sharing its module with the bundle.
  entryPoints: { cli: 'src/cli.ts', early: 'src/startup/early.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Some bundled dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  // @commander-js/extra-typings only adds types: at run time it re-exports commander's classes (and builds a spare
  // global program on load), so the bundle takes commander itself.
  alias: { '@commander-js/extra-typings': 'commander' },
  // The keychain binding is native, optional and loaded on demand: it stays a package of its own (see
  // src/config/keyring.ts), and the bundle works where it is not installed.
  external: ['@napi-rs/keyring'],
  logLevel: 'warning',
  plugins: [lazyChildProcessForCommander, lazyHttp2ForUndici, whenExitOnExitOnly],
});

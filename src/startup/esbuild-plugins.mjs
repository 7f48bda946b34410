// The bundle's start-up stand-ins (docs/startup.md): a dependency's eager require of a heavy node built-in becomes a
// lazy one. scripts/build.mjs uses them; bench/run.mjs builds without one to measure what it saves.
import { fileURLToPath } from 'node:url';

/** Resolves `node:<builtin>` to a stand-in of this folder when the importer is inside node_modules/<pkg>/. */
const standIn = (name, builtin, pkg, file) => ({
  name,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^node:${builtin}$`) }, (args) =>
      args.importer.includes(`node_modules/${pkg}/`) ? { path: fileURLToPath(new URL(`./stand-ins/${file}`, import.meta.url)) } : undefined,
    );
  },
});

export const startupPlugins = {
  /** commander's eager `require('node:child_process')` (executable subcommands, which this CLI has none of). */
  'lazy-child-process': standIn('lazy-child-process-for-commander', 'child_process', 'commander', 'lazy-child-process.cjs'),
  /** undici's eager `require('node:http2')`, which loads tls and crypto, for HTTP/2 connections this CLI never makes. */
  'lazy-http2': standIn('lazy-http2-for-undici', 'http2', 'undici', 'lazy-http2.cjs'),
};

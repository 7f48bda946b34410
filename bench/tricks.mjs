// The start-up tricks `npm run bench` measures (BENCH_ONLY=tricks), apart from bench/run.mjs so that
// test/startup/bench-tricks.test.ts can check that every patch still finds its text and every stand-in exists.
/**
 * The start-up tricks of docs/startup.md, each turned off in a bundle of its own (.bench-tmp/<trick>/): a stand-in
 * left out, or its source patched as it is loaded. `cases` are the commands it is for: [label, argv, where], where
 * is 'none' (no API), 'loopback' or 'latency' (100 ms per response); argv may be a function of the emulator.
 */
/** `token list --json --api-url <the emulator>`: the early path stands aside and undici makes the requests. */
const listWithApiUrl = (emu) => ['token', 'list', '--json', '--api-url', emu.url];

export const TRICKS = [
  {
    name: 'early reads (src/startup/early.ts)',
    bin: { find: 'startEarlyReads(argv, process.env);', replace: '' },
    cases: [
      ['token list --json', ['token', 'list', '--json'], 'latency'],
      ['token list --json', ['token', 'list', '--json'], 'loopback'],
    ],
  },
  {
    name: 'the bundle imported after the first poll (bin/astra-token.js)',
    bin: {
      find: "return new Promise((resolve) => setImmediate(resolve))\n      .then(() => import('../dist/cli.js'))",
      replace: "return import('../dist/cli.js')",
    },
    cases: [
      ['token list --json', ['token', 'list', '--json'], 'latency'],
      ['token list --json', ['token', 'list', '--json'], 'loopback'],
    ],
  },
  {
    name: 'node:crypto when first used (src/domain/token-format.ts, src/config/store.ts)',
    patches: ['src/domain/token-format.ts', 'src/config/store.ts'].map((file) => ({
      file,
      find: "const crypto = () => process.getBuiltinModule('node:crypto');",
      replace: "import * as eagerCrypto from 'node:crypto';\nconst crypto = () => eagerCrypto;",
    })),
    cases: [
      ['--help (through the CLI)', ['--help', '--no-color'], 'none'],
      ['token list --json', ['token', 'list', '--json'], 'loopback'],
    ],
  },
  {
    name: 'undici when a request first goes through it (src/api/index.ts)',
    patches: [
      {
        file: 'src/api/index.ts',
        find: '  let undici: Promise<FetchLike> | undefined;',
        replace:
          "  let undici: Promise<FetchLike> | undefined = settings.fetch ? undefined : import('./http.js').then((m) => m.undiciRequestFetch());",
      },
    ],
    cases: [['token list --json', ['token', 'list', '--json'], 'loopback']],
  },
  {
    name: 'V8 --liftoff-only (src/cli.ts)',
    patches: [{ file: 'src/cli.ts', find: "setFlagsFromString('--liftoff-only');", replace: '' }],
    // --api-url: undici makes the requests (the early reads use node's own HTTP parser, not undici's WebAssembly one).
    cases: [['token list --json --api-url', listWithApiUrl, 'loopback']],
  },
  {
    name: '--version and --help answered by the bin (src/startup/fast.ts)',
    bin: {
      find: "if (alone === '--version' || alone === '-V' || alone === '--help' || alone === '-h') {",
      replace: 'if (false) {',
    },
    cases: [
      ['--version', ['--version'], 'none'],
      ['--help', ['--help'], 'none'],
    ],
  },
  {
    name: 'only the noun argv names is registered (src/commands/index.ts)',
    patches: [
      {
        file: 'src/commands/index.ts',
        find: 'let at = argv ? firstCommandWord(program, argv) : -1;',
        replace: 'argv = undefined;\n  let at = -1;',
      },
    ],
    cases: [
      ['token --help', ['token', '--help'], 'none'],
      ['token list --json', ['token', 'list', '--json'], 'loopback'],
    ],
  },
  {
    name: 'lazy node:child_process for commander (stand-in)',
    without: ['lazy-child-process'],
    cases: [['token --help', ['token', '--help'], 'none']],
  },
  {
    name: 'lazy node:http2 for undici (stand-in)',
    without: ['lazy-http2'],
    cases: [['token list --json --api-url', listWithApiUrl, 'loopback']],
  },
  {
    name: 'undici file by file (src/startup/undici.ts)',
    patches: [
      {
        file: 'src/startup/undici.ts',
        find: "import Agent from 'undici/lib/dispatcher/agent.js';\nimport request from 'undici/lib/api/api-request.js';",
        replace: "import { Agent, request } from 'undici';",
      },
    ],
    cases: [['token list --json --api-url', listWithApiUrl, 'loopback']],
  },
  {
    name: 'route-knowledge.ts apart from the client',
    patches: [
      {
        file: 'src/context.ts',
        find: "import { RouteKnowledge } from './api/route-knowledge.js';",
        replace: "import { RouteKnowledge } from './api/route-knowledge.js';\nimport './api/client.js';",
      },
    ],
    cases: [['token list --json', ['token', 'list', '--json'], 'loopback']],
  },
];

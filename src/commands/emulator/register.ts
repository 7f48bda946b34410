import { usesGlobals } from '../../global-options.js';
import { API_SHAPES } from '../../emulator/api-shapes.js';
import { choiceOption, decimalIn, integerIn } from '../values.js';
import type { Program, VerbLoader } from '../verb.js';

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'serve a local, stateful Astra DevOps API emulator (for trying the tool and testing scripts offline)';

export function registerEmulator(program: Program, load: VerbLoader) {
  const serve = program
    .command('emulator')
    .description(SUMMARY)
    .option('--port <n>', 'port to listen on (0 = a free one; default: the port kept in --state, else 0)', integerIn(0, 65_535))
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--state <file>', 'load state from this file at start and save it on exit')
    .option('--seed <file>', 'start with the custom roles and tokens (of any age and expiry) this JSON file lists')
    .option('--latency <ms>', 'delay every response by this many milliseconds', integerIn(0, 60_000), 0)
    .option('--fail-rate <p>', 'answer this share (0..1) of requests with 503 or 429 + Retry-After', decimalIn(0, 1), 0)
    .addOption(choiceOption('--api-shape <shape>', 'which token routes to serve (see below)', API_SHAPES).default('docs' as const))
    .addHelpText(
      'after',
      `
Prints the base URL and an Organization Administrator token on stdout (--json: {"url","token","orgId"} on one
line), then serves until Ctrl-C or SIGTERM.

--seed reads {"roles": [...], "tokens": [...]} into the default org, so prune and audit scripts can be tried
offline. A token: {"roles": ["RO User"], "description": "ci", "age": "200d", "expiresIn": "-3d"}; instead of
age/expiresIn, generatedOn/expiresAt take ISO-8601 instants (expiresAt null: never expires; "-3d": 3 days ago).
A role: {"name": "ci reader", "actions": ["db-table-read"], "resources": ["drn:astra:org:__ORG_ID__"]} (default
resource: the whole org). A bad seed exits 2 naming the entry; --seed cannot go with an existing --state file.

API shapes (--api-shape), as found in the wild:
  docs   the current Astra docs: GET/POST /v2/tokens, DELETE /v2/tokens/{id}, and the same under /v2/clientIdSecrets
  spec   the published OpenAPI description (2.3.0): /v2/tokens is POST only (GET 405, DELETE 404 text/plain);
         listing and revoking only under /v2/clientIdSecrets; create answers without the optional "token"
  mixed  GET /v2/tokens answers, DELETE /v2/tokens/{id} does not exist (404 text/plain)
Error bodies are the same in every shape, as DataStax publishes them:
token create text/plain, role routes a JSON string, streaming {"reason"};
an unknown route is Go's text/plain "404 page not found".

Examples:
  $ astra-token emulator --port 8181
  $ astra-token emulator --state ./emulator-state.json --port 8181   # the same URL and tokens after a restart
  $ astra-token emulator --port 0 --json --state ./emulator-state.json --latency 20 --fail-rate 0.1
  $ astra-token emulator --api-shape spec
  $ astra-token emulator --seed aged-tokens.json --port 8181`,
    )
    .action(load(async () => (await import('./serve.js')).emulatorServe));
  // The emulator serves: it signs in nowhere, asks nothing, and --json shapes its first line.
  usesGlobals(serve, 'json');
  return { serve };
}

export type EmulatorVerbs = ReturnType<typeof registerEmulator>;

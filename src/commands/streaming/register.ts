import { usesGlobals } from '../../global-options.js';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { outputFileOption, wideOption, yesOption } from '../options.js';
import type { Program, VerbLoader } from '../verb.js';

const TARGET = '--tenant demo-tenant --cluster pulsar-gcp-useast4';

/**
 * --tenant and --cluster, on every verb: the service addresses a tenant through its Pulsar cluster. Not commander's
 * required options: they may come from the environment or the profile, and help must not read the config to decide.
 */
function withTarget<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>) {
  return command
    .option('--tenant <name>', 'the streaming tenant (required unless set in the profile or the environment: ASTRA_STREAMING_TENANT)')
    .option(
      '--cluster <name>',
      "the tenant's Pulsar cluster, e.g. pulsar-gcp-useast4 (required unless set in the profile or the environment: ASTRA_STREAMING_CLUSTER)",
    );
}

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'manage the Astra Streaming (Pulsar) tokens of a tenant';

export function registerStreaming(program: Program, load: VerbLoader) {
  const streaming = program
    .command('streaming')
    .description(SUMMARY)
    .option('--streaming-api-url <url>', 'Astra Streaming API base URL (env: ASTRA_STREAMING_API_URL)')
    .addHelpText(
      'after',
      `
Pulsar JWTs are for Pulsar clients and pulsar-admin of one tenant. This tool itself always authenticates with
the Astra application token (AstraCS:...) of the org, from the usual places (profile, ASTRA_DB_APPLICATION_TOKEN,
--token-file). Streaming host, first found: --streaming-api-url, ASTRA_STREAMING_API_URL, the profile's
streamingApiUrl, the DevOps API URL when it is a local emulator, else https://api.streaming.datastax.com.

Examples:
  $ astra-token streaming token list ${TARGET}
  $ astra-token streaming token create ${TARGET} --expires 30d --output-file pulsar.jwt`,
    );

  const token = streaming
    .command('token')
    .description('list, create, fetch and delete the Pulsar JWTs of a streaming tenant')
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token streaming token list ${TARGET}
  $ astra-token streaming token create ${TARGET} --expires 90d
  $ astra-token streaming token get <tokenId> ${TARGET}
  $ astra-token streaming token delete <tokenId> ${TARGET} --yes`,
    );

  const list = withTarget(token.command('list').addOption(wideOption()))
    .description("list a tenant's Pulsar tokens: token id, subject, issued at, expiry")
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token streaming token list ${TARGET}
  $ astra-token streaming token list ${TARGET} --json | jq -r '.[] | select(.expiresAt == null) | .tokenId'`,
    )
    .action(load(async () => (await import('./list.js')).streamingTokenList));

  const create = withTarget(token.command('create'))
    .description('create a Pulsar JWT for a tenant; printed once on stdout')
    .option('--expires <duration>', "lifetime, 7 days or more (7d, 30d, 12w, P90D) or 'never' (the default)")
    .addOption(outputFileOption())
    .addHelpText(
      'after',
      `
The token goes to stdout alone on one line (or as {"tokenId","token","role"} with --json); a reminder goes to
stderr. With --output-file, stdout gets only the token id; an existing file is never overwritten.

Examples:
  $ astra-token streaming token create ${TARGET}
  $ astra-token streaming token create ${TARGET} --expires 30d --output-file pulsar.jwt
  $ TOKEN=$(astra-token streaming token create ${TARGET} --expires 90d)`,
    )
    .action(load(async () => (await import('./create.js')).streamingTokenCreate));

  const get = withTarget(token.command('get'))
    .description('print the Pulsar JWT of one token')
    .argument('<tokenId>', "the token's id (see 'streaming token list')")
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token streaming token get 3f1c2a9e-5b7d-4e60-9a21-6c8d0f4b2e17 ${TARGET} > pulsar.jwt`,
    )
    .action(load(async () => (await import('./get.js')).streamingTokenGet));

  const del = withTarget(token.command('delete'))
    .description('delete Pulsar tokens of a tenant (clients using them lose access)')
    .argument('<tokenId...>', "ids of the tokens (see 'streaming token list')")
    .addOption(yesOption('do not ask for confirmation (required without a terminal or with --no-input)'))
    .addHelpText(
      'after',
      `
Every id is checked first: if one is unknown, nothing is deleted.

Examples:
  $ astra-token streaming token delete 3f1c2a9e-5b7d-4e60-9a21-6c8d0f4b2e17 ${TARGET}
  $ astra-token streaming token delete <id1> <id2> ${TARGET} --yes --json`,
    )
    .action(load(async () => (await import('./delete.js')).streamingTokenDelete));
  // Verbs that never ask for confirmation: --no-input does not concern them.
  for (const verb of [list, create, get]) usesGlobals(verb, 'credential', 'request', 'json');
  return { list, create, get, delete: del };
}

export type StreamingVerbs = ReturnType<typeof registerStreaming>;

import { usesGlobals } from '../../global-options.js';
import { forceOption, wideOption, yesOption } from '../options.js';
import type { TokenStorage } from '../../config/store.js';
import { choiceOption } from '../values.js';
import type { Program, VerbLoader } from '../verb.js';

/** Where a profile's token can live. */
const TOKEN_STORAGES = ['keyring', 'file'] as const satisfies readonly TokenStorage[];

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'save, list and switch org credentials (profiles)';

export function registerOrg(program: Program, load: VerbLoader) {
  const org = program
    .command('org')
    .description(SUMMARY)
    .addHelpText(
      'after',
      `
Credentials, first found wins: --token-file, ASTRA_DB_APPLICATION_TOKEN, --profile/ASTRA_PROFILE, the current profile.

Examples:
  $ astra-token org add prod --with-token < prod-token.txt
  $ astra-token org list
  $ astra-token org switch staging
  $ astra-token org current`,
    );

  const add = org
    .command('add')
    .description('save a profile: an org token and its API (validated live)')
    .argument('<name>', 'profile name (any text: dots, slashes and spaces are fine)')
    .option('--with-token', 'read the token from standard input')
    .option('--no-validate', 'save without checking the token against the API')
    .option('--use', 'make this profile the current one')
    .addOption(forceOption('replace a profile of the same name'))
    .option('--streaming-api-url <url>', 'Astra Streaming API host to store with the profile (for streaming token)')
    .addOption(
      choiceOption(
        '--storage <keyring|file>',
        'where the token lives: the OS keychain or the 0600 config file (default: the keychain when usable)',
        TOKEN_STORAGES,
      ),
    )
    .option('--streaming-tenant <name>', 'default --tenant for streaming token with this profile')
    .option('--streaming-cluster <name>', 'default --cluster for streaming token with this profile')
    .addHelpText(
      'after',
      `
The token comes from, in this order: --with-token (stdin), --token-file <path>, a hidden prompt on a terminal,
ASTRA_DB_APPLICATION_TOKEN. It is never accepted as an argument. --env or --api-url pick the API (default prod).
The first profile becomes the current one. The token is kept in the OS keychain (macOS Keychain, Windows Credential
Manager, the Secret Service on Linux) when one is usable, else in the 0600 config file, with a one-line note.

Examples:
  $ astra-token org add prod --with-token < prod-token.txt
  $ astra-token org add staging --env dev            # asks for the token
  $ astra-token org add local --api-url http://127.0.0.1:8181 --token-file token.txt --use`,
    )
    .action(load(async () => (await import('./add.js')).orgAdd));

  const list = org
    .command('list')
    .addOption(wideOption())
    .description('list saved profiles: name, org id, org name, API URL, which is current, where the token lives')
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token org list
  $ astra-token org list --json | jq -r '.[] | select(.current) | .name'`,
    )
    .action(load(async () => (await import('./list.js')).orgList));

  const switchVerb = org
    .command('switch')
    .description('make a saved profile the current one')
    .argument('<name>', 'profile name')
    .addHelpText('after', '\nExamples:\n  $ astra-token org switch staging\n  $ astra-token org switch "customer/acme prod"')
    .action(load(async () => (await import('./switch.js')).orgSwitch));

  const current = org
    .command('current')
    .description('show the active credential, where it comes from, and its live org')
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token org current
  $ astra-token org current --json | jq -r .orgId
  $ ASTRA_PROFILE=staging astra-token org current`,
    )
    .action(load(async () => (await import('./current.js')).orgCurrent));

  const storage = org
    .command('storage')
    .description("move a profile's token between the OS keychain and the config file")
    .argument('<name>', 'profile name')
    .addOption(
      choiceOption(
        '--to <keyring|file>',
        'where the token goes: keyring (the OS keychain) or file (the 0600 config file)',
        TOKEN_STORAGES,
      ).makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      `
The token is written to the target and read back before it is deleted from where it was: a failure at any step
leaves it in place.

Examples:
  $ astra-token org storage prod --to keyring
  $ astra-token org storage prod --to file      # e.g. before copying the config dir to a machine without a keychain`,
    )
    .action(load(async () => (await import('./storage.js')).orgStorage));

  const remove = org
    .command('remove')
    .description('forget a saved profile; with --revoke, revoke its token first')
    .argument('<name>', 'profile name')
    .option('--revoke', "first revoke the profile's token, through its own credential and API")
    .addOption(yesOption())
    .addHelpText(
      'after',
      `
Without --revoke the token stays live (on a terminal the prompt offers to revoke it). With --revoke a
failed revoke keeps the profile and exits non-zero.

Examples:
  $ astra-token org remove staging
  $ astra-token org remove old-prod --revoke --yes`,
    )
    .action(load(async () => (await import('./remove.js')).orgRemove));
  // The saved profiles alone: no credential, no API.
  for (const verb of [list, switchVerb, storage]) usesGlobals(verb, 'json');
  usesGlobals(current, 'credential', 'request', 'json');
  // --revoke uses the profile's own credential and API: only the request options apply.
  usesGlobals(remove, 'request', 'json', 'input');
  return { add, list, switch: switchVerb, current, storage, remove };
}

export type OrgVerbs = ReturnType<typeof registerOrg>;

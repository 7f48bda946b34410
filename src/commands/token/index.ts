import type { Command } from 'commander';
import type { VerbLoader } from '../index.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerToken(program: Command, load: VerbLoader): void {
  const token = program
    .command('token')
    .description('list, create, revoke and inspect application tokens')
    .addHelpText(
      'after',
      `
Examples:
  $ astra-token token list
  $ astra-token token create --role "R/W User" --expires 30d
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx
  $ astra-token token inspect --check < token.txt`,
    );

  token
    .command('list')
    .description('every token of the org with role names, description, created, expiry and status')
    .option('--role <name-or-id>', 'only tokens holding this role')
    .option('--expired', 'only tokens that have expired')
    .option('--expiring-within <duration>', 'only tokens expiring within this time (e.g. 7d, 12h, P30D)')
    .addHelpText(
      'after',
      `
Filters combine: a token is shown when it matches all of them. Piped output is tab-separated:
clientId, roles, description, generatedOn, expiresAt (ISO-8601 UTC; empty when it never expires).

Examples:
  $ astra-token token list
  $ astra-token token list --role "Database Administrator" --expiring-within 14d
  $ astra-token token list --expired --json | jq -r '.[].clientId'`,
    )
    .action(load(async () => (await import('./list.js')).tokenList));

  token
    .command('create')
    .description('create a token holding one or more roles; the token is shown only once')
    .option('--role <name-or-id>', 'a role by name (case-insensitive) or id; repeat for several', collect)
    .option('--description <text>', 'what the token is for')
    .option('--expires <when>', 'an ISO-8601 instant or a duration from now (30d, 12h, 2w, P90D)')
    .option('--org-id <uuid>', 'create the token in another org of the enterprise')
    .option('--output-file <path>', 'write the token to this new file (mode 0600) instead of stdout')
    .option('--db <name-or-id>', 'limit the token to one database, through a custom "<db name> <role>" role')
    .option('--keyspace <name>', 'with --db: limit it further to one keyspace')
    .option('--table <name>', 'with --keyspace: limit it further to one table')
    .addHelpText(
      'after',
      `
The token alone goes to stdout (the whole JSON object with --json). With --output-file it goes to the file,
which must not exist yet, and stdout gets the client id only (with --json: the object without token and secret).

Examples:
  $ astra-token token create --role "R/W User" --description "orders service" --expires 90d
  $ astra-token token create --role "Database Administrator" --role "RO User" --output-file ci-token.txt
  $ TOKEN=$(astra-token token create --role "R/W User" --json | jq -r .token)`,
    )
    .action(load(async () => (await import('./create.js')).tokenCreate));

  token
    .command('delete')
    .description('revoke one or more tokens by client id')
    .argument('<clientId...>', 'client ids of the tokens to revoke')
    .option('--yes', 'revoke without asking for confirmation')
    .option('--if-exists', 'succeed when a token does not exist')
    .option('--force', 'allow revoking the token this command is authenticated with')
    .option('--dry-run', 'show what would be revoked and change nothing')
    .addHelpText(
      'after',
      `
Asks for confirmation on a terminal; elsewhere --yes is required. Exit 8 when some tokens were revoked and
others were not (each failure is named).

Examples:
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx
  $ astra-token token delete AbCdEfGhIjKlMnOpQrStUvWx ZyXwVuTsRqPoNmLkJiHgFeDc --yes --json
  $ astra-token token list --expired --json | jq -r '.[].clientId' | xargs astra-token token delete --yes`,
    )
    .action(load(async () => (await import('./delete.js')).tokenDelete));

  token
    .command('inspect')
    .description('show a token\'s client id and format offline; --check asks the API whether it is live')
    .option('--check', 'ask the API whether the token is live, its org, roles and expiry')
    .addHelpText(
      'after',
      `
The token is read from stdin (when it is not a terminal), --token-file, ASTRA_DB_APPLICATION_TOKEN or the
active profile. The secret part is never printed. Exit 2 when it is not a valid Astra token, 3 when --check
finds it rejected.

Examples:
  $ astra-token token inspect < token.txt
  $ astra-token --token-file ci-token.txt token inspect --check
  $ astra-token token inspect --check --json | jq .check.live`,
    )
    .action(load(async () => (await import('./inspect.js')).tokenInspect));
}

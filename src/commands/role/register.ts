import { usesGlobals } from '../../global-options.js';
import { wideOption, yesOption } from '../options.js';
import type { Program, VerbLoader } from '../verb.js';

/** Repeatable flags collect every value given. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const SCOPE_HELP = `
Resources are DRNs:
  drn:astra:org:<org id>[:db:<db id|*>[:keyspace:<name|*>[:table:<name|*>]]]
--db/--keyspace/--table build them as the Astra portal does: the org DRN plus the db, keyspace
and table levels, with * for every level not named. --db <id> --keyspace sales gives
  drn:astra:org:<org>, ...:db:<id>, ...:db:<id>:keyspace:sales, ...:db:<id>:keyspace:sales:table:*`;

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'list, inspect, create, update and delete the roles of the org';

export function registerRole(program: Program, load: VerbLoader) {
  const role = program
    .command('role')
    .description(SUMMARY)
    .addHelpText(
      'after',
      '\nExamples:\n  $ astra-token role list\n  $ astra-token role get "Database Administrator"\n  $ astra-token role create "orders reader" --action db-cql --action db-table-select --db orders',
    );

  const list = role
    .command('list')
    .addOption(wideOption())
    .description('list roles: id, name, built-in or custom, description')
    .addHelpText(
      'after',
      "\nExamples:\n  $ astra-token role list\n  $ astra-token role list --json | jq -r '.[] | select(.builtIn | not) | .name'",
    )
    .action(load(async () => (await import('./list.js')).roleList));

  const get = role
    .command('get')
    .description('show one role: effect, actions and resources')
    .argument('<name-or-id>', 'role name (case-insensitive) or role id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ astra-token role get "R/W User"\n  $ astra-token role get 4f0c1a52-9a0e-4b7e-8a47-2b8e3c1d9e10 --json | jq -r \'.actions[]\'',
    )
    .action(load(async () => (await import('./get.js')).roleGet));

  const actions = role
    .command('actions')
    .description('list the documented policy actions (offline)')
    .addHelpText('after', "\nExamples:\n  $ astra-token role actions\n  $ astra-token role actions | grep '^db-table'")
    .action(load(async () => (await import('./actions.js')).roleActions));

  const create = role
    .command('create')
    .description('create a custom role from actions and resources')
    .argument('<name>', 'name of the new role (unique in the org)')
    .option('--action <action>', 'an action the role allows (repeatable, or comma-separated)', collect)
    .option('--resource <drn>', 'a resource as a DRN (repeatable, or comma-separated)', collect)
    .option('--db <name-or-id>', 'limit the role to this database, by name or id (builds the resources)')
    .option('--keyspace <name>', 'limit it further to one keyspace (needs --db)')
    .option('--table <name>', 'limit it further to one table (needs --keyspace)')
    .option('--description <text>', 'description of the role')
    .option('--allow-unknown-action', 'send an action missing from the documented list (warns)')
    .addHelpText(
      'after',
      `${SCOPE_HELP}

An action missing from the documented list ('astra-token role actions') is refused (exit 2)
with the closest known one; --allow-unknown-action sends it anyway, with a warning (the API's
list grows faster than this tool's).

Examples:
  $ astra-token role create "orders reader" --action db-cql,db-table-select --db orders
  $ astra-token role create "orders reader" --action db-cql --db 8d3c6f5e-1b2a-4c3d-9e8f-0a1b2c3d4e5f
  $ astra-token role create "sales writer" --action db-table-modify --db <db id> --keyspace sales --table orders
  $ astra-token role create auditor --action org-audits-read --resource drn:astra:org:<org id> --json
  $ astra-token role create "new feature" --action org-new-thing --allow-unknown-action`,
    )
    .action(load(async () => (await import('./create.js')).roleCreate));

  const update = role
    .command('update')
    .description('change the name, description, actions or resources of a custom role')
    .argument('<name-or-id>', 'role name (case-insensitive) or role id')
    .option('--name <name>', 'rename the role')
    .option('--description <text>', 'replace the description ("" clears it)')
    .option('--add-action <action>', 'allow another action (repeatable, or comma-separated)', collect)
    .option('--remove-action <action>', 'stop allowing an action (repeatable, or comma-separated)', collect)
    .option('--add-resource <drn>', 'add a resource DRN (repeatable, or comma-separated)', collect)
    .option('--remove-resource <drn>', 'remove a resource DRN (repeatable, or comma-separated)', collect)
    .option('--db <name-or-id>', 'add the resources of this database, by name or id (as role create does)')
    .option('--keyspace <name>', 'with --db: only this keyspace')
    .option('--table <name>', 'with --keyspace: only this table')
    .option('--allow-unknown-action', 'send an added action missing from the documented list (warns)')
    .addHelpText(
      'after',
      `
The whole updated policy is sent. Built-in roles cannot be changed. An update that is already
in place sends nothing and exits 0. An unknown --add-action is refused (exit 2) unless
--allow-unknown-action is given.

Examples:
  $ astra-token role update "orders reader" --add-action db-rest --remove-action db-cql
  $ astra-token role update "orders reader" --name "orders api reader" --description "REST only"
  $ astra-token role update "orders reader" --db <another db id> --keyspace sales
  $ astra-token role update "orders reader" --add-action org-new-thing --allow-unknown-action`,
    )
    .action(load(async () => (await import('./update.js')).roleUpdate));

  const del = role
    .command('delete')
    .description('delete a custom role')
    .argument('<name-or-id>', 'role name (case-insensitive) or role id')
    .addOption(yesOption('do not ask for confirmation (needed without a terminal)'))
    .addHelpText(
      'after',
      `
Built-in roles cannot be deleted. Tokens that hold the role keep it in their list but lose what it
granted: the command warns how many there are.

Examples:
  $ astra-token role delete "orders reader"
  $ astra-token role delete 4f0c1a52-9a0e-4b7e-8a47-2b8e3c1d9e10 --yes`,
    )
    .action(load(async () => (await import('./delete.js')).roleDelete));
  // Verbs that never ask for confirmation: --no-input does not concern them.
  for (const verb of [list, get, actions, create, update]) usesGlobals(verb, 'credential', 'request', 'json');
  return { list, get, actions, create, update, delete: del };
}

export type RoleVerbs = ReturnType<typeof registerRole>;

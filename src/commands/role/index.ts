import type { Command } from 'commander';
import type { VerbLoader } from '../index.js';

export function registerRole(program: Command, load: VerbLoader): void {
  const role = program
    .command('role')
    .description('list and inspect the roles of the org')
    .addHelpText('after', '\nExamples:\n  $ astra-token role list\n  $ astra-token role get "Database Administrator"');

  role
    .command('list')
    .description('list roles: id, name, built-in or custom, description')
    .addHelpText('after', '\nExamples:\n  $ astra-token role list\n  $ astra-token role list --json | jq -r \'.[] | select(.builtIn | not) | .name\'')
    .action(load(async () => (await import('./list.js')).roleList));
}

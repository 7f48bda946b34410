import type { Command } from 'commander';
import type { VerbLoader } from '../index.js';
import { wideOption } from '../shared-options.js';

export function registerDb(program: Command, load: VerbLoader): void {
  const db = program
    .command('db')
    .description('list the databases of the org (to find the names and ids --db takes)')
    .addHelpText('after', '\nExamples:\n  $ astra-token db list\n  $ astra-token db list --json | jq -r \'.[] | select(.status == "ACTIVE") | .name\'');

  wideOption(db.command('list'))
    .description('list databases: id, name, region, status')
    .addHelpText(
      'after',
      `
Piped output is tab-separated: id, name, region, status. Every --db (token create, role create, role update)
takes a name or an id; the names also complete in the shell once listed here.

Examples:
  $ astra-token db list
  $ astra-token db list --json | jq -r '.[].id'`,
    )
    .action(load(async () => (await import('./list.js')).dbList));
}

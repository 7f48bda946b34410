import { usesGlobals } from '../../global-options.js';
import { wideOption } from '../options.js';
import type { Program, VerbLoader } from '../verb.js';

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'list the databases of the org (to find the names and ids --db takes)';

export function registerDb(program: Program, load: VerbLoader) {
  const db = program
    .command('db')
    .description(SUMMARY)
    .addHelpText(
      'after',
      '\nExamples:\n  $ astra-token db list\n  $ astra-token db list --json | jq -r \'.[] | select(.status == "ACTIVE") | .name\'',
    );

  const list = db
    .command('list')
    .addOption(wideOption())
    .option('--all', 'include terminated databases (left out by default, as the API does)')
    .description('list databases: id, name, region, status')
    .addHelpText(
      'after',
      `
Piped output is tab-separated: id, name, region, status. Every database of the org is listed
(the API sends them a page at a time; every page is read). Every --db (token create, role
create, role update) takes a name or an id; the names also complete in the shell once listed.

Examples:
  $ astra-token db list
  $ astra-token db list --all --json | jq -r '.[] | select(.status == "TERMINATED") | .id'`,
    )
    .action(load(async () => (await import('./list.js')).dbList));
  usesGlobals(list, 'credential', 'request', 'json');
  return { list };
}

export type DbVerbs = ReturnType<typeof registerDb>;

import { usesGlobals } from '../../global-options.js';
import { noJsonOutput } from '../options.js';
import { choiceArgument } from '../values.js';
import type { Program, VerbLoader } from '../verb.js';

/** The noun's one-line summary: its help and the top-level help's list of nouns. */
export const SUMMARY = 'print a shell completion script (bash, zsh or fish)';

export function registerCompletion(program: Program, load: VerbLoader) {
  const script = noJsonOutput(program.command('completion'))
    .description(SUMMARY)
    .addArgument(choiceArgument('<shell>', 'bash, zsh or fish', ['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Completes nouns, verbs (and the shortcuts) and flags, profile names (for --profile, org switch/remove/storage), role
names for --role and database names for --db (from local caches that 'role list', 'token list', 'db list' and
'token create --db' refresh, kept in $XDG_CACHE_HOME/astra-token, default ~/.cache/astra-token), and file names
only where a flag takes a path. Names with spaces come out quoted, also inside an opened quote. Completion never
calls the network.

The bash install line needs the bash-completion package (apt install
bash-completion, brew install bash-completion@2); without it, load the script
from ~/.bashrc with the source line instead.

Examples:
  $ astra-token completion bash > ~/.local/share/bash-completion/completions/astra-token
  $ source <(astra-token completion bash)    # this shell only
  $ astra-token completion zsh > "\${fpath[1]}/_astra-token"
  $ astra-token completion fish > ~/.config/fish/completions/astra-token.fish`,
    )
    .action(load(async () => (await import('./script.js')).completionScript));

  // Called by the completion scripts at every TAB: `astra-token __complete <shell> <index of the word> -- <words...>`
  // (the `--` keeps commander from reading the user's words as options of its own).
  const complete = program
    .command('__complete', { hidden: true })
    .argument('<shell>')
    .argument('<index>')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(load(async () => (await import('./complete.js')).complete));
  // A completion script uses no credential, API or JSON output.
  usesGlobals(script);
  return { script, complete };
}

export type CompletionVerbs = ReturnType<typeof registerCompletion>;

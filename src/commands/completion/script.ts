import type { Context } from '../../context.js';
import type { ArgsOf } from '../verb.js';
import type { CompletionVerbs } from './register.js';

// Each script hands the words typed so far to `astra-token __complete`, which answers one candidate a line (bash:
// already quoted for the line; zsh and fish quote themselves), or __files__ where a path is wanted. Words are taken
// as the shell split them, opened quotes included: an answer for `--role "R/W ` closes the quote.
const BASH = `# astra-token bash completion
_astra_token() {
  local IFS=$'\\n'
  local -a reply
  reply=( $(astra-token __complete bash "$COMP_CWORD" -- "\${COMP_WORDS[@]}" 2>/dev/null) )
  if [[ \${reply[0]} == __files__ ]]; then
    compopt -o default
    COMPREPLY=()
  else
    COMPREPLY=( "\${reply[@]}" )
  fi
}
complete -F _astra_token astra-token
`;

const ZSH = `#compdef astra-token
# astra-token zsh completion
_astra_token() {
  local -a replies
  replies=("\${(@f)$(astra-token __complete zsh "$((CURRENT - 1))" -- "\${words[@]}" 2>/dev/null)}")
  replies=(\${replies:#})
  if [[ \${replies[1]} == __files__ ]]; then
    _files
  else
    compadd -- "\${replies[@]}"
  fi
}
compdef _astra_token astra-token
`;

const FISH = `# astra-token fish completion
function __astra_token_complete
  set -l words (commandline -opc)
  set -l current (commandline -ct)
  set -l reply (astra-token __complete fish (count $words) -- $words "$current" 2>/dev/null)
  if test "$reply[1]" = __files__
    __fish_complete_path "$current"
  else
    printf '%s\\n' $reply
  end
end
complete -c astra-token -f -a '(__astra_token_complete)'
`;

const SCRIPTS: Readonly<Record<ArgsOf<CompletionVerbs['script']>[0], string>> = { bash: BASH, zsh: ZSH, fish: FISH };

export function completionScript(ctx: Context, shell: ArgsOf<CompletionVerbs['script']>[0]): Promise<void> {
  ctx.io.out.write(SCRIPTS[shell]);
  return Promise.resolve();
}

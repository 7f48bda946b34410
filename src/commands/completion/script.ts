import type { Context } from '../../context.js';
import { UsageError, printable } from '../../errors.js';

const BASH = `# astra-token bash completion
_astra_token() {
  local IFS=$'\\n'
  COMPREPLY=( $(astra-token __complete bash "$COMP_CWORD" -- "\${COMP_WORDS[@]}" 2>/dev/null) )
}
complete -o default -F _astra_token astra-token
`;

const ZSH = `#compdef astra-token
# astra-token zsh completion
_astra_token() {
  local -a replies
  replies=("\${(@f)$(astra-token __complete zsh "$((CURRENT - 1))" -- "\${words[@]}" 2>/dev/null)}")
  compadd -- "\${replies[@]}"
}
compdef _astra_token astra-token
`;

const FISH = `# astra-token fish completion
function __astra_token_complete
  set -l words (commandline -opc) (commandline -ct)
  astra-token __complete fish (math (count $words) - 1) -- $words 2>/dev/null
end
complete -c astra-token -f -a '(__astra_token_complete)'
`;

const SCRIPTS: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };

export async function completionScript(ctx: Context, shell: string): Promise<void> {
  const script = SCRIPTS[shell];
  if (!script) throw new UsageError(`completion: '${printable(shell)}' is not a supported shell; use bash, zsh or fish`);
  ctx.io.out.write(script);
}

// The contract's confirmation rule for destructive verbs (token delete/rotate/prune, role delete, org remove,
// streaming token delete): ask on a terminal; without one (or with --no-input) require --yes, else exit 2 before
// anything is touched.
import type { Context } from './context.js';
import { UsageError } from './errors.js';

/** Called before the first request, so a refusal leaves everything untouched. */
export function requireConsent(ctx: Pick<Context, 'io'>, yes: boolean | undefined, what: string): void {
  if (!yes && !ctx.io.canPrompt()) {
    throw new UsageError(`${what} needs confirmation: pass --yes (no terminal to ask on, or --no-input)`);
  }
}

/** Asks on the terminal; anything but yes is exit 2 with `refusal` as the message. */
export async function confirmOrStop(ctx: Pick<Context, 'io'>, question: string, refusal: string): Promise<void> {
  if (!(await ctx.io.confirm(question))) throw new UsageError(refusal);
}

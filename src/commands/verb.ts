// Where a verb's declaration (its noun's register.ts) meets its run function (its own module), checked by the
// compiler: the run function's parameters are derived from the declared command, so a renamed or undeclared flag,
// or a missing argument, does not compile. Types only: the verb modules stay lazily loaded.
import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../context.js';

export type { GlobalOptions, Program } from '../global-options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest command, whatever it declares
type AnyCommand = Command<any[], any, any>;

type Flatten<T> = { [K in keyof T]: T[K] };

/** A command's positional arguments, as commander hands them to the action. */
export type ArgsOf<C extends AnyCommand> = C extends Command<infer A, infer _O, infer _G> ? A : never;

/** The options a verb receives: its own and those of every command above it (the globals, a noun's own). */
export type OptionsOf<C extends AnyCommand> = C extends Command<infer _A, infer O, infer G> ? Flatten<O & G> : never;

/**
 * A verb's run function: the context, the declared positional arguments, the options (with the globals) and last
 * the command itself (for the few verbs that read the tree). It returns an exit code (0 when void).
 */
export type Verb<C extends AnyCommand> = (ctx: Context, ...args: [...ArgsOf<C>, OptionsOf<C>, C]) => Promise<number | void>;

/** Option names a run function expects that its command does not declare. */
type Undeclared<V, C extends AnyCommand> = V extends (ctx: Context, ...args: [...ArgsOf<C>, infer O, ...infer _Rest]) => unknown
  ? Exclude<keyof O, keyof OptionsOf<C>>
  : never;

/**
 * `.action(load(async () => (await import('./x.js')).run))`: the command is inferred from
 * `.action`, the verb's module is imported only when it runs. A run function whose parameters do not match the
 * declared command is a type error, and so is one that expects an option nobody declared (the error names it).
 */
export type VerbLoader = <C extends AnyCommand, V extends Verb<C>>(
  load: () => Promise<[Undeclared<V, C>] extends [never] ? V : { undeclaredOption: Undeclared<V, C> }>,
) => (this: C, ...args: [...ArgsOf<C>, ReturnType<C['opts']>, C]) => Promise<void>;

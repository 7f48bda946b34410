// The command tree. Registration modules import commander only; each verb's code is loaded when it runs, so
// `--help` and `--version` stay near bare-node start-up.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { registerCompletion } from './completion/register.js';
import { registerEmulator } from './emulator/register.js';
import { registerOrg } from './org/register.js';
import { registerRole } from './role/register.js';
import { registerStreaming } from './streaming/register.js';
import { registerToken } from './token/register.js';

// Verbs take the context, their positional arguments and their options; they return an exit code (0 when void).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Verb = (ctx: Context, ...args: any[]) => Promise<number | void>;
export type VerbLoader = (load: () => Promise<Verb>) => (...args: unknown[]) => Promise<void>;

export function registerCommands(program: Command, load: VerbLoader): void {
  registerOrg(program, load);
  registerToken(program, load);
  registerRole(program, load);
  registerStreaming(program, load);
  registerEmulator(program, load);
  registerCompletion(program, load);
}

// The command tree. Registration modules import commander only; each verb's code is loaded when it runs, so
// `--help` and `--version` stay near bare-node start-up.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { registerCompletion } from './completion/index.js';
import { registerDb } from './db/index.js';
import { registerEmulator } from './emulator/index.js';
import { registerOrg } from './org/index.js';
import { registerRole } from './role/index.js';
import { registerStreaming } from './streaming/index.js';
import { registerToken } from './token/index.js';

// Verbs take the context, their positional arguments and their options; they return an exit code (0 when void).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Verb = (ctx: Context, ...args: any[]) => Promise<number | void>;
export type VerbLoader = (load: () => Promise<Verb>) => (...args: unknown[]) => Promise<void>;

export function registerCommands(program: Command, load: VerbLoader): void {
  registerOrg(program, load);
  registerToken(program, load);
  registerRole(program, load);
  registerDb(program, load);
  registerStreaming(program, load);
  registerEmulator(program, load);
  registerCompletion(program, load);
}

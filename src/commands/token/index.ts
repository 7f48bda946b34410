import type { Command } from 'commander';
import type { VerbLoader } from '../index.js';

export function registerToken(program: Command, load: VerbLoader): void {
  void program;
  void load;
}

// `revoking: 12/300 done, 2 failed`, redrawn in place at the foot of stderr (the IO's status line, which every other
// stderr line clears first); only when stderr is a terminal and not --quiet.
import type { IO } from '../io.js';

export class Progress {
  private done = 0;
  private failed = 0;

  constructor(
    private readonly io: IO,
    /** What is being done, e.g. `revoking`. */
    private readonly label: string,
    private readonly total: number,
  ) {
    this.draw();
  }

  settled(ok: boolean): void {
    this.done += 1;
    if (!ok) this.failed += 1;
    this.draw();
  }

  clear(): void {
    this.io.status(undefined);
  }

  private draw(): void {
    const failed = this.failed ? `, ${this.io.errColor.red(`${this.failed} failed`)}` : '';
    this.io.status(`${this.label}: ${this.done}/${this.total} done${failed}`);
  }
}

// `revoking: 12/300 done, 2 failed`, redrawn in place on stderr; only when stderr is a terminal and not --quiet.
import type { IO } from '../io.js';

export class Progress {
  private done = 0;
  private failed = 0;
  private readonly shown: boolean;

  constructor(
    private readonly io: IO,
    /** What is being done, e.g. `revoking`. */
    private readonly label: string,
    private readonly total: number,
  ) {
    this.shown = io.isStderrTTY && !io.quiet;
    this.draw();
  }

  settled(ok: boolean): void {
    this.done += 1;
    if (!ok) this.failed += 1;
    this.draw();
  }

  clear(): void {
    if (this.shown) this.io.err.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.shown) return;
    const failed = this.failed ? `, ${this.io.errColor.red(`${this.failed} failed`)}` : '';
    this.io.err.write(`\r\x1b[K${this.label}: ${this.done}/${this.total} done${failed}`);
  }
}

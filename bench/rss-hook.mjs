// Preloaded into the measured process with --import: reports its peak RSS on fd 3 at exit, so the product needs no
// benchmark code of its own.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // fd 3 is only open when the benchmark asked for it.
  }
});

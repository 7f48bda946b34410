// Preloaded into the measured process with --import: reports its peak RSS (KiB) and the CPU time it used (ms, user +
// system, every thread) on fd 3 at exit, so the product needs no benchmark code of its own.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    writeSync(3, `${maxRSS} ${(userCPUTime + systemCPUTime) / 1000}\n`);
  } catch {
    // fd 3 is only open when the benchmark asked for it.
  }
});

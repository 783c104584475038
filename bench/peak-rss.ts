import { readFileSync } from 'node:fs';

/**
 * Peak RSS of THIS address space, in KiB. Not `process.resourceUsage().maxRSS`: on Linux `ru_maxrss`
 * survives execve, so a child would report its forking parent's high-water mark (seen: every backup
 * child reported the bench parent's 196 MiB). `VmHWM` is per address space.
 */
export function peakRssKiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1] !== undefined) return Number(m[1]);
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS;
}

import { readFileSync } from 'node:fs';

/**
 * Peak RSS of THIS address space, in KiB. Not `process.resourceUsage().maxRSS`: on Linux `ru_maxrss`
 * survives execve, so a child would report its forking parent's high-water mark (seen: every backup
 * child reported the bench parent's 196 MiB). `VmHWM` is per address space.
 */
export function peakRssKiB(): number {
  return vmHwmKiB('self') ?? process.resourceUsage().maxRSS;
}

/** VmHWM of process `pid` (or this one) in KiB; null when not on Linux or the process is gone. */
export function vmHwmKiB(pid: number | 'self'): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m?.[1] !== undefined) return Number(m[1]);
  } catch {
    // not Linux, or already exited
  }
  return null;
}

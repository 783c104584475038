/**
 * CPU time of the main thread alone, and the garbage collector's pauses on it, for benches that need
 * a lower bound on a wall time: everything a JS client does (its protocol code, the synchronous crypto
 * it calls, its GC pauses) runs on this thread, so a transfer cannot take less wall time than the CPU
 * this thread spent on it — whatever the other end or the machine's load. process.cpuUsage() counts
 * every thread (libuv's pool, V8's helpers), which is no such bound.
 * Linux only (/proc/self/task/<tid>/schedstat: nanoseconds on a CPU); NaN elsewhere.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';

/** Milliseconds the main thread (whose thread id is the process id) has run on a CPU. */
export function mainThreadCpuMs(): number {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Sums the GC pauses that began within a window of performance.now() time. Entries arrive after the
 * pause, asynchronously: `pausedMs` waits a turn of the event loop and takes what is queued before summing.
 */
export class GcPauses {
  private readonly entries: { start: number; duration: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.take(list.getEntries()));

  private take(entries: readonly PerformanceEntry[]): void {
    for (const e of entries) this.entries.push({ start: e.startTime, duration: e.duration });
  }

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  async pausedMs(from: number, to = performance.now()): Promise<number> {
    await new Promise((r) => setImmediate(r)); // Node queues the entries in an immediate of its own…
    this.take(this.observer.takeRecords()); // …and would hand them to the callback later still
    return this.entries.filter((e) => e.start >= from && e.start < to).reduce((ms, e) => ms + e.duration, 0);
  }

  close(): void {
    this.observer.disconnect();
  }
}

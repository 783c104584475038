/**
 * Lets the process come to rest before something is timed: a full garbage collection, then a pause
 * until timers fire on time again. A figure and its reference (PBKDF2 alone) each start settled, so
 * neither pays for the other's leftovers. Without it the reference, timed right after the previous
 * run's thumbnails, absorbed their collections and freed buffers (measured: the first PBKDF2 after a
 * run 82–322 ms, one more at once 67–169 ms, one after 300 ms of rest 85–121 ms), and an unlock timed
 * next then looked faster than the PBKDF2 it contains (0.61–0.70x).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A full GC, then at least `restMs` of rest, ending once 3 timers of 20 ms in a row were late by under 3 ms (at most 2 s). */
export async function settle(restMs = 150): Promise<void> {
  gc();
  await sleep(restMs);
  let onTime = 0;
  for (const until = performance.now() + 2000; onTime < 3 && performance.now() < until; ) {
    const t = performance.now();
    await sleep(20);
    onTime = performance.now() - t < 23 ? onTime + 1 : 0;
  }
}

/**
 * The benches' lower bound on a transfer's wall time rests on mainThreadCpuMs counting this thread's
 * CPU and not another's (process.cpuUsage() counts all threads), and on GcPauses seeing the pauses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { GcPauses, mainThreadCpuMs } from '../../../bench/thread-cpu';

const linux = process.platform === 'linux';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('mainThreadCpuMs counts the main thread spinning', { skip: !linux && 'Linux only (/proc)' }, () => {
  const before = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  spin(150);
  const used = mainThreadCpuMs() - before;
  const all = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  // On a busy machine the thread may be on a CPU for less than the wall time spun, never for more than the process.
  assert.ok(used > 0, `main thread CPU ${used} ms`);
  assert.ok(used <= all + 5, `main thread ${used} ms, whole process ${all} ms`);
});

test('mainThreadCpuMs does not count another thread spinning', { skip: !linux && 'Linux only (/proc)' }, async () => {
  const worker = new Worker('const until = Date.now() + 400; while (Date.now() < until); require("node:worker_threads").parentPort.postMessage(0);', { eval: true });
  const before = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  await new Promise((r) => worker.once('message', r));
  const used = mainThreadCpuMs() - before;
  const all = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  await worker.terminate();
  // The worker ran ~400 ms of CPU (less on a loaded machine); the main thread only waited.
  assert.ok(all - used > 100, `process ${all} ms vs main thread ${used} ms: the worker's CPU was counted`);
  assert.ok(used < 100, `main thread ${used} ms while it only waited`);
});

test('GcPauses sums the pauses of a forced collection within its window', async () => {
  const gc = new GcPauses();
  try {
    const from = performance.now();
    // No --expose-gc in the test runner: garbage enough to make V8 collect on its own.
    let keep: unknown[] = [];
    for (let i = 0; i < 200; i++) keep = [new Array(50_000).fill(i)];
    assert.ok(keep.length === 1);
    const to = performance.now();
    assert.ok((await gc.pausedMs(from, to)) > 0);
    assert.equal(await gc.pausedMs(to + 60_000, to + 120_000), 0);
  } finally {
    gc.close();
  }
});

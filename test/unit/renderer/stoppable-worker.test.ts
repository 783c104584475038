/**
 * The scan worker's stop button and time limit (renderer/src/scanning/stoppable-worker.ts), with a fake
 * worker: a stop terminates the worker and fails what waits on it, naming the stage; news from the worker
 * resets the limit; a fresh worker gets what the owner queues first. (The real worker, terminated in
 * Chromium, is test/e2e/scan-long-steps.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStoppableWorker, WorkerStopped, type WorkerPort, type WorkerReply } from '../../../renderer/src/scanning/stoppable-worker';

type Stage = 'decoding' | 'finding' | 'reading';

class FakeWorker implements WorkerPort<Stage> {
  readonly posted: { id: number; type: string }[] = [];
  terminated = false;
  private reply: ((r: WorkerReply<Stage>) => void) | null = null;
  private crash: ((m: string) => void) | null = null;
  listen(onReply: (r: WorkerReply<Stage>) => void, onCrash: (m: string) => void): void {
    this.reply = onReply;
    this.crash = onCrash;
  }
  post(request: { id: number; type: string }): void {
    this.posted.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(r: WorkerReply<Stage>): void {
    this.reply?.(r);
  }
  fail(message: string): void {
    this.crash?.(message);
  }
}

function rig(stageLimitMs: number, onFresh?: Parameters<typeof createStoppableWorker<Stage>>[0]['onFresh']) {
  const workers: FakeWorker[] = [];
  const w = createStoppableWorker<Stage>({
    spawn: () => {
      const f = new FakeWorker();
      workers.push(f);
      return f;
    },
    stageLimitMs,
    ...(onFresh ? { onFresh } : {}),
  });
  return { w, workers };
}

async function stopped(p: Promise<unknown>): Promise<WorkerStopped> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WorkerStopped, String(e));
    return e;
  }
  assert.fail('the call was expected to be stopped');
}

describe('stoppable worker', () => {
  test('a worker is started on the first call only; answers go to their call', async () => {
    const { w, workers } = rig(1000);
    assert.equal(w.running, false);
    const a = w.call({ type: 'open' }, 'decoding');
    const b = w.call({ type: 'preview' }, 'finding');
    assert.equal(workers.length, 1);
    const [pa, pb] = workers[0]!.posted;
    workers[0]!.say({ id: pb!.id, type: 'result', result: 'B' });
    workers[0]!.say({ id: pa!.id, type: 'error', message: 'bad photo' });
    assert.equal(await b, 'B');
    await assert.rejects(a, /bad photo/);
    w.dispose();
  });

  test('cancel terminates the worker at once and fails the waiting call with the stage it was in', async () => {
    const { w, workers } = rig(10_000);
    const stages: Stage[] = [];
    const call = w.call({ type: 'correct' }, 'decoding', { onStage: (s) => stages.push(s) });
    const id = workers[0]!.posted[0]!.id;
    workers[0]!.say({ id, type: 'progress', stage: 'reading' });
    w.cancel();
    assert.equal(workers[0]!.terminated, true);
    assert.equal(w.running, false);
    const e = await stopped(call);
    assert.deepEqual([e.reason, e.stage], ['cancelled', 'reading']);
    assert.deepEqual(stages, ['reading']);
    // What the dead worker might still say is ignored.
    workers[0]!.say({ id, type: 'result', result: 'late' });
    w.dispose();
  });

  test('the time limit stops a worker that sends no news, and news resets it', async () => {
    const { w, workers } = rig(120);
    const busy = w.call({ type: 'correct' }, 'decoding');
    const id = workers[0]!.posted[0]!.id;
    // Progress every 60 ms for 400 ms: never 120 ms without news, so it keeps going.
    for (let t = 0; t < 400; t += 60) {
      await sleep(60);
      workers[0]!.say({ id, type: 'progress', stage: t < 200 ? 'finding' : 'reading' });
    }
    assert.equal(workers[0]!.terminated, false);
    const started = Date.now();
    const e = await stopped(busy);
    const waited = Date.now() - started;
    assert.deepEqual([e.reason, e.stage], ['timeout', 'reading']);
    assert.ok(waited >= 100 && waited < 1000, `stopped after ${waited} ms`);
    assert.equal(workers[0]!.terminated, true);
    w.dispose();
  });

  test('no limit runs while nothing waits', async () => {
    const { w, workers } = rig(50);
    const a = w.call({ type: 'open' }, 'decoding');
    workers[0]!.say({ id: workers[0]!.posted[0]!.id, type: 'result', result: 1 });
    assert.equal(await a, 1);
    await sleep(120);
    assert.equal(workers[0]!.terminated, false, 'idle is not hung');
    w.dispose();
  });

  test('after a stop the next call gets a fresh worker, with what the owner queues first', async () => {
    const fresh: string[] = [];
    const { w, workers } = rig(10_000, (send, request) => {
      fresh.push(request.type);
      if (request.type !== 'open') void send({ type: 'reopen' }, 'decoding').catch(() => undefined);
    });
    const first = w.call({ type: 'open' }, 'decoding');
    w.cancel();
    await stopped(first);
    const again = w.call({ type: 'preview' }, 'finding');
    assert.equal(workers.length, 2);
    assert.deepEqual(workers[1]!.posted.map((m) => m.type), ['reopen', 'preview']);
    assert.deepEqual(fresh, ['open', 'preview']);
    const [reopen, preview] = workers[1]!.posted;
    workers[1]!.say({ id: reopen!.id, type: 'result', result: null });
    workers[1]!.say({ id: preview!.id, type: 'result', result: 'P' });
    assert.equal(await again, 'P');
    w.dispose();
  });

  test('a crash fails the waiting calls as crashed; dispose refuses further calls', async () => {
    const { w, workers } = rig(10_000);
    const a = w.call({ type: 'open' }, 'decoding');
    workers[0]!.fail('out of memory');
    const e = await stopped(a);
    assert.deepEqual([e.reason, e.message], ['crashed', 'out of memory']);
    w.dispose();
    await stopped(w.call({ type: 'open' }, 'decoding'));
    assert.equal(workers.length, 1);
  });
});

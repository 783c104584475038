/**
 * Calls to a worker that can be stopped at any moment: by the person (`cancel`), or by the time limit
 * when the worker has sent no news (progress or an answer) for `stageLimitMs`. Stopping terminates the
 * worker, so nothing it was doing goes on in the background, and every waiting call fails with a
 * `WorkerStopped` naming the stage it was in. The next call starts a fresh worker; `onFresh` lets the
 * owner queue what that worker needs first (the scan worker: the photo, opened again).
 *
 * Free of DOM types and imports, so that the unit tests drive it with a fake worker in plain Node.
 */

export type StopReason = 'cancelled' | 'timeout' | 'crashed';

export class WorkerStopped<S extends string = string> extends Error {
  constructor(
    readonly reason: StopReason,
    /** What the worker was busy with when it was stopped (as it last said). */
    readonly stage: S,
    detail?: string,
  ) {
    super(detail ?? `the worker was stopped (${reason}) while ${stage}`);
    this.name = 'WorkerStopped';
  }
}

/** What the worker answers: progress on a request, then its result or its error. */
export type WorkerReply<S extends string> =
  | { readonly id: number; readonly type: 'progress'; readonly stage: S }
  | { readonly id: number; readonly type: 'result'; readonly result: unknown }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** The little of a Worker used here (scan-client.ts adapts a real one). */
export interface WorkerPort<S extends string> {
  listen(onReply: (reply: WorkerReply<S>) => void, onCrash: (message: string) => void): void;
  post(request: { readonly id: number; readonly type: string }, transfer: readonly unknown[]): void;
  terminate(): void;
}

export interface CallOptions<S extends string> {
  readonly onStage?: (stage: S) => void;
  readonly transfer?: readonly unknown[];
}

/** A request without its id (the id is given here). */
export type Unsent = { readonly type: string } & Record<string, unknown>;

export type Send<S extends string> = (request: Unsent, stage: S, options?: CallOptions<S>) => Promise<unknown>;

export interface StoppableWorker<S extends string> {
  /** Sends a request; `stage` is what the worker is busy with until it says otherwise. */
  call: Send<S>;
  /** Terminates the worker now; waiting calls fail with WorkerStopped('cancelled'). */
  cancel(): void;
  /** As cancel, and no call is taken any more. */
  dispose(): void;
  /** Whether a worker is running (none before the first call, after a stop, after dispose). */
  readonly running: boolean;
}

export interface StoppableWorkerOptions<S extends string> {
  readonly spawn: () => WorkerPort<S>;
  readonly stageLimitMs: number;
  /** A fresh worker was started for `request`: queue what it needs before it (same stage tracking, same limit). */
  readonly onFresh?: (send: Send<S>, request: Unsent, options: CallOptions<S>) => void;
}

interface Pending<S extends string> {
  /** The stage this request starts in (the worker takes requests in order). */
  readonly first: S;
  readonly resolve: (result: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly onStage: ((stage: S) => void) | undefined;
}

export function createStoppableWorker<S extends string>(options: StoppableWorkerOptions<S>): StoppableWorker<S> {
  let worker: WorkerPort<S> | null = null;
  let disposed = false;
  let next = 1;
  const pending = new Map<number, Pending<S>>();
  let stage: S | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** The time limit runs while anything waits, from the last news from the worker. */
  function rearm(): void {
    if (timer !== null) clearTimeout(timer);
    timer = pending.size === 0 ? null : setTimeout(() => stop('timeout'), options.stageLimitMs);
  }

  function stop(reason: StopReason, detail?: string): void {
    worker?.terminate();
    worker = null;
    const error = new WorkerStopped<S>(reason, stage ?? ('' as S), detail);
    const waiting = [...pending.values()];
    pending.clear();
    stage = null;
    rearm();
    for (const p of waiting) p.reject(error);
  }

  function start(): WorkerPort<S> {
    const w = options.spawn();
    w.listen(
      (reply) => {
        if (w !== worker) return; // a stopped worker's last words
        if (reply.type === 'progress') stage = reply.stage;
        const p = pending.get(reply.id);
        if (p !== undefined) {
          if (reply.type === 'progress') p.onStage?.(reply.stage);
          else {
            pending.delete(reply.id);
            stage = pending.values().next().value?.first ?? stage;
            if (reply.type === 'result') p.resolve(reply.result);
            else p.reject(new Error(reply.message));
          }
        }
        rearm();
      },
      (message) => {
        if (w === worker) stop('crashed', message || 'the worker stopped');
      },
    );
    return w;
  }

  function send(request: Unsent, first: S, callOptions: CallOptions<S> = {}): Promise<unknown> {
    const w = worker;
    if (w === null) return Promise.reject(new Error('no worker'));
    const id = next++;
    return new Promise<unknown>((resolve, reject) => {
      if (pending.size === 0) stage = first;
      pending.set(id, { first, resolve, reject, onStage: callOptions.onStage });
      if (timer === null) rearm();
      w.post({ ...request, id }, callOptions.transfer ?? []);
    });
  }

  return {
    call(request, first, callOptions = {}) {
      if (disposed) return Promise.reject(new WorkerStopped<S>('cancelled', first, 'closed'));
      if (worker === null) {
        worker = start();
        options.onFresh?.(send, request, callOptions);
      }
      return send(request, first, callOptions);
    },
    cancel: () => stop('cancelled'),
    dispose() {
      disposed = true;
      stop('cancelled');
    },
    get running() {
      return worker !== null;
    },
  };
}

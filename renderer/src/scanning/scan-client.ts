/**
 * The Scan screen's handle on its worker (scan-worker.ts). Every long step can be stopped: `cancel()`
 * terminates the worker (Tesseract's worker, started from it, ends with it), and so does a step that
 * sends no news for SCAN_STAGE_LIMIT_MS; the waiting call then fails with a WorkerStopped saying which
 * step it was. The next call starts a fresh worker, which opens the same photo again first (without
 * looking for the document or loading the text reader), so the corners the person set stay valid.
 */
import type { CorrectedScan, CorrectResult, OpenResult, PreviewResult, Quad, ResultOf, ScanStage, WorkerMessage } from './protocol';
import { createStoppableWorker, WorkerStopped, type CallOptions, type Unsent, type WorkerPort } from './stoppable-worker';
import { SCAN_STAGE_LIMIT_MS } from './time-limit';

export { WorkerStopped } from './stoppable-worker';
export { SCAN_STAGE_LIMIT_MS } from './time-limit';


export type ScanStopped = WorkerStopped<ScanStage>;

export function isScanStopped(e: unknown): e is ScanStopped {
  return e instanceof WorkerStopped;
}

export interface ScanClient {
  open(file: Blob, options: { readonly detect: boolean; readonly warmOcr: boolean }, onStage?: (stage: ScanStage) => void): Promise<OpenResult>;
  detectFrame(frame: ImageBitmap): Promise<Quad | null>;
  preview(corners: Quad, quarterTurns: number, maxSide: number): Promise<PreviewResult>;
  correct(corners: Quad, quarterTurns: number, acceptIssues: boolean, onStage: (stage: ScanStage) => void): Promise<CorrectResult>;
  /** The corrected document without checks or MRZ: going on without the code lines. */
  straighten(corners: Quad, quarterTurns: number, onStage?: (stage: ScanStage) => void): Promise<CorrectedScan>;
  /** Stops whatever the worker is doing, at once (it is terminated; a fresh one serves the next call). */
  cancel(): void;
  dispose(): void;
}

/** Plain arrays: the screen's corners are Vue proxies, which postMessage cannot clone. */
function plain(q: Quad): Quad {
  return q.map(([x, y]) => [x, y] as const) as unknown as Quad;
}

function spawnScanWorker(): WorkerPort<ScanStage> {
  const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module', name: 'scan' });
  return {
    listen(onReply, onCrash) {
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => onReply(event.data);
      worker.onerror = (event) => onCrash(event.message);
    },
    post: (request, transfer) => worker.postMessage(request, transfer as Transferable[]),
    terminate: () => worker.terminate(),
  };
}

export function createScanClient(options: { readonly stageLimitMs?: number } = {}): ScanClient {
  /** The photo the worker holds, to open again in a fresh worker. */
  let photo: Blob | null = null;
  const worker = createStoppableWorker<ScanStage>({
    spawn: spawnScanWorker,
    stageLimitMs: options.stageLimitMs ?? SCAN_STAGE_LIMIT_MS,
    onFresh(send, request, callOptions) {
      if (photo === null || request.type === 'open' || request.type === 'detect-frame') return;
      // Its errors surface in the request behind it ("no photo is open"); its progress is that request's.
      send({ type: 'open', file: photo, detect: false, warmOcr: false }, 'decoding', { ...(callOptions.onStage ? { onStage: callOptions.onStage } : {}) }).catch(() => undefined);
    },
  });

  function call<K extends keyof ResultOf>(request: Unsent & { type: K }, first: ScanStage, callOptions?: CallOptions<ScanStage>): Promise<ResultOf[K]> {
    return worker.call(request, first, callOptions) as Promise<ResultOf[K]>;
  }

  return {
    open(file, how, onStage) {
      photo = file;
      return call({ type: 'open', file, ...how }, 'decoding', onStage ? { onStage } : {});
    },
    detectFrame: (frame) => call({ type: 'detect-frame', frame }, 'finding', { transfer: [frame] }),
    preview: (corners, quarterTurns, maxSide) => call({ type: 'preview', corners: plain(corners), quarterTurns, maxSide }, 'correcting'),
    correct: (corners, quarterTurns, acceptIssues, onStage) =>
      call({ type: 'correct', corners: plain(corners), quarterTurns, acceptIssues, today: new Date().toISOString() }, 'checking', { onStage }),
    straighten: (corners, quarterTurns, onStage) => call({ type: 'straighten', corners: plain(corners), quarterTurns }, 'correcting', onStage ? { onStage } : {}),
    cancel: () => worker.cancel(),
    dispose: () => worker.dispose(),
  };
}

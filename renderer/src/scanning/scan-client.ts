/** The Scan screen's handle on its worker (scan-worker.ts): one worker, kept while the screen lives. */
import type { CorrectResult, OpenResult, PreviewResult, Quad, ResultOf, ScanStage, WorkerMessage } from './protocol';

export interface ScanClient {
  open(file: Blob): Promise<OpenResult>;
  detectFrame(frame: ImageBitmap): Promise<Quad | null>;
  preview(corners: Quad, quarterTurns: number, maxSide: number): Promise<PreviewResult>;
  correct(corners: Quad, quarterTurns: number, acceptIssues: boolean, onStage: (stage: ScanStage) => void): Promise<CorrectResult>;
  dispose(): void;
}

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onStage?: (s: ScanStage) => void;
}

/** Plain arrays: the screen's corners are Vue proxies, which postMessage cannot clone. */
function plain(q: Quad): Quad {
  return q.map(([x, y]) => [x, y] as const) as unknown as Quad;
}

export function createScanClient(): ScanClient {
  const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module', name: 'scan' });
  let next = 1;
  const pending = new Map<number, Pending>();
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (p === undefined) return;
    if (m.type === 'progress') p.onStage?.(m.stage);
    else {
      pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    }
  };
  worker.onerror = (event) => {
    for (const p of pending.values()) p.reject(new Error(event.message || 'the scanner stopped'));
    pending.clear();
  };

  function call<K extends keyof ResultOf>(message: Record<string, unknown> & { type: K }, onStage?: (s: ScanStage) => void, transfer: Transferable[] = []): Promise<ResultOf[K]> {
    const id = next++;
    return new Promise<ResultOf[K]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (r: unknown) => void, reject, ...(onStage ? { onStage } : {}) });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  return {
    open: (file) => call({ type: 'open', file }),
    detectFrame: (frame) => call({ type: 'detect-frame', frame }, undefined, [frame]),
    preview: (corners, quarterTurns, maxSide) => call({ type: 'preview', corners: plain(corners), quarterTurns, maxSide }),
    correct: (corners, quarterTurns, acceptIssues, onStage) =>
      call({ type: 'correct', corners: plain(corners), quarterTurns, acceptIssues, today: new Date().toISOString() }, onStage),
    dispose() {
      worker.terminate();
      for (const p of pending.values()) p.reject(new Error('closed'));
      pending.clear();
    },
  };
}

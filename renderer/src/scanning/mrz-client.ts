/** The Scan screen's handle on its MRZ worker: one worker, kept while the screen lives. */
import type { MrzResult, ScanStage, WorkerMessage } from './protocol';

export interface MrzClient {
  read(file: Blob, onStage: (stage: ScanStage) => void): Promise<MrzResult>;
  dispose(): void;
}

export function createMrzClient(): MrzClient {
  const worker = new Worker(new URL('./mrz-worker.ts', import.meta.url), { type: 'module', name: 'mrz' });
  let next = 1;
  const pending = new Map<number, { resolve: (r: MrzResult) => void; reject: (e: Error) => void; onStage: (s: ScanStage) => void }>();
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (p === undefined) return;
    if (m.type === 'progress') p.onStage(m.stage);
    else {
      pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    }
  };
  worker.onerror = (event) => {
    for (const p of pending.values()) p.reject(new Error(event.message || 'the MRZ reader stopped'));
    pending.clear();
  };
  return {
    read(file, onStage) {
      const id = next++;
      return new Promise<MrzResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, onStage });
        worker.postMessage({ id, file, today: new Date().toISOString() });
      });
    },
    dispose() {
      worker.terminate();
      for (const p of pending.values()) p.reject(new Error('closed'));
      pending.clear();
    },
  };
}

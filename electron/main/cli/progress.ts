/**
 * Progress on stderr, only for people: when stderr is a terminal and the input is large.
 * Scripts (pipes, files) never see it, so stderr stays one JSON object on failure and empty on success.
 */
import { fstatSync } from 'node:fs';
import type { ProgressCallback } from '../passport/crypto/file-encryption';

export const LARGE_INPUT_BYTES = 8 * 1024 * 1024;

export interface Progress {
  onProgress: ProgressCallback | undefined;
  finish(): void;
}

/**
 * Whether stderr is a terminal. A terminal is a character device: anything else is answered by one
 * fstat, without building process.stderr (for a pipe that is a socket stream, a few ms of start-up).
 */
function stderrIsTerminal(): boolean {
  try {
    if (!fstatSync(2).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stderr.isTTY === true;
}

export function progressFor(label: string, inputBytes: number): Progress {
  if (inputBytes < LARGE_INPUT_BYTES || !stderrIsTerminal()) {
    return { onProgress: undefined, finish: () => undefined };
  }
  let last = -1;
  return {
    onProgress: (done, total) => {
      const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
      if (percent === last) return;
      last = percent;
      process.stderr.write(`\r${label} ${percent}%`);
    },
    finish: () => {
      if (last >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}

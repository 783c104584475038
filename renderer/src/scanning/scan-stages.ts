/** What the Scan screen says about the worker's steps: while they run, and when one was stopped. */
import type { ScanStage } from './protocol';
import type { ScanStopped } from './scan-client';
import { SCAN_STAGE_LIMIT_MS } from './time-limit';

/** Said (with a spinner) while the step runs. */
export const STAGE_TEXT: Readonly<Record<ScanStage, string>> = {
  decoding: 'Opening the photo…',
  finding: 'Finding the document in the photo…',
  checking: 'Checking the photo…',
  correcting: 'Straightening the document…',
  locating: 'Looking for the machine-readable zone…',
  'loading-ocr': 'Loading the text reader (first scan only)…',
  reading: 'Reading the machine-readable zone…',
};

/** The step as the subject of a sentence ("Reading the machine-readable zone took…"). */
const STAGE_NAME: Readonly<Record<ScanStage, string>> = {
  decoding: 'Opening the photo',
  finding: 'Finding the document in the photo',
  checking: 'Checking the photo',
  correcting: 'Straightening the document',
  locating: 'Looking for the machine-readable zone',
  'loading-ocr': 'Loading the text reader',
  reading: 'Reading the machine-readable zone',
};

/** What happened, in one sentence: stopped by the person, by the time limit, or the scanner failed. */
export function stoppedMessage(e: ScanStopped): string {
  const name = STAGE_NAME[e.stage] ?? 'The scan';
  const during = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  if (e.reason === 'cancelled') return `Cancelled while ${during}.`;
  if (e.reason === 'timeout') return `${name} took more than ${Math.round(SCAN_STAGE_LIMIT_MS / 1000)} seconds, so it was stopped.`;
  return `The scanner stopped while ${during} (${e.message}).`;
}

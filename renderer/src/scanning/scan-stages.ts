/** What the Scan screen says about the worker's steps: while they run, and when one was stopped (words: the catalogue's scan.stage*). */
import { t } from '../i18n/i18n';
import type { ScanStage } from './protocol';
import type { ScanStopped } from './scan-client';
import { SCAN_STAGE_LIMIT_MS } from './time-limit';

/** The catalogue's name for a stage ('loading-ocr' → loadingOcr). */
const KEY = {
  decoding: 'decoding',
  finding: 'finding',
  checking: 'checking',
  correcting: 'correcting',
  locating: 'locating',
  'loading-ocr': 'loadingOcr',
  reading: 'reading',
} as const satisfies Record<ScanStage, string>;

/** Said (with a spinner) while the step runs. */
export function stageText(stage: ScanStage): string {
  return t(`scan.stage.${KEY[stage]}`);
}

/** What happened, in one sentence: stopped by the person, by the time limit, or the scanner failed. */
export function stoppedMessage(e: ScanStopped): string {
  const key = (KEY as Partial<Record<string, (typeof KEY)[ScanStage]>>)[e.stage] ?? 'unknown';
  if (e.reason === 'cancelled') return t('scan.cancelledWhile', { step: t(`scan.stageName.${key}.during`) });
  if (e.reason === 'timeout') return t('scan.tookTooLong', { step: t(`scan.stageName.${key}.subject`), seconds: Math.round(SCAN_STAGE_LIMIT_MS / 1000) });
  return t('scan.crashedWhile', { step: t(`scan.stageName.${key}.during`), problem: e.message });
}

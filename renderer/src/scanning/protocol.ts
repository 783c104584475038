/** Messages between the Scan screen and its MRZ worker (mrz-worker.ts). */
import type { MrzReading } from '@common/scan/mrz-read';
import type { MrzReader } from '@common/scan/mrz-ocr';
import type { ScannedPassportValues } from '@common/scan/mrz-to-passport';

export interface ScanRequest {
  readonly id: number;
  /** The picture as the person chose it (decoded in the worker, EXIF orientation applied). */
  readonly file: Blob;
  /** ISO date of "today" for the century of MRZ dates; sent so the worker and the screen agree. */
  readonly today: string;
}

export type ScanStage = 'decoding' | 'locating' | 'loading-ocr' | 'reading';

export interface MrzResult {
  readonly width: number;
  readonly height: number;
  /** Corners of the zone in the picture's pixels (null: no MRZ found). */
  readonly corners: readonly (readonly [number, number])[] | null;
  readonly reading: MrzReading | null;
  readonly reader: MrzReader | null;
  readonly values: ScannedPassportValues | null;
  readonly ms: { readonly decode: number; readonly locate: number; readonly templates: number; readonly ocr: number };
}

export type WorkerMessage =
  | { readonly id: number; readonly type: 'progress'; readonly stage: ScanStage }
  | { readonly id: number; readonly type: 'result'; readonly result: MrzResult }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** Messages between the Scan screen and its worker (scan-worker.ts). */
import type { Quad } from '@common/scan/homography';
import type { MrzReading } from '@common/scan/mrz-read';
import type { MrzReader } from '@common/scan/mrz-ocr';
import type { ScannedPassportValues } from '@common/scan/mrz-to-passport';
import type { QualityReport } from '@common/scan/quality';

export type { Quad } from '@common/scan/homography';

export type ScanRequest =
  /**
   * A new photo: decoded (EXIF orientation applied; larger photos scaled down as they are decoded), kept
   * in the worker, and (`detect`) the document looked for. `warmOcr`: start loading the text reader now,
   * while the person adjusts the corners. A fresh worker re-opens the photo with neither (scan-client.ts).
   */
  | { readonly id: number; readonly type: 'open'; readonly file: Blob; readonly detect: boolean; readonly warmOcr: boolean }
  /** A camera frame (small): where is the document? The open photo is left alone. */
  | { readonly id: number; readonly type: 'detect-frame'; readonly frame: ImageBitmap }
  /** A small corrected picture for the screen while the corners are being adjusted. */
  | { readonly id: number; readonly type: 'preview'; readonly corners: Quad; readonly quarterTurns: number; readonly maxSide: number }
  /**
   * The corrected document: quality checks, then (if they pass, or the person chose to go on) the
   * JPEG and the MRZ read from it. `today` (ISO date) fixes the century of MRZ dates.
   */
  | { readonly id: number; readonly type: 'correct'; readonly corners: Quad; readonly quarterTurns: number; readonly today: string; readonly acceptIssues: boolean }
  /** The corrected document only, no checks and no MRZ: the person goes on without the code lines. */
  | { readonly id: number; readonly type: 'straighten'; readonly corners: Quad; readonly quarterTurns: number };

export interface OpenResult {
  /** The photo's size as decoded (corners are in these pixels). */
  readonly width: number;
  readonly height: number;
  /** The document's corners as found, or null (the screen then offers a frame to drag into place). */
  readonly corners: Quad | null;
  /** Quarter turns clockwise that put the MRZ at the bottom (0 when there is no MRZ to tell). */
  readonly quarterTurns: number;
  /** The photo's own size, before it was scaled down for decoding. */
  readonly original: { readonly width: number; readonly height: number };
  readonly ms: { readonly decode: number; readonly detect: number };
}

export interface PreviewResult {
  readonly bitmap: ImageBitmap;
  readonly width: number;
  readonly height: number;
}

/** What the worker is busy with; each is said on screen, and each has the same time limit (scan-client.ts). */
export type ScanStage = 'decoding' | 'finding' | 'correcting' | 'checking' | 'locating' | 'loading-ocr' | 'reading';

export interface MrzResult {
  /** Corners of the zone in the corrected picture's pixels (null: no MRZ found). */
  readonly corners: readonly (readonly [number, number])[] | null;
  readonly reading: MrzReading | null;
  readonly reader: MrzReader | null;
  readonly values: ScannedPassportValues | null;
  readonly ms: { readonly locate: number; readonly templates: number; readonly ocr: number };
}

export interface CorrectedScan {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Null when the MRZ was not read at all (`straighten`: the person went on without it). */
  readonly mrz: MrzResult | null;
  readonly ms: { readonly correct: number; readonly encode: number };
}

export interface CorrectResult {
  readonly quality: QualityReport;
  /** Null when the quality checks failed and the person has not chosen to go on anyway. */
  readonly scan: CorrectedScan | null;
}

export interface ResultOf {
  open: OpenResult;
  'detect-frame': Quad | null;
  preview: PreviewResult;
  correct: CorrectResult;
  straighten: CorrectedScan;
}

export type WorkerMessage =
  | { readonly id: number; readonly type: 'progress'; readonly stage: ScanStage }
  | { readonly id: number; readonly type: 'result'; readonly result: ResultOf[keyof ResultOf] }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

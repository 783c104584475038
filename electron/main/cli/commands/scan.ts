/**
 * `passport-vault scan FILE...`: the MRZ of each photo (JPEG, PNG, WebP, AVIF) or PDF's first page, read by
 * the app's own pipeline (electron/common/scan/scan-photo.ts), as one JSON object:
 * `{"results":[{file, status, kind, mrz, fields, confirm, values, corners, ms}]}` (mrz-report.ts says
 * what each means). A file that cannot be read gets `status: "error"` with a coded error and the others
 * are still read; the command exits 0 unless its arguments are wrong.
 */
import { basename } from 'node:path';
import { AppError } from '../../../common/errors';
import type { Quad } from '../../../common/scan/homography';
import { reportReading, type MrzReport } from '../../../common/scan/mrz-report';
import { scanPhoto } from '../../../common/scan/scan-photo';
import { createNodeOcr, type NodeOcr } from '../../scans/node-ocr';
import { decodePhoto } from '../../scans/photo-decode';
import type { OptionValues } from '../args';
import { readInputFile } from '../input-file';
import type { CliIo } from '../output';

export interface ScanFileResult extends Omit<MrzReport, 'status'> {
  readonly file: string;
  readonly status: MrzReport['status'] | 'error';
  /** The document's corners in the picture as stored (see scan-photo.ts `PhotoScan.corners`); null: not found. */
  readonly corners: Quad | null;
  readonly ms: number;
  readonly error?: { readonly code: string; readonly message: string };
  /** A PDF's page count (only its first page is read). */
  readonly pages?: number;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Reads each file in turn with one OCR engine, started at the first photo that decodes (so that a
 * run of bad files costs no Tesseract start-up) and ended at the end.
 */
export async function scanFiles(files: readonly string[], onFile?: (index: number, file: string) => void, today: Date = new Date()): Promise<ScanFileResult[]> {
  let ocr: Promise<NodeOcr> | null = null;
  const results: ScanFileResult[] = [];
  try {
    for (const [i, file] of files.entries()) {
      onFile?.(i, file);
      const t0 = performance.now();
      try {
        const bytes = readInputFile(file, 'scan file', 'photo');
        const photo = await decodePhoto(bytes);
        ocr ??= createNodeOcr().catch((cause: unknown) => {
          throw new AppError('INTERNAL', `The OCR engine (tesseract.js) could not start: ${cause instanceof Error ? cause.message : String(cause)}`);
        });
        const scan = await scanPhoto(photo.gray, await ocr);
        const report = reportReading(scan.mrz.scan.reading, today);
        const corners = scan.corners === null ? null : (scan.corners.map(([x, y]) => [round1(x / photo.scale), round1(y / photo.scale)] as const) as unknown as Quad);
        results.push({ file, ...report, corners, ms: Math.round(performance.now() - t0), ...(photo.pageCount === undefined ? {} : { pages: photo.pageCount }) });
      } catch (e) {
        const err = e instanceof AppError ? e : new AppError('INTERNAL', `Reading ${basename(file)} failed unexpectedly`);
        if (!(e instanceof AppError) && process.env['PASSPORT_VAULT_DEBUG'] === '1') console.error(e);
        results.push({
          file,
          status: 'error',
          kind: null,
          mrz: null,
          fields: null,
          confirm: [],
          values: null,
          corners: null,
          ms: Math.round(performance.now() - t0),
          error: { code: err.code, message: err.message },
        });
      }
    }
  } finally {
    if (ocr !== null) await (await ocr.catch(() => null))?.terminate();
  }
  return results;
}

export async function scan(values: OptionValues, io: CliIo): Promise<object> {
  const files = values['files'] as string[];
  // Which file is being read, for a person watching a long batch (never in a pipe or a file).
  const tty = process.stderr.isTTY === true && files.length > 1;
  const results = await scanFiles(files, tty ? (i, f) => io.stderr(`\r\x1b[Kscanning ${i + 1}/${files.length} ${basename(f)}`) : undefined);
  if (tty) io.stderr('\r\x1b[K');
  return { results };
}

/**
 * Whether a file the person chose can be a document photo, decided in the renderer before anything
 * is decoded or sent to main, so that the formats we cannot read get a message saying what to do
 * instead of a generic "could not be opened".
 *
 * What can be read: JPEG, PNG, WebP and AVIF (Chromium decodes them in the scan worker; main's sharp
 * re-encodes them), and PDF: its first page is drawn as a picture in the renderer by pdf.js
 * (renderer/src/scanning/pdf-page.ts) and goes on as a photo; main never parses PDF. What cannot, and why:
 * - HEIC (iPhone photos): HEVC inside HEIF. The prebuilt sharp's libheif carries only the AV1 decoder
 *   (sharp.format.heif reads AVIF, not HEVC, for patent reasons), and Chromium has no HEIC decoder.
 * The file's first bytes decide first (a HEIC renamed .jpg is still HEIC); its type and name second.
 */
import { sniffImageFormat } from './image-format';

/** For `<input type="file" accept>`: HEIC is listed so that choosing one explains itself. */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif,.heic,.heif,application/pdf,.pdf';
/** How many bytes of the file `checkPhotoFile` looks at. */
export const PHOTO_HEAD_BYTES = 64;

export const PHOTO_MESSAGES = {
  heic: 'HEIC is not supported: export the photo as JPEG and open that (on an iPhone, Settings → Camera → Formats → Most Compatible takes JPEGs from then on).',
  other: 'This is not a photo that can be used: open a JPEG, PNG, WebP or AVIF picture (or a PDF) of the document.',
} as const;

/** `kind: 'pdf'`: read its first page as a picture first (readPdfFirstPage); `image`: decode it as it is. */
export type PhotoFileCheck = { readonly ok: true; readonly kind: 'image' | 'pdf' } | { readonly ok: false; readonly reason: keyof typeof PHOTO_MESSAGES; readonly message: string };

const refuse = (reason: keyof typeof PHOTO_MESSAGES): PhotoFileCheck => ({ ok: false, reason, message: PHOTO_MESSAGES[reason] });

export function checkPhotoFile(name: string, mimeType: string, head: Uint8Array): PhotoFileCheck {
  const sniffed = sniffImageFormat(head);
  if (sniffed === 'heic') return refuse('heic');
  if (sniffed !== null) return { ok: true, kind: 'image' };
  // Bytes first: a PDF named .jpg (or .heic) is still a PDF.
  if (head.length >= 5 && String.fromCharCode(...head.subarray(0, 5)) === '%PDF-') return { ok: true, kind: 'pdf' };
  const type = mimeType.toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (type === 'image/heic' || type === 'image/heif' || type.startsWith('image/heic-') || type.startsWith('image/heif-') || ['heic', 'heif', 'hif'].includes(ext)) return refuse('heic');
  // Named or typed PDF without the magic: pdf.js decides, and says "could not be read" if it is not one.
  if (type === 'application/pdf' || ext === 'pdf') return { ok: true, kind: 'pdf' };
  return refuse('other');
}

/** The same check on a File/Blob (reads only its first bytes). */
export async function checkPhotoBlob(file: Blob & { readonly name?: string }): Promise<PhotoFileCheck> {
  const head = new Uint8Array(await file.slice(0, PHOTO_HEAD_BYTES).arrayBuffer());
  return checkPhotoFile(file.name ?? '', file.type, head);
}

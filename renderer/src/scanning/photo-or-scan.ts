/**
 * Whether a picture added straight to a document's slot looks like a photo of the document, worth
 * straightening and cropping, or a flat scan (or a picture already cropped to the document): decided
 * from where the Scan screen's own page detector finds the document in it.
 * - No document found: nothing to offer (a flat scan of the page itself has no edge to find).
 * - What was found covers less than a fifth of the picture: more likely a box on the page than the page
 *   (on a flat scan of a passport or a card the detector's best outline is the holder's photo, 10-15% of
 *   it); a document that small in a photo is better taken again anyway. Nothing to offer.
 * - The document covers clearly less than the picture: a photo on a table, or a scanner's whole bed.
 * - Its sides are off the picture's axes: taken at an angle or in perspective.
 */

/** A flat scan cropped to the page fills nearly all of it; a document photo by hand rarely more than 80%. */
export const DOCUMENT_SHARE_MAX = 0.8;
/** Below this share of the picture, what was found is taken for a box on the page, not the page. */
export const DOCUMENT_SHARE_MIN = 0.2;
/** Sides further off horizontal / vertical than this are at an angle. */
export const TILT_MAX_DEG = 3;

type Corners = readonly (readonly [number, number])[];

export type PictureVerdict = { readonly photo: false } | { readonly photo: true; readonly why: 'part' | 'angle' };

function area(q: Corners): number {
  let twice = 0;
  for (let i = 0; i < q.length; i++) {
    const [x0, y0] = q[i]!;
    const [x1, y1] = q[(i + 1) % q.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

/** How far (degrees) the side from a to b is off the nearest axis. */
function offAxis(a: readonly [number, number], b: readonly [number, number]): number {
  const deg = (Math.abs(Math.atan2(b[1] - a[1], b[0] - a[0])) * 180) / Math.PI; // 0-180
  return Math.min(deg % 90, 90 - (deg % 90));
}

export function judgePicture(width: number, height: number, corners: Corners | null): PictureVerdict {
  if (corners === null || corners.length !== 4 || width <= 0 || height <= 0) return { photo: false };
  const share = area(corners) / (width * height);
  if (share < DOCUMENT_SHARE_MIN) return { photo: false };
  if (share < DOCUMENT_SHARE_MAX) return { photo: true, why: 'part' };
  for (let i = 0; i < 4; i++) if (offAxis(corners[i]!, corners[(i + 1) % 4]!) > TILT_MAX_DEG) return { photo: true, why: 'angle' };
  return { photo: false };
}

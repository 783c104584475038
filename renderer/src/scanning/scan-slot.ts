import type { SecureValueTypeName } from '@common/passport/secure-value-types';

/** What the Scan screen hands the document editor when it was opened for one of the editor's slots. */
export interface ScannedForSlot {
  /** The scan as main re-encoded and keeps it (scan.prepare): what the save attaches. */
  readonly scanId: string;
  /** The straightened JPEG made in the page, for the slot's thumbnail until the save. */
  readonly jpeg: Blob;
  readonly byteLength: number;
}

/** Which slot the Scan screen fills, and for which document (its MRZ values go to that editor). */
export interface ScanSlotTarget {
  readonly label: string;
  readonly docType: SecureValueTypeName;
}

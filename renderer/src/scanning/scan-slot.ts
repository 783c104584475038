import { SECURE_VALUE_TYPE_NAMES, secureValueTypeInfo, type SecureValueTypeName } from '@common/passport/secure-value-types';

/** What the Scan screen hands the document editor when it was opened for one of the editor's slots. */
export interface ScannedForSlot {
  /** The scan as main re-encoded and keeps it (scan.prepare): what the save attaches. */
  readonly scanId: string;
  /** The straightened JPEG made in the page, for the slot's thumbnail until the save. */
  readonly jpeg: Blob;
  readonly byteLength: number;
  /** No values came with it (not read): the person types them in the form. */
  readonly byHand: boolean;
}

/** Which slot the Scan screen fills, and for which document (its MRZ values go to that editor). */
export interface ScanSlotTarget {
  readonly label: string;
  readonly docType: SecureValueTypeName;
}

export type PageSide = 'front_side' | 'reverse_side';

/** A document's page slot as the editor names it: a passport has a main page, a card a front side. */
export function sideLabel(type: SecureValueTypeName, side: PageSide): string {
  if (side === 'reverse_side') return 'Reverse side';
  return secureValueTypeInfo(type).fileSlots.includes('reverse_side') ? 'Front side' : 'Main page';
}

export interface SideTarget {
  readonly type: SecureValueTypeName;
  readonly side: PageSide;
  /** "Passport · Main page" */
  readonly label: string;
}

/** Where a scan from the Scan screen can go when its values are typed by hand: every identity document's pages. */
export const SIDE_TARGETS: readonly SideTarget[] = SECURE_VALUE_TYPE_NAMES.flatMap((type) => {
  const info = secureValueTypeInfo(type);
  if (info.data !== 'id_document') return [];
  return (['front_side', 'reverse_side'] as const).filter((side) => info.fileSlots.includes(side)).map((side) => ({ type, side, label: `${info.label} · ${sideLabel(type, side)}` }));
});

/** The three ICAO 9303 MRZ formats and where each keeps its document number; read and repair both need them. */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

/** Where the document number and its check digit sit: [line, start, end) (ICAO 9303 parts 4-6). */
export const DOCUMENT_NUMBER_AT: Record<MrzFormat, readonly [number, number, number]> = {
  TD1: [0, 5, 15],
  TD2: [1, 0, 10],
  TD3: [1, 0, 10],
};

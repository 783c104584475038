/**
 * Test data for the vault tests: one valid plaintext value for each of the 13 types, with scans,
 * and a marker string in every field so the hygiene scans can look for them on disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValueInput } from '../../../electron/main/vault/local/value-codec';

export function tempDir(prefix = 'pv-vault-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Scan bytes that cannot appear by chance (random), plus a recognisable JPEG-like start. */
export function fakeScan(size: number): Buffer {
  const b = randomBytes(size);
  b[0] = 0xff;
  b[1] = 0xd8;
  return b;
}

const scan = (): Buffer => fakeScan(3000 + Math.floor(Math.random() * 5000));

/** Field values long and odd enough that finding one on disk cannot be a coincidence. */
export const MARK = {
  first: 'Zebulonmarkfirst',
  last: 'Quixmarklast',
  native: 'Жужумаркнатив',
  docNo: 'DOCMARK98765',
  street: 'Markstreet Xylophone 17',
  city: 'Cityofmarks',
  phone: '491701234567',
  email: 'mark.hygiene@example.org',
};

export function sampleValues(): ValueInput[] {
  const idData = { document_no: MARK.docNo, expiry_date: '31.12.2031' };
  const address = { street_line1: MARK.street, city: MARK.city, country_code: 'DE', post_code: '10115' };
  return [
    {
      type: 'personal_details',
      data: {
        first_name: MARK.first,
        last_name: MARK.last,
        birth_date: '29.02.1996',
        gender: 'female',
        country_code: 'DE',
        residence_country_code: 'FR',
        first_name_native: MARK.native,
        last_name_native: 'Фамилия',
      },
    },
    { type: 'passport', data: idData, frontSide: scan(), selfie: scan(), translation: [scan()] },
    { type: 'driver_license', data: idData, frontSide: scan(), reverseSide: scan() },
    { type: 'identity_card', data: { ...idData, expiry_date: '' }, frontSide: scan(), reverseSide: scan(), selfie: scan() },
    { type: 'internal_passport', data: idData, frontSide: scan() },
    { type: 'address', data: address },
    { type: 'utility_bill', files: [scan(), scan()] },
    { type: 'bank_statement', files: [scan()], translation: [scan()] },
    { type: 'rental_agreement', files: [scan()] },
    { type: 'passport_registration', files: [scan()] },
    { type: 'temporary_registration', files: [scan(), scan(), scan()] },
    { type: 'phone_number', plain: MARK.phone },
    { type: 'email', plain: MARK.email },
  ];
}

export function scansOf(v: ValueInput): Uint8Array[] {
  return [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])].filter(
    (x): x is Uint8Array => x !== undefined,
  );
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walkFiles(p, out);
    else if (s.isFile()) out.push(p);
  }
  return out;
}

/**
 * Every file under `dirs` (and single files) checked for the needles: each marker string (UTF-8)
 * and, for each scan, three 32-byte windows of its bytes. Returns "file: what" for each hit.
 */
export function findPlaintext(paths: string[], strings: string[], scans: Uint8Array[]): string[] {
  const needles: { what: string; bytes: Buffer }[] = strings.map((s) => ({ what: s, bytes: Buffer.from(s, 'utf8') }));
  scans.forEach((s, i) => {
    for (const at of [0, Math.floor(s.length / 2), s.length - 32]) {
      const bytes = Buffer.from(s.subarray(Math.max(0, at), at + 32));
      // A needle of a few bytes occurs in megabytes of ciphertext by chance (3 bytes: ~1 in 5 runs).
      if (bytes.length >= 16) needles.push({ what: `scan ${i} @${at}`, bytes });
    }
  });
  const hits: string[] = [];
  for (const p of paths) {
    const files = statSync(p).isDirectory() ? walkFiles(p) : [p];
    for (const f of files) {
      const content = readFileSync(f);
      for (const n of needles) if (content.includes(n.bytes)) hits.push(`${f}: ${n.what}`);
    }
  }
  return hits;
}

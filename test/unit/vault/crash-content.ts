/**
 * The content of generation N in the crash test: deterministic, different for every N, with 1-3
 * blobs of 1-150 KB (so kills land inside blob writes too), a data field and a queued edit.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { StoredValue, VaultContent } from '../../../electron/main/vault/store/state';

/** Deterministic bytes: AES-128-CTR keystream keyed by SHA-256(n, i). */
export function blobBytes(n: number, i: number): Buffer {
  const size = 1000 + ((n * 7919 + i * 104729) % 150_000);
  const key = createHash('sha256').update(`${n}/${i}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const b64 = (s: string): string => createHash('sha256').update(s).digest('base64');

export function contentFor(n: number): { files: number[]; build: (blobNames: string[]) => VaultContent } {
  const files = Array.from({ length: 1 + (n % 3) }, (_, i) => i);
  return {
    files,
    build: (names) => {
      const bill: StoredValue = {
        type: 'utility_bill',
        files: files.map((i) => ({
          blob: names[i] ?? '',
          fileHash: b64(`file ${n} ${i}`),
          secret: b64(`secret ${n} ${i}`),
          size: blobBytes(n, i).length,
          date: n,
        })),
        updatedAt: n,
      };
      const details: StoredValue = {
        type: 'personal_details',
        data: { data: b64(`data ${n}`), dataHash: b64(`hash ${n}`), secret: b64(`dsecret ${n}`) },
        updatedAt: n,
      };
      return {
        origin: 'telegram',
        secretSettings: { algo: 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000', salt: b64('salt'), encryptedSecret: b64('es'), secretId: String(n) },
        values: [details, bill],
        pendingEdits: [
          { id: createHash('md5').update(`edit ${n}`).digest('hex'), type: 'email', op: 'delete', baseServerHash: b64(`base ${n}`), createdAt: n },
        ],
      };
    },
  };
}

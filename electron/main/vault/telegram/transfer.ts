/**
 * What goes over the wire for one value: a push first compares the server's current `secureValue.hash`
 * with the hash the edit was made on; a different hash means someone changed the value elsewhere
 * meanwhile, and nothing is overwritten (SYNC_CONFLICT). A value's new scans are uploaded (three at a
 * time, progress summed over them), kept ones reused by their server id; files come down the same way.
 */
import { AppError } from '../../../common/errors';
import { secureValueTypeInfo } from '../../../common/passport';
import type { SecureValueTypeName } from '../../../common/passport';
import { secretFingerprint } from '../../passport/crypto/index';
import {
  deleteSecureValues,
  downloadSecureFile,
  getSecureValues,
  saveSecureValue,
  uploadSecureFile,
  type SecureFileInput,
  type TransferProgress,
} from '../../telegram/passport-api';
import { filesOf } from '../store/state';
import type { StoredFile, StoredValue } from '../store/state';
import { afterSave, limited, sameContent, serverFileIds, storedAsRef, toSecureValueInput, valueHashOf } from './mirror';
import { net, requireSecret, requireStore, type PassportState } from './passport-state';

function conflict(type: SecureValueTypeName, base: string | null, server: string | null): AppError {
  const details: Record<string, string> = { type };
  if (base !== null) details.base = base;
  if (server !== null) details.server = server;
  return new AppError('SYNC_CONFLICT', `Your ${secureValueTypeInfo(type).label.toLowerCase()} was changed on another device meanwhile; nothing was overwritten.`, details);
}

/** Downloads one secure file (a network step: OFFLINE switches the mode). */
export function downloader(s: PassportState): (f: Parameters<typeof downloadSecureFile>[1]) => Promise<Buffer> {
  return (f) => net(s, () => downloadSecureFile(s.conn, f));
}

/** Uploads what Telegram does not have yet and saves the value; returns its mirrored form. */
export async function pushValue(s: PassportState, value: StoredValue, base: string | null, onProgress?: TransferProgress): Promise<StoredValue> {
  const secret = requireSecret(s);
  const store = requireStore(s);
  const [found] = await net(s, () => getSecureValues(s.conn, [value.type]));
  const current = found ?? null;
  const hash = valueHashOf(current);
  if (hash !== base) {
    // Our own earlier push whose answer was lost (e.g. the connection dropped): already done.
    if (current !== null && sameContent(current, value)) return afterSave(value, current);
    throw conflict(value.type, base, hash);
  }
  const onServer = serverFileIds(current);
  const toUpload = filesOf(value).filter((f) => f.remote === undefined || !onServer.has(f.remote.id));
  const total = toUpload.reduce((n, f) => n + f.size, 0);
  const doneBy = new Map<StoredFile, number>();
  const uploaded = new Map<StoredFile, SecureFileInput>();
  await limited(
    toUpload.map((f) => async () => {
      const bytes = await store.readBlob(f.blob);
      const up = await net(s, () =>
        uploadSecureFile(s.conn, bytes, Buffer.from(f.fileHash, 'base64'), Buffer.from(f.secret, 'base64'), (done) => {
          doneBy.set(f, done);
          let sum = 0;
          for (const d of doneBy.values()) sum += d;
          onProgress?.(sum, total);
        }),
      );
      uploaded.set(f, up);
    }),
    3,
  );
  const input = await toSecureValueInput(value, (f) => Promise.resolve(uploaded.get(f) ?? storedAsRef(f)));
  const saved = await net(s, () => saveSecureValue(s.conn, input, secretFingerprint(secret)));
  return afterSave(value, saved);
}

/** Deletes one value on Telegram unless it changed there since `base` (SYNC_CONFLICT). */
export async function pushDelete(s: PassportState, type: SecureValueTypeName, base: string | null): Promise<void> {
  const [found] = await net(s, () => getSecureValues(s.conn, [type]));
  if (found === undefined) return; // gone already (our lost answer, or deleted elsewhere): nothing to overwrite
  const hash = valueHashOf(found);
  if (hash !== base) throw conflict(type, base, hash);
  await net(s, () => deleteSecureValues(s.conn, [type]));
}

/** Mirrors a pushed value: it replaces the one of its type, and its queued edits are done. */
export async function commitPushed(s: PassportState, type: SecureValueTypeName, pushed: StoredValue): Promise<void> {
  const store = requireStore(s);
  const state = store.state;
  await store.commit({
    ...state,
    values: [...state.values.filter((v) => v.type !== type), pushed],
    pendingEdits: state.pendingEdits.filter((e) => e.type !== type),
  });
}

/**
 * Sending the queued edits and settling conflicts. An edit made on a value that changed on Telegram
 * meanwhile stays queued as a conflict; the person sees Telegram's version (`otherVersion`) and keeps
 * theirs or mine (`resolve`). Each function runs inside the passport's one-at-a-time queue.
 */
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import { getSecureValues, type TransferProgress } from '../../telegram/passport-api';
import type { PendingEdit } from '../store/state';
import { mirrorServerValue, otherVersionOf, valueHashOf, type OtherVersion } from './mirror';
import { clearSyncMarks, isOffline, net, requireSecret, requireStore, type PassportState } from './passport-state';
import { commitPushed, downloader, pushDelete, pushValue } from './transfer';

export interface SyncReport {
  applied: SecureValueTypeName[];
  conflicts: { type: SecureValueTypeName; base: string | null; server: string | null }[];
  failed: { type: SecureValueTypeName; code: string; message: string }[];
  /** Telegram became unreachable during the sync; the rest stays queued. */
  offline: boolean;
}

/** Sends queued edits (in order). Conflicts and failures stay queued and are reported. */
export async function syncQueued(s: PassportState, onProgress?: TransferProgress): Promise<SyncReport> {
  const store = requireStore(s);
  const report: SyncReport = { applied: [], conflicts: [], failed: [], offline: false };
  for (const edit of store.state.pendingEdits) {
    try {
      if (edit.op === 'delete') {
        await pushDelete(s, edit.type, edit.baseServerHash);
        const state = store.state;
        await store.commit({ ...state, pendingEdits: state.pendingEdits.filter((e) => e.id !== edit.id) });
      } else {
        if (edit.value === undefined) throw new AppError('VAULT_CORRUPT', 'A queued edit has no value.');
        const pushed = await pushValue(s, edit.value, edit.baseServerHash, onProgress);
        await commitPushed(s, edit.type, pushed);
      }
      clearSyncMarks(s, edit.type);
      report.applied.push(edit.type);
    } catch (e) {
      if (isOffline(e)) {
        report.offline = true;
        break;
      }
      if (e instanceof AppError && e.code === 'SYNC_CONFLICT') {
        const c = { base: edit.baseServerHash, server: typeof e.details?.server === 'string' ? e.details.server : null };
        s.conflicts.set(edit.type, c);
        report.conflicts.push({ type: edit.type, ...c });
        continue;
      }
      const err = e instanceof AppError ? e : new AppError('INTERNAL', 'The edit could not be sent.');
      s.syncErrors.set(edit.type, { code: err.code, message: err.message });
      report.failed.push({ type: edit.type, code: err.code, message: err.message });
    }
  }
  return report;
}

/**
 * The version of a document in conflict that Telegram holds now (another device saved it),
 * decrypted here for the person to compare with their queued edit; null if it was deleted there.
 */
export async function otherVersion(s: PassportState, type: SecureValueTypeName): Promise<OtherVersion | null> {
  const secret = requireSecret(s);
  if (!requireStore(s).state.pendingEdits.some((e) => e.type === type)) throw new AppError('BAD_INPUT', 'There is no queued edit of this document.');
  const [current] = await net(s, () => getSecureValues(s.conn, [type]));
  return current === undefined ? null : otherVersionOf(current, secret);
}

/**
 * Settles a conflict (or a failed edit): 'theirs' drops the queued edit and takes Telegram's
 * version; 'mine' sends the queued edit over Telegram's newer version. `seen`: the server hash of
 * the other version the person was shown (null: shown as deleted); keeping mine is then refused
 * (SYNC_CONFLICT) if Telegram holds something else by now, so nothing is overwritten unseen.
 */
export async function resolve(
  s: PassportState,
  type: SecureValueTypeName,
  choice: 'mine' | 'theirs',
  onProgress?: TransferProgress,
  seen?: string | null,
): Promise<SyncReport> {
  requireSecret(s);
  const store = requireStore(s);
  const state = store.state;
  const edit = state.pendingEdits.find((e) => e.type === type);
  if (edit === undefined) throw new AppError('BAD_INPUT', 'There is no queued edit of this document.');
  const [current] = await net(s, () => getSecureValues(s.conn, [type]));
  if (choice === 'mine' && seen !== undefined && valueHashOf(current ?? null) !== seen) {
    throw new AppError('SYNC_CONFLICT', 'The document changed again on your other device. Look at its version again before choosing.', { type });
  }
  if (choice === 'theirs') {
    const values = state.values.filter((v) => v.type !== type);
    if (current !== undefined) values.push(await mirrorServerValue(store, current, undefined, downloader(s), s.now()));
    await store.commit({ ...store.state, values, pendingEdits: store.state.pendingEdits.filter((e) => e.id !== edit.id) });
    clearSyncMarks(s, type);
    return { applied: [], conflicts: [], failed: [], offline: false };
  }
  const rebased: PendingEdit = { ...edit, baseServerHash: valueHashOf(current ?? null) };
  await store.commit({ ...state, pendingEdits: state.pendingEdits.map((e) => (e.id === edit.id ? rebased : e)) });
  s.conflicts.delete(type); // its failure, if any, stays until the edit goes through
  return syncQueued(s, onProgress);
}

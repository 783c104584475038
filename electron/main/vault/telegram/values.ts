/**
 * Reading and editing the values. Every edit is encrypted here (value-codec, the crypto core) and pushed
 * as Telegram's own format; the mirror (a vault store of origin "telegram") holds the same ciphertext, the
 * file ciphertexts as blobs, and the server's file ids so unchanged files are reused by id. Offline, edits
 * go to the mirror's edit queue, already encrypted, and sync.ts sends them when Telegram is back.
 * Each function runs inside the passport's one-at-a-time queue (the façade puts it there).
 */
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../../common/errors';
import { SECURE_VALUE_TYPE_NAMES } from '../../../common/passport';
import type { SecureValueTypeName } from '../../../common/passport';
import { deleteSecureValues, getAllSecureValues, type SecureFileRef, type SecureValue, type TransferProgress } from '../../telegram/passport-api';
import { decryptStoredFile } from '../local/value-codec';
import { baseServerHashFor, enqueueEdit } from '../store/edit-queue';
import { filesOf } from '../store/state';
import type { StoredValue } from '../store/state';
import { withDamage } from '../value-damage';
import { inCatalogueOrder, viewOfValue, type PassportValue } from '../value-view';
import { limited, mirroredFile, mirrorServerValue, serverFiles } from './mirror';
import { clearSyncMarks, isOffline, net, requireSecret, requireStore, type PassportState } from './passport-state';
import { commitPushed, downloader, pushDelete, pushValue } from './transfer';
import { buildStoredValue, type TelegramValueInput } from './value-edit';

/** What must be typed, exactly, to delete every value. */
export const DELETE_ALL_CONFIRMATION = 'DELETE ALL DOCUMENTS';

export interface SaveResult {
  type: SecureValueTypeName;
  /** 'saved' on Telegram (and mirrored); 'queued' offline, sent by a later `sync()`. */
  status: 'saved' | 'queued';
}

/**
 * Every value in the mirror, decrypted (data; files as metadata: read them with `readFile`), each
 * with the files missing or damaged on disk (value-damage.ts: a stat each, nothing decrypted).
 */
export function listValues(s: PassportState): PassportValue[] {
  const secret = requireSecret(s);
  const store = requireStore(s);
  const state = store.frozenState;
  const pending = new Set(state.pendingEdits.map((e) => e.type));
  const views = inCatalogueOrder(
    state.values.map((v) => {
      const isPending = pending.has(v.type);
      return viewOfValue(v, secret, {
        pending: isPending,
        conflict: s.conflicts.has(v.type),
        syncError: s.syncErrors.get(v.type) ?? null,
        serverHash: isPending ? (state.pendingEdits.find((e) => e.type === v.type)?.baseServerHash ?? null) : (v.serverHash ?? null),
        serviceErrors: s.serviceErrors,
      });
    }),
  );
  return withDamage(store, views);
}

/** One file of a value, decrypted (hash checked), from the mirror. */
export async function readFile(s: PassportState, type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
  const secret = requireSecret(s);
  const store = requireStore(s);
  const v = store.frozenState.values.find((x) => x.type === type);
  const f = v === undefined ? undefined : filesOf(v).find((x) => x.fileHash === fileHash);
  if (f === undefined) throw new AppError('BAD_INPUT', 'This document has no such file.');
  return decryptStoredFile(store, f, secret);
}

/**
 * Telegram's values as fetched, with the ciphertext of every file the mirror does not hold yet already
 * downloaded, in memory: fetching writes nothing, so it may run outside the passport's queue (the
 * background check of an unlock does, and the list and thumbnails are not held up by its downloads).
 */
export interface FetchedValues {
  readonly server: readonly SecureValue[];
  /** Downloaded file ciphertexts, by server file id. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The mirror's generation before the values were asked for: `applyValues` asks again if it moved. */
  readonly generation: number;
}

/**
 * Fetches every value from Telegram and downloads the files the mirror lacks (4 at a time).
 * `fetched`: account.getAllSecureValues already under way (unlock); asked again if it failed.
 * `generation`: the mirror's generation when that request went out (default: now).
 */
export async function fetchValues(s: PassportState, fetched?: Promise<SecureValue[]>, generation = requireStore(s).generation): Promise<FetchedValues> {
  const store = requireStore(s);
  const fetch = (): Promise<SecureValue[]> => getAllSecureValues(s.conn);
  const server = await net(s, () => (fetched === undefined ? fetch() : fetched.catch(fetch)));
  const state = store.state;
  const pending = new Set(state.pendingEdits.map((e) => e.type));
  const missing = server
    .filter((sv) => !pending.has(sv.type))
    .flatMap((sv) => {
      const old = state.values.find((v) => v.type === sv.type);
      const known = old === undefined ? [] : filesOf(old);
      return serverFiles(sv).filter((f) => mirroredFile(known, f) === undefined);
    });
  const download = downloader(s);
  const files = new Map<string, Buffer>();
  await limited(missing.map((f) => async () => void files.set(f.id.toString(), await download(f))), 4);
  return { server, files, generation };
}

/**
 * Mirrors fetched values (values with queued edits keep the edit). If the mirror changed since they
 * were asked for (a save meanwhile), they may be older than the mirror: asked again. Runs in the queue.
 */
export async function applyValues(s: PassportState, fetched: FetchedValues): Promise<void> {
  requireSecret(s);
  const store = requireStore(s);
  if (store.generation !== fetched.generation) return refresh(s);
  const state = store.state;
  const pending = new Set(state.pendingEdits.map((e) => e.type));
  const old = new Map(state.values.map((v) => [v.type, v]));
  const now = s.now();
  const values: StoredValue[] = state.values.filter((v) => pending.has(v.type));
  const download = downloader(s);
  const fileOf = (f: SecureFileRef): Promise<Buffer> => {
    const got = fetched.files.get(f.id.toString());
    return got !== undefined ? Promise.resolve(got) : download(f);
  };
  for (const sv of fetched.server) {
    if (pending.has(sv.type)) continue;
    values.push(await mirrorServerValue(store, sv, old.get(sv.type), fileOf, now));
  }
  // Telegram has nothing new (the usual unlock): the mirror stays as it is, no commit.
  if (isDeepStrictEqual(values, state.values)) return;
  await store.commit({ ...store.state, values });
}

/**
 * Fetches every value from Telegram into the mirror (values with queued edits keep the edit).
 * `fetched`: account.getAllSecureValues already under way (unlock); fetched again if it failed.
 */
export async function refresh(s: PassportState, fetched?: Promise<SecureValue[]>): Promise<void> {
  requireSecret(s);
  await applyValues(s, await fetchValues(s, fetched));
}

/**
 * Validates, encrypts and saves one value (replacing the one of its type). Online it goes to
 * Telegram at once (new scans uploaded in parallel, kept ones reused by id) — SYNC_CONFLICT if the
 * value changed on Telegram since it was last fetched, and then nothing is changed; offline it is
 * queued. `onProgress` reports uploaded bytes.
 */
export async function saveValue(s: PassportState, input: TelegramValueInput, onProgress?: TransferProgress): Promise<SaveResult> {
  const secret = requireSecret(s);
  const store = requireStore(s);
  const state = store.state;
  const current = state.values.find((v) => v.type === input.type);
  const value = await buildStoredValue(store, input, current, secret, s.now());
  const base = baseServerHashFor(state, input.type);
  if (s.mode !== 'offline') {
    try {
      const pushed = await pushValue(s, value, base, onProgress);
      await commitPushed(s, input.type, pushed);
      return { type: input.type, status: 'saved' };
    } catch (e) {
      if (!isOffline(e)) {
        await store.collectGarbage().catch(() => undefined); // the new scans' blobs
        throw e;
      }
    }
  }
  await store.commit(enqueueEdit(store.state, { type: input.type, op: 'save', value }, s.now()));
  clearSyncMarks(s, input.type);
  return { type: input.type, status: 'queued' };
}

/** Deletes one value (on Telegram when online, else queued). SYNC_CONFLICT as for `saveValue`. */
export async function removeValue(s: PassportState, type: SecureValueTypeName): Promise<SaveResult> {
  requireSecret(s);
  const store = requireStore(s);
  const base = baseServerHashFor(store.state, type);
  if (s.mode !== 'offline') {
    try {
      await pushDelete(s, type, base);
      const state = store.state;
      await store.commit({ ...state, values: state.values.filter((v) => v.type !== type), pendingEdits: state.pendingEdits.filter((e) => e.type !== type) });
      clearSyncMarks(s, type);
      return { type, status: 'saved' };
    } catch (e) {
      if (!isOffline(e)) throw e;
    }
  }
  await store.commit(enqueueEdit(store.state, { type, op: 'delete' }, s.now()));
  clearSyncMarks(s, type);
  return { type, status: 'queued' };
}

/** Deletes every value on Telegram and in the mirror (queued edits too). Online only; typed confirmation. */
export async function removeAllValues(s: PassportState, confirmation: string): Promise<void> {
  if (confirmation !== DELETE_ALL_CONFIRMATION) {
    throw new AppError('CONFIRMATION_REQUIRED', `Type ${DELETE_ALL_CONFIRMATION} to delete every document.`, { expected: DELETE_ALL_CONFIRMATION });
  }
  requireSecret(s);
  const store = requireStore(s);
  await net(s, () => deleteSecureValues(s.conn, SECURE_VALUE_TYPE_NAMES));
  await store.commit({ ...store.state, values: [], pendingEdits: [] });
  clearSyncMarks(s);
}

/**
 * The queue of offline edits (state.ts `pendingEdits`). An edit made while offline is stored
 * already encrypted, together with the server `secureValue.hash` it was made on top of. The sync
 * (later, with the Telegram client) sends the edits in order; before sending one it compares that
 * base hash with the server's current hash for the type: equal → apply; different → conflict
 * (someone changed the value elsewhere meanwhile), which the person resolves.
 *
 * Pure functions over VaultContent: the caller commits the result through the store, so queueing
 * an edit is as crash-safe as any other save.
 */
import { randomBytes } from 'node:crypto';
import type { SecureValueTypeName } from '../../../common/passport';
import type { PendingEdit, StoredValue, VaultContent } from './state';

/**
 * The server hash an edit of `type` builds on: the value's own serverHash as last mirrored, or
 * null when the server had none. A second offline edit of the same type builds on the same base:
 * the server has not seen the first one yet.
 */
export function baseServerHashFor(content: VaultContent, type: SecureValueTypeName): string | null {
  const queued = content.pendingEdits.find((e) => e.type === type);
  if (queued !== undefined) return queued.baseServerHash;
  return content.values.find((v) => v.type === type)?.serverHash ?? null;
}

/**
 * Queues an edit and applies it to the local values (so the mirror shows what the person sees).
 * A newer edit of the same type replaces the older queued one: only the latest state is sent.
 */
export function enqueueEdit(
  content: VaultContent,
  edit: { type: SecureValueTypeName; op: 'save'; value: StoredValue } | { type: SecureValueTypeName; op: 'delete' },
  now = Date.now(),
): VaultContent {
  const pending: PendingEdit = {
    id: randomBytes(16).toString('hex'),
    type: edit.type,
    op: edit.op,
    ...(edit.op === 'save' ? { value: edit.value } : {}),
    baseServerHash: baseServerHashFor(content, edit.type),
    createdAt: now,
  };
  const values = content.values.filter((v) => v.type !== edit.type);
  if (edit.op === 'save') values.push(edit.value);
  return {
    ...content,
    values,
    pendingEdits: [...content.pendingEdits.filter((e) => e.type !== edit.type), pending],
  };
}

export type EditCheck = { kind: 'apply' } | { kind: 'conflict'; base: string | null; server: string | null };

/** Whether `edit` can be sent as is, given the server's current hash for its type (null: none). */
export function checkEdit(edit: PendingEdit, currentServerHash: string | null): EditCheck {
  return edit.baseServerHash === currentServerHash
    ? { kind: 'apply' }
    : { kind: 'conflict', base: edit.baseServerHash, server: currentServerHash };
}

/** Drops a sent edit; `serverHash` is the hash the server gave the saved value (absent for a delete). */
export function completeEdit(content: VaultContent, id: string, serverHash?: string): VaultContent {
  const edit = content.pendingEdits.find((e) => e.id === id);
  if (edit === undefined) return content;
  const values = content.values.map((v) =>
    v.type === edit.type && serverHash !== undefined ? { ...v, serverHash } : v,
  );
  return { ...content, values, pendingEdits: content.pendingEdits.filter((e) => e.id !== id) };
}

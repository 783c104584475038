/**
 * Sending the queued edits and settling conflicts, through the session (Telegram only; a local vault
 * says NOT_SIGNED_IN), with the progress for the UI to poll.
 */
import type { SecureValueTypeName } from '../../../common/passport';
import type { OtherVersion } from '../telegram/mirror';
import type { SyncReport } from '../telegram/telegram-passport';
import { requireTelegram } from './open-vault';
import { touch, tracker, type SessionState } from './session-state';

export async function syncQueued(s: SessionState): Promise<SyncReport> {
  const tp = await requireTelegram(s);
  touch(s);
  try {
    return await tp.sync(tracker(s, 'sync'));
  } finally {
    s.progress = null;
  }
}

/** Telegram's version of a document in conflict, to compare with the queued edit. */
export async function otherVersion(s: SessionState, type: SecureValueTypeName): Promise<OtherVersion | null> {
  const tp = await requireTelegram(s);
  touch(s);
  return tp.otherVersion(type);
}

/** Keeps 'mine' (sent over Telegram's newer version, if it is still the one `seen`) or 'theirs'. */
export async function resolve(s: SessionState, type: SecureValueTypeName, choice: 'mine' | 'theirs', seen?: string | null): Promise<SyncReport> {
  const tp = await requireTelegram(s);
  touch(s);
  try {
    return await tp.resolve(type, choice, tracker(s, 'sync'), seen);
  } finally {
    s.progress = null;
  }
}

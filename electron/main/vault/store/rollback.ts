/**
 * Refusing a rolled-back `state` at open: the state read is checked against the newest
 * unreferenced blob's generation and the generation the keychain last saw committed. The rule, and
 * why it is safe, is in vault-store.ts's header ("Rollback").
 */
import { AppError } from '../../../common/errors';
import { blobGeneration, listBlobs } from './blob-files';
import type { EnvelopeContext } from './envelope';
import { referencedBlobs } from './state';
import type { VaultState } from './state';
import { readStateFile } from './state-file';
import { VaultLock } from './vault-lock';

function rollback(dir: string, stateGeneration: number, seen: number, source: 'blobs' | 'keychain'): AppError {
  const evidence =
    source === 'blobs'
      ? `its folder holds files written for generation ${seen}`
      : `this computer's keychain saw generation ${seen} committed`;
  return new AppError(
    'VAULT_ROLLBACK',
    `The vault in ${dir} has an older state (generation ${stateGeneration}) than ${evidence}: an older copy of its "state" file was ` +
      'probably put back (by a sync tool, a backup restore or another computer). Nothing was changed or deleted. ' +
      'To recover, put the newer "state" file back, or import a backup into a new folder (backup import --vault-dir NEW).',
    { stateGeneration, seenGeneration: seen, source },
  );
}

/**
 * Reads the state and checks it against the newest unreferenced blob and `knownGeneration`. A
 * writer may commit between reading the state and listing the blobs, making its fresh blobs look
 * newer than the state read: a suspected rollback is confirmed by reading the state again, and the
 * check repeated if it moved on.
 */
export async function readConsistentState(dir: string, ctx: EnvelopeContext, knownGeneration: number | undefined): Promise<VaultState> {
  for (let attempt = 0; ; attempt++) {
    const state = await readStateFile(dir, ctx);
    const s = state.generation;
    if (knownGeneration !== undefined && s < knownGeneration) throw rollback(dir, s, knownGeneration, 'keychain');
    const live = referencedBlobs(state);
    let newest = -1;
    for (const name of await listBlobs(dir)) {
      if (live.has(name)) continue;
      const g = await blobGeneration(ctx, dir, name);
      if (g !== null && g > newest) newest = g;
    }
    const suspicious = newest > s + 1 || (newest === s + 1 && !(await VaultLock.present(dir)));
    if (!suspicious) return state;
    const again = await readStateFile(dir, ctx).catch(() => null);
    if (again === null || again.generation === s || attempt >= 2) throw rollback(dir, s, newest, 'blobs');
  }
}

/**
 * The `state` file: the envelope-sealed VaultContent with its generation, the vault's single
 * commit point (the rules are in vault-store.ts's header).
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { errnoOf, isMissing } from '../fs/errno';
import { openState, sealState } from './envelope';
import type { EnvelopeContext } from './envelope';
import { VaultContentSchema } from './state';
import type { VaultState } from './state';

export const STATE_FILE = 'state';

/** The first bytes of the state record (its mode byte), read without any key. */
export async function readStatePrefix(dir: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(join(dir, STATE_FILE), 'r');
    const prefix = Buffer.alloc(5);
    const { bytesRead } = await handle.read(prefix, 0, 5, 0);
    return prefix.subarray(0, bytesRead);
  } catch (e) {
    throw stateReadError(e);
  } finally {
    await handle?.close();
  }
}

function stateReadError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (isMissing(e)) return new AppError('VAULT_CORRUPT', 'The vault state file is missing');
  if (errnoOf(e) === 'EISDIR') return new AppError('VAULT_CORRUPT', 'The vault state is a folder, not a file');
  return new AppError('BAD_INPUT', 'The vault state file cannot be read');
}

/** Reads, opens and parses the state record; VAULT_CORRUPT when it is not one. */
export async function readStateFile(dir: string, ctx: EnvelopeContext): Promise<VaultState> {
  let record: Buffer;
  try {
    record = await readFile(join(dir, STATE_FILE));
  } catch (e) {
    throw stateReadError(e);
  }
  const { generation, body } = openState(ctx, record);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('VAULT_CORRUPT', 'The vault state is not valid JSON');
  } finally {
    body.fill(0);
  }
  const parsed = VaultContentSchema.safeParse(json);
  if (!parsed.success) throw new AppError('VAULT_CORRUPT', 'The vault state does not have the expected shape');
  return { generation, ...parsed.data };
}

/** Seals `body` (the content's JSON) as `generation` and replaces the state file atomically. */
export async function writeStateFile(dir: string, ctx: EnvelopeContext, generation: number, body: Buffer): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), sealState(ctx, generation, body));
}

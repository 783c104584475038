/**
 * Which sessions the person has already seen, per account: `<dataDir>/security.json`, plain JSON (session
 * hashes only, nothing secret), replaced atomically. A session not in the set is "new". The very first
 * look at an account takes every session there as seen: what existed before anyone looked is the
 * baseline, not an alarm. Only the hashes are kept on disk, never the list itself (devices, IPs).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SessionHashSchema, type SessionView } from '../../../common/security';
import { writeFileAtomic } from '../../vault/fs/atomic-write';
import type { TelegramSession } from './sessions-api';

export const SEEN_SESSIONS_FILE = 'security.json';

const FileSchema = z.object({
  version: z.literal(1),
  accounts: z.record(z.string().regex(/^\d+$/), z.object({ seen: z.array(SessionHashSchema).max(10_000) })),
});
type SeenFile = z.infer<typeof FileSchema>;

/** The result of comparing a fresh list with what was seen. */
export interface Marked {
  sessions: SessionView[];
  /** The seen set to keep from now on (a baseline on first look; ended sessions dropped). */
  seen: string[];
}

/**
 * Marks each session new or not. `seen` undefined = the account was never looked at: everything is the
 * baseline. The current session is never new, and the set keeps only hashes still listed (ended
 * sessions never come back), so it does not grow without bound.
 */
export function markNew(list: readonly TelegramSession[], seen: readonly string[] | undefined): Marked {
  const known = new Set(seen ?? list.map((s) => s.hash));
  const sessions = list.map((s) => ({ ...s, new: !s.current && !known.has(s.hash) }));
  const listed = new Set(list.map((s) => s.hash));
  return { sessions, seen: [...known].filter((h) => listed.has(h) && h !== '0') };
}

/** Adds `hashes` to the seen set (the person acknowledged them). */
export function acknowledge(seen: readonly string[], hashes: readonly string[]): string[] {
  return [...new Set([...seen, ...hashes.filter((h) => h !== '0')])];
}

export class SeenSessionsFile {
  readonly path: string;
  /** Writes one at a time, in order (the read-modify-write of one must not lose another's). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, SEEN_SESSIONS_FILE);
  }

  /** Missing or damaged: nothing seen yet (the next look takes a new baseline). */
  private async readAll(): Promise<SeenFile> {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: preferences, not data the app cannot live without
    }
    return { version: 1, accounts: {} };
  }

  async read(userId: number): Promise<string[] | undefined> {
    await this.chain.catch(() => undefined);
    return (await this.readAll()).accounts[String(userId)]?.seen;
  }

  /** Replaces the account's seen set with what `update` makes of it. */
  update(userId: number, update: (seen: string[] | undefined) => string[]): Promise<string[]> {
    const run = this.chain.then(async () => {
      const all = await this.readAll();
      const next = update(all.accounts[String(userId)]?.seen);
      all.accounts[String(userId)] = { seen: next };
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(all, null, 2)}\n`, 'utf8'));
      return next;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/**
 * The encrypted history of Passport requests: round trip, another secret, tampering, a locked vault
 * (reads refused, declines queued until the next unlock), the size bound, concurrent appends, and a
 * real crash test (SIGKILL mid-append, a few dozen times: the file always holds the old or the new list).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { build } from 'esbuild';
import { AppError } from '../../../electron/common/errors';
import { AuthorizationService } from '../../../electron/main/authorization/authorization-service';
import {
  EncryptedHistoryStore,
  HISTORY_FILE,
  MAX_HISTORY_ENTRIES,
  createEncryptedHistoryStore,
  sealHistory,
} from '../../../electron/main/authorization/history-store';
import { SPKI_PEM, jsSdkLink } from '../../support/link-samples';
import { SERVICE_MARK, entries, entryFor } from './history-entries';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pv-history-'));
const isCode = (code: string, reason?: string) => (e: unknown) =>
  e instanceof AppError && e.code === code && (reason === undefined || e.details?.['reason'] === reason);

/** A vault stand-in: the secret while unlocked, null while locked (wiped, like the vault does). */
class FakeVault {
  secret: Buffer | null;
  constructor(readonly bytes: Buffer = randomBytes(32)) {
    this.secret = Buffer.from(bytes);
  }
  lock(): void {
    this.secret?.fill(0);
    this.secret = null;
  }
  unlock(): void {
    this.secret = Buffer.from(this.bytes);
  }
  readonly source = (): Buffer | null => this.secret;
}

describe('EncryptedHistoryStore', () => {
  test('round trip: entries come back in order, from a new instance, and nothing is readable on disk', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = createEncryptedHistoryStore(dir, vault.source);
    assert.deepEqual(await store.list(), [], 'no file yet: an empty history');
    for (const e of entries(1, 4)) await store.append(e);
    assert.deepEqual(await new EncryptedHistoryStore(dir, vault.source).list(), entries(1, 4));
    assert.deepEqual(readdirSync(dir), [HISTORY_FILE], 'one file, no temporary left');
    const raw = readFileSync(join(dir, HISTORY_FILE));
    assert.equal(raw.subarray(0, 4).toString('latin1'), 'PVH1');
    for (const needle of [SERVICE_MARK, 'zorblex_1_bot', 'utility_bill', '543260181']) {
      assert.equal(raw.includes(Buffer.from(needle)), false, `"${needle}" is not on disk in the clear`);
    }
    rmSync(dir, { recursive: true });
  });

  test('every write uses a fresh salt and nonce: the same content never gives the same bytes', () => {
    const secret = randomBytes(32);
    const a = sealHistory(secret, entries(1, 2));
    const b = sealHistory(secret, entries(1, 2));
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a.subarray(5, 21), b.subarray(5, 21), 'salt');
    assert.deepEqual(a.subarray(21, 29), b.subarray(21, 29), 'the key id depends on the secret only');
  });

  test('another passport secret: VAULT_CORRUPT (other_secret); an append keeps the old file aside and starts anew', async () => {
    const dir = tempDir();
    await new EncryptedHistoryStore(dir, new FakeVault().source).append(entryFor(1));
    const before = readFileSync(join(dir, HISTORY_FILE));
    const other = new EncryptedHistoryStore(dir, new FakeVault().source);
    await assert.rejects(other.list(), isCode('VAULT_CORRUPT', 'other_secret'));
    assert.deepEqual(readFileSync(join(dir, HISTORY_FILE)), before, 'a failed read changes nothing');
    await other.append(entryFor(2));
    assert.deepEqual(await other.list(), [entryFor(2)]);
    const aside = readdirSync(dir).filter((n) => n.startsWith('history.unreadable-'));
    assert.equal(aside.length, 1);
    assert.deepEqual(readFileSync(join(dir, aside[0] ?? '')), before, 'the unreadable file is kept, byte for byte');
    rmSync(dir, { recursive: true });
  });

  test('tampering anywhere is detected: VAULT_CORRUPT, never other entries', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = new EncryptedHistoryStore(dir, vault.source);
    for (const e of entries(1, 3)) await store.append(e);
    const path = join(dir, HISTORY_FILE);
    const good = readFileSync(path);
    const flips: { at: number; code: string; reason?: string }[] = [
      { at: 0, code: 'VAULT_CORRUPT', reason: 'integrity' }, // magic
      { at: 4, code: 'UNSUPPORTED_VERSION' }, // format version
      { at: 10, code: 'VAULT_CORRUPT', reason: 'integrity' }, // salt
      { at: 24, code: 'VAULT_CORRUPT', reason: 'other_secret' }, // key id
      { at: 33, code: 'VAULT_CORRUPT', reason: 'integrity' }, // nonce
      { at: 60, code: 'VAULT_CORRUPT', reason: 'integrity' }, // ciphertext
      { at: good.length - 1, code: 'VAULT_CORRUPT', reason: 'integrity' }, // tag
    ];
    for (const f of flips) {
      const bad = Buffer.from(good);
      bad[f.at] = (bad[f.at] ?? 0) ^ 0x01;
      writeFileSync(path, bad);
      await assert.rejects(store.list(), isCode(f.code, f.reason), `byte ${f.at}`);
    }
    for (const cut of [0, 10, 41, good.length - 1]) {
      writeFileSync(path, good.subarray(0, cut));
      await assert.rejects(store.list(), isCode('VAULT_CORRUPT', 'integrity'), `truncated to ${cut}`);
    }
    writeFileSync(path, Buffer.concat([good, Buffer.of(0)]));
    await assert.rejects(store.list(), isCode('VAULT_CORRUPT', 'integrity'), 'a byte appended');
    writeFileSync(path, good);
    assert.deepEqual(await store.list(), entries(1, 3), 'the untouched file still reads');
    rmSync(dir, { recursive: true });
  });

  test('a validly sealed body of the wrong shape is refused too', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const bogus = { ...entryFor(1), outcome: 'stolen' } as unknown as ReturnType<typeof entryFor>;
    writeFileSync(join(dir, HISTORY_FILE), sealHistory(vault.bytes, [bogus]));
    await assert.rejects(new EncryptedHistoryStore(dir, vault.source).list(), isCode('VAULT_CORRUPT', 'integrity'));
    rmSync(dir, { recursive: true });
  });

  test('locked: reading is VAULT_LOCKED; a decline is queued in memory (nothing on disk) and written at the next unlock', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = new EncryptedHistoryStore(dir, vault.source);
    await store.append(entryFor(1));
    const before = readFileSync(join(dir, HISTORY_FILE));
    vault.lock();
    await assert.rejects(store.list(), isCode('VAULT_LOCKED'));
    await store.append(entryFor(5));
    await store.append(entryFor(10));
    assert.equal(store.queuedCount, 2);
    assert.deepEqual(readFileSync(join(dir, HISTORY_FILE)), before, 'nothing written while locked');
    await store.flush();
    assert.equal(store.queuedCount, 2, 'flush while locked keeps the queue');
    vault.unlock();
    assert.deepEqual(await store.list(), [entryFor(1), entryFor(5), entryFor(10)]);
    assert.equal(store.queuedCount, 0);
    assert.deepEqual(await new EncryptedHistoryStore(dir, vault.source).list(), [entryFor(1), entryFor(5), entryFor(10)], 'and they are on disk now');
    rmSync(dir, { recursive: true });
  });

  test('queued entries also go out with the next append, or with flush() on unlock', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = new EncryptedHistoryStore(dir, vault.source);
    vault.lock();
    await store.append(entryFor(1));
    vault.unlock();
    await store.append(entryFor(2));
    assert.deepEqual(await new EncryptedHistoryStore(dir, vault.source).list(), entries(1, 2));
    vault.lock();
    await store.append(entryFor(3));
    vault.unlock();
    await store.flush();
    assert.equal(store.queuedCount, 0);
    assert.deepEqual(await new EncryptedHistoryStore(dir, vault.source).list(), entries(1, 3));
    rmSync(dir, { recursive: true });
  });

  test('a decline through the AuthorizationService while locked lands in the history after unlock', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    vault.lock();
    const history = new EncryptedHistoryStore(dir, vault.source);
    const opened: string[] = [];
    const service = new AuthorizationService({
      telegram: { getForm: () => Promise.reject(new Error('unused')), accept: () => Promise.reject(new Error('unused')) },
      keyring: { decryptSecret: () => Promise.reject(new Error('unused')) },
      history,
      openInBrowser: async (u) => {
        opened.push(u);
      },
      now: () => new Date('2024-05-01T10:00:00Z'),
    });
    const link = jsSdkLink({ bot_id: '543260180', scope: { data: ['passport'], v: 1 }, public_key: SPKI_PEM, nonce: 'n-1', callback_url: 'https://shop.example/done' });
    const { requestId } = service.open(link);
    await service.cancel(requestId);
    assert.equal(opened.length, 1, 'the service was told at once');
    await assert.rejects(service.history(), isCode('VAULT_LOCKED'));
    vault.unlock();
    const [entry, ...rest] = await service.history();
    assert.deepEqual(rest, []);
    assert.equal(entry?.outcome, 'declined');
    assert.equal(entry?.botId, '543260180');
    assert.equal(entry?.at, '2024-05-01T10:00:00.000Z');
    rmSync(dir, { recursive: true });
  });

  test('bounded: only the last maxEntries are kept, the queue too', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = new EncryptedHistoryStore(dir, vault.source, { maxEntries: 5 });
    for (const e of entries(1, 8)) await store.append(e);
    assert.deepEqual(await store.list(), entries(4, 8));
    vault.lock();
    for (const e of entries(9, 20)) await store.append(e);
    assert.equal(store.queuedCount, 5);
    vault.unlock();
    assert.deepEqual(await store.list(), entries(16, 20));
    rmSync(dir, { recursive: true });
  });

  test(`bounded by default at ${MAX_HISTORY_ENTRIES} entries`, async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    // Seed one over the bound directly, then one append must trim to the bound.
    writeFileSync(join(dir, HISTORY_FILE), sealHistory(vault.bytes, entries(1, MAX_HISTORY_ENTRIES + 1)));
    const store = new EncryptedHistoryStore(dir, vault.source);
    await store.append(entryFor(MAX_HISTORY_ENTRIES + 2));
    const kept = await store.list();
    assert.equal(kept.length, MAX_HISTORY_ENTRIES);
    assert.deepEqual(kept[0], entryFor(3));
    assert.deepEqual(kept.at(-1), entryFor(MAX_HISTORY_ENTRIES + 2));
    rmSync(dir, { recursive: true });
  });

  test('concurrent appends are serialised: none is lost', async () => {
    const dir = tempDir();
    const vault = new FakeVault();
    const store = new EncryptedHistoryStore(dir, vault.source);
    await Promise.all(entries(1, 20).map((e) => store.append(e)));
    const got = await store.list();
    assert.deepEqual(
      got.map((e) => e.botId).sort(),
      entries(1, 20)
        .map((e) => e.botId)
        .sort(),
    );
    rmSync(dir, { recursive: true });
  });

  test('removes its own stale temporary files only (the directory may be the vault’s)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, `.${HISTORY_FILE}.0123456789ab.tmp`), 'half');
    writeFileSync(join(dir, '.state.0123456789ab.tmp'), 'the vault’s');
    await new EncryptedHistoryStore(dir, new FakeVault().source).list();
    assert.deepEqual(readdirSync(dir), ['.state.0123456789ab.tmp']);
    rmSync(dir, { recursive: true });
  });

  test('creates its directory when it first writes', async () => {
    const dir = join(tempDir(), 'not', 'yet');
    const store = new EncryptedHistoryStore(dir, new FakeVault().source);
    assert.deepEqual(await store.list(), []);
    await store.append(entryFor(1));
    assert.ok(existsSync(join(dir, HISTORY_FILE)));
  });
});

const KILLS = Number(process.env.PV_HISTORY_KILLS ?? 40);

function runAndKill(bundle: string, dir: string, secretHex: string, afterOpenMs: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HISTORY_SECRET: secretHex } });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (timer === undefined && out.includes('open ')) timer = setTimeout(() => child.kill('SIGKILL'), afterOpenMs);
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ lines: out.split('\n').filter((l) => l !== ''), signal });
    });
  });
}

test(`SIGKILL mid-append, ${KILLS} times: the history always reads as the old or the new list`, { timeout: 120_000 }, async (t) => {
  const work = tempDir();
  const bundle = join(work, 'child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'history-crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  const dir = join(work, 'history');
  const secret = randomBytes(32);
  const store = (): EncryptedHistoryStore => new EncryptedHistoryStore(dir, () => secret, { maxEntries: 1_000_000 });
  let known = 0;
  let midOld = 0;
  let midNew = 0;
  for (let i = 0; i < KILLS; i++) {
    const { lines, signal } = await runAndKill(bundle, dir, secret.toString('hex'), Math.random() * 40);
    assert.equal(signal, 'SIGKILL', `kill ${i}: killed, not finished or crashed`);
    const done = Math.max(known, ...lines.filter((l) => l.startsWith('done ')).map((l) => Number(l.slice(5))));
    const begun = Math.max(0, ...lines.filter((l) => l.startsWith('begin ')).map((l) => Number(l.slice(6))));
    const got = await store().list();
    const allowed = begun === done + 1 ? [done, begun] : [done];
    assert.ok(allowed.includes(got.length), `kill ${i}: ${got.length} entries, expected one of ${allowed.join(', ')}`);
    assert.deepEqual(got, entries(1, got.length), `kill ${i}: exactly entries 1..${got.length}`);
    if (begun === done + 1) {
      if (got.length === done) midOld++;
      else midNew++;
    }
    known = got.length;
  }
  const files = readdirSync(dir).filter((n) => n !== HISTORY_FILE);
  await store().list(); // a fresh store removes what a kill left behind
  assert.deepEqual(readdirSync(dir), [HISTORY_FILE], `left after the last kill: ${files.join(', ') || 'nothing'}, then cleaned`);
  t.diagnostic(`${KILLS} kills, ${known} entries; mid-append kills: ${midOld} kept the old list, ${midNew} the new`);
  assert.ok(midOld + midNew >= KILLS / 3, 'many kills landed inside an append');
  rmSync(work, { recursive: true, force: true });
});

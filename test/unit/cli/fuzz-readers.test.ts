/**
 * A fuzz suite over every reader of the command line (issue #21): backup files (`backup inspect`,
 * `backup import`), vault files (vault.json, state, blobs, through `local list` / `local get`),
 * `decrypt-passport-data` (--key, --in, stdin) and `open` (sealed files). Each input is mutated by
 * truncation at many offsets, bit flips, random bytes, huge lengths, wrong file types (directory,
 * /dev/zero, FIFO, empty) and huge or mistyped fields, from one fixed seed, a bounded number of times.
 *
 * Most cases go through `run()` in this process (the function the process calls) for volume; the
 * file-type cases and the largest input also run as the real process (cli-process.ts), whose peak
 * RSS is read from /proc/<pid>/status. Every outcome is classified:
 *   coded        a coded error: the error JSON on stderr, exit 2/3/4 (code and exit counted)
 *   correct      success, with exactly the right data (or, for decrypt, a part of it the input still names)
 *   INTERNAL     exit 1 / code INTERNAL                                     → failure
 *   WRONG_DATA   success with data that differs from the original           → failure
 *   DATA_LOSS    a read-only command changed a file of the vault, or putting the damaged file back
 *                does not give the vault back                              → failure
 *   UNEXPECTED   (store-side cases) not the outcome #21 asks for, e.g. KEYCHAIN_UNAVAILABLE for an
 *                edited `sealing`, or a value without files unreadable for a missing blob → failure
 *   CRASH        no exit code, a timeout, memory over the bound, output that is not the CLI's contract → failure
 *
 * Cases of the vault folder itself (a `state` that is a directory, `blobs/` missing or a file, a blob
 * that is a directory, an edited `sealing`, an older `state` put back, a missing blob for a value
 * without files) are labelled STORE-SIDE and checked in their own test.
 *
 * The mutation plan (offsets, bits, bytes) comes from one seed; the fixtures are encrypted with fresh
 * keys, salts and nonces each run, so the counts per error code can move by a few between runs.
 * The failure classes must be 0 on every run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealFile } from '../../../electron/main/passport/crypto/file-encryption';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { filesOf } from '../../../electron/main/vault/store/state';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { rng } from '../../support/scan-fixtures/mrz-compose';
import { fakeScan } from '../vault/samples';
import { cli, here, type Run } from './cli-process';
import { deeplyNestedJson, passportDataFixture } from './passport-data-fixture';

const SEED = 0x21f022;
/** The bound on a spawned reader's peak RSS, for any input up to the largest one accepted. */
const MAX_RSS_KIB = 768 * 1024;

const rand = rng(SEED); // mulberry32: every run mutates the same offsets
const int = (n: number): number => Math.floor(rand() * n);

// ---------------------------------------------------------------------------------------------
// Outcomes

type Class = 'coded' | 'correct' | 'INTERNAL' | 'WRONG_DATA' | 'DATA_LOSS' | 'UNEXPECTED' | 'CRASH';
const FAILURES: readonly Class[] = ['INTERNAL', 'WRONG_DATA', 'DATA_LOSS', 'UNEXPECTED', 'CRASH'];

interface Outcome {
  target: string;
  mutation: string;
  cls: Class;
  /** `CODE/exit` for coded errors, a short reason for failures. */
  detail: string;
  storeSide: boolean;
}

const outcomes: Outcome[] = [];

/**
 * Classifies one run. `correct(json)` says whether a success printed the right data.
 * The CLI's contract: success = exit 0 and one JSON line on stdout, nothing on stderr; failure = nothing
 * on stdout and one `{"error":{"code","message"}}` line on stderr.
 */
function classify(r: Run, correct: (json: Record<string, unknown>) => boolean): { cls: Class; detail: string } {
  if (r.timedOut === true) return { cls: 'CRASH', detail: 'timeout' };
  if (r.rssExceeded === true) return { cls: 'CRASH', detail: `peak RSS over ${MAX_RSS_KIB} KiB` };
  if (r.code === 0) {
    let json: Record<string, unknown>;
    try {
      const lines = r.stdout.trimEnd().split('\n');
      if (lines.length !== 1 || r.stderr !== '') return { cls: 'CRASH', detail: 'success output is not one JSON line' };
      json = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    } catch {
      return { cls: 'CRASH', detail: 'stdout is not JSON' };
    }
    return correct(json) ? { cls: 'correct', detail: 'ok' } : { cls: 'WRONG_DATA', detail: r.stdout.slice(0, 200) };
  }
  let code: unknown;
  try {
    const lines = r.stderr.trimEnd().split('\n');
    if (lines.length !== 1 || r.stdout !== '') return { cls: 'CRASH', detail: `not the error contract: ${r.stderr.slice(0, 200)}` };
    code = (JSON.parse(lines[0] ?? '') as { error: { code: unknown } }).error.code;
  } catch {
    return { cls: 'CRASH', detail: `stderr is not the error JSON: ${r.stderr.slice(0, 200)}` };
  }
  if (code === 'INTERNAL' || r.code === 1) return { cls: 'INTERNAL', detail: `${String(code)}/${r.code}` };
  if (typeof code !== 'string' || r.code === null || r.code < 2 || r.code > 4) return { cls: 'CRASH', detail: `exit ${r.code}` };
  return { cls: 'coded', detail: `${code}/${r.code}` };
}

function record(target: string, mutation: string, r: Run, correct: (json: Record<string, unknown>) => boolean, storeSide = false): Class {
  const { cls, detail } = classify(r, correct);
  outcomes.push({ target, mutation, cls, detail, storeSide });
  return cls;
}

const same = (a: unknown, b: unknown): boolean => {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// Mutations of bytes

interface Mutant {
  name: string;
  bytes: Buffer;
}

/** Truncations at `cuts` offsets spread over the file (plus 0, 1 and length - 1), flips, random slices, huge lengths. */
function mutants(original: Buffer, { cuts, flips, slices, lengths }: { cuts: number; flips: number; slices: number; lengths: number }): Mutant[] {
  const n = original.length;
  const out: Mutant[] = [];
  const offsets = new Set([0, 1, n - 1]);
  for (let i = 1; i <= cuts; i++) offsets.add(Math.floor((n * i) / (cuts + 1)) + int(16) - 8);
  for (const at of [...offsets].filter((o) => o >= 0 && o < n).sort((a, b) => a - b)) out.push({ name: `truncate@${at}`, bytes: original.subarray(0, at) });
  for (let i = 0; i < flips; i++) {
    // Half of them in the first 512 bytes, where the headers and lengths are.
    const at = i % 2 === 0 ? int(Math.min(n, 512)) : int(n);
    const b = Buffer.from(original);
    b[at] = (b[at] ?? 0) ^ (1 << int(8));
    out.push({ name: `flip@${at}`, bytes: b });
  }
  for (let i = 0; i < slices; i++) {
    const at = int(n);
    const len = 1 + int(64);
    const b = Buffer.from(original);
    for (let j = at; j < Math.min(n, at + len); j++) b[j] = int(256);
    out.push({ name: `random[${at},+${len}]`, bytes: b });
  }
  out.push({ name: 'all random', bytes: Buffer.from(Array.from({ length: n }, () => int(256))) });
  for (let i = 0; i < lengths; i++) {
    // A 32-bit length field (anywhere in the first 64 bytes) set to the largest value.
    const at = Math.min(n - 4, int(16) * 4);
    if (at < 0) break;
    const b = Buffer.from(original);
    b.writeUInt32BE(0xffff_ffff, at);
    out.push({ name: `u32max@${at}`, bytes: b });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: a vault with values and scans, its backup, a sealed scan, a PassportData

let root = '';
let fifo = '';
let pw = '';
let vault = '';
let backup = '';
let typesWithFiles: string[] = [];
/** `state` as it was before the utility bill and its two scans were added. */
let olderState = Buffer.alloc(0);
const TYPES = ['personal_details', 'passport', 'utility_bill', 'email'];
/** What `local list` and `local get --type T` print for the undamaged vault. */
let listed: Record<string, unknown> = {};
const got: Record<string, Record<string, unknown>> = {};
let inspected: Record<string, unknown> = {};
/** Which value (type) each blob of the fixture vault belongs to: a damaged blob must be marked on that value only. */
const ownerOfBlob = new Map<string, string>();

const mustOk = (r: Run): Record<string, unknown> => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};
const vaultArgs = (dir: string): string[] => ['--vault-dir', dir, '--keychain', 'none'];
const getArgs = (dir: string, type: string): string[] => ['local', 'get', ...vaultArgs(dir), '--password-file', pw, '--type', type];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'pv-fuzz-'));
  fifo = join(root, 'fifo');
  execFileSync('mkfifo', [fifo], { timeout: 10_000 });
  mkdirSync(join(root, 'a-directory'));
  writeFileSync(join(root, 'empty'), '');
  pw = join(root, 'pw');
  writeFileSync(pw, 'fuzz password\n');
  vault = join(root, 'vault');
  const file = (name: string, bytes: Buffer | string): string => {
    const p = join(root, name);
    writeFileSync(p, bytes);
    return p;
  };
  mustOk(await here(['local', 'init', ...vaultArgs(vault), '--password-file', pw]));
  const details = file('details.json', JSON.stringify({ first_name: 'Fuzz', last_name: 'Tester', birth_date: '01.02.1990', gender: 'female', country_code: 'DE', residence_country_code: 'DE' }));
  mustOk(await here(['local', 'set', ...vaultArgs(vault), '--password-file', pw, '--type', 'personal_details', '--data-file', details]));
  const doc = file('passport.json', JSON.stringify({ document_no: 'X1234567', expiry_date: '' }));
  mustOk(await here(['local', 'set', ...vaultArgs(vault), '--password-file', pw, '--type', 'passport', '--data-file', doc, '--front-side', file('front.jpg', fakeScan(20_000)), '--selfie', file('selfie.jpg', fakeScan(9_000))]));
  olderState = readFileSync(join(vault, 'state'));
  mustOk(await here(['local', 'set', ...vaultArgs(vault), '--password-file', pw, '--type', 'utility_bill', '--file', file('bill1.jpg', fakeScan(7_000)), '--file', file('bill2.jpg', fakeScan(5_000))]));
  mustOk(await here(['local', 'set', ...vaultArgs(vault), '--password-file', pw, '--type', 'email', '--plain', 'fuzz@example.org']));
  typesWithFiles = ['passport', 'utility_bill'];
  listed = mustOk(await here(['local', 'list', ...vaultArgs(vault)]));
  const store = await VaultStore.open(vault, null); // keyless (--keychain none): readable without a key
  for (const v of store.state.values) for (const f of filesOf(v)) ownerOfBlob.set(f.blob, v.type);
  store.close();
  for (const t of TYPES) got[t] = mustOk(await here(getArgs(vault, t)));
  backup = join(root, 'fixture.pvbackup');
  mustOk(await here(['backup', 'export', ...vaultArgs(vault), '--password-file', pw, '--out', backup]));
  inspected = mustOk(await here(['backup', 'inspect', '--in', backup]));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** The wrong kinds of file, for any path option. */
const wrongTypes = (): { name: string; path: string }[] => [
  { name: 'directory', path: join(root, 'a-directory') },
  { name: '/dev/zero', path: '/dev/zero' },
  { name: 'FIFO', path: fifo },
  { name: 'empty', path: join(root, 'empty') },
];

let caseNo = 0;
const writeCase = (bytes: Buffer): string => {
  const p = join(root, `case-${++caseNo}`);
  writeFileSync(p, bytes);
  return p;
};
/** A sparse file of `size` bytes: huge, instantly, without using the disk. */
const sparseCase = (size: number): string => {
  const p = join(root, `sparse-${++caseNo}`);
  writeFileSync(p, '');
  truncateSync(p, size);
  return p;
};

// ---------------------------------------------------------------------------------------------
// The vault: every read-only command on a damaged copy, then the damage undone: the vault must be whole

/** True when `dir` lists and reads exactly like the original vault. */
async function vaultIsWhole(dir: string): Promise<boolean> {
  const l = await here(['local', 'list', ...vaultArgs(dir)]);
  if (l.code !== 0 || !same(JSON.parse(l.stdout), listed)) return false;
  for (const t of typesWithFiles) {
    const r = await here(getArgs(dir, t));
    if (r.code !== 0 || !same(JSON.parse(r.stdout), got[t])) return false;
  }
  return true;
}

/** Every file under `dir` with its bytes' SHA-256 (directories as such): what a read must leave alone. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = join(entry.parentPath, entry.name);
    out[p.slice(dir.length)] = entry.isDirectory() ? 'dir' : entry.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'other';
  }
  return out;
}

interface VaultCase {
  mutation: string;
  /** Damages the copy; returns how to undo it (null: nothing to undo, e.g. the damage is the test). */
  damage: (dir: string) => (() => void) | null;
  storeSide?: boolean;
  /** The blob this case damages, if one: `local list` may then mark its value (and only that one) damaged. */
  blob?: string;
  /** Store-side cases: what #21 asks for, per command ('correct', or the exit code of a coded error). */
  expect?: Record<string, 'correct' | number>;
}

let wholeChecks = 0;

const withoutDamage = (v: unknown): unknown => {
  const { damaged: _, ...rest } = v as Record<string, unknown>;
  return rest;
};

/**
 * Damage stays local: the listing is the original one, except that the value owning `blob` says it is
 * damaged (a non-empty `damaged`) — no other value, and nothing else changed.
 */
function damageMarkedOn(json: Record<string, unknown>, blob: string | undefined): boolean {
  const owner = blob === undefined ? undefined : ownerOfBlob.get(blob);
  if (owner === undefined) return false;
  const values = json['values'] as Record<string, unknown>[] | undefined;
  const originals = listed['values'] as Record<string, unknown>[];
  if (!Array.isArray(values) || values.length !== originals.length) return false;
  if (!same({ ...json, values: [] }, { ...listed, values: [] })) return false;
  return values.every((v, i) => {
    const o = originals[i];
    if (v['type'] !== owner) return same(v, o);
    const damaged = v['damaged'];
    return Array.isArray(damaged) && damaged.length > 0 && same(withoutDamage(v), withoutDamage(o));
  });
}

/** `commands`: 'list', or a type to `local get`. */
async function runVaultCase(c: VaultCase, commands: string[]): Promise<void> {
  const dir = join(root, `vault-case-${++caseNo}`);
  cpSync(vault, dir, { recursive: true });
  const undo = c.damage(dir);
  const before = tree(dir);
  for (const command of commands) {
    const r = command === 'list' ? await here(['local', 'list', ...vaultArgs(dir)]) : await here(getArgs(dir, command));
    const cls = record(command === 'list' ? 'vault: local list' : 'vault: local get', `${c.mutation} (${command})`, r, (json) => (command === 'list' ? same(json, listed) || damageMarkedOn(json, c.blob) : same(json, got[command])), c.storeSide === true);
    const want = c.expect?.[command];
    const last = outcomes.at(-1);
    if (want !== undefined && last !== undefined && !FAILURES.includes(cls) && (want === 'correct' ? cls !== 'correct' : r.code !== want)) {
      Object.assign(last, { cls: 'UNEXPECTED', detail: `wanted ${want}, got ${last.detail}` });
    }
  }
  const changed = JSON.stringify(tree(dir)) !== JSON.stringify(before);
  outcomes.push({ target: 'vault: reads change no file', mutation: c.mutation, cls: changed ? 'DATA_LOSS' : 'correct', detail: changed ? 'a read-only command changed or deleted files' : 'ok', storeSide: c.storeSide === true });
  if (undo !== null && (c.storeSide === true || ++wholeChecks % 4 === 0)) {
    undo();
    if (!(await vaultIsWhole(dir))) outcomes.push({ target: 'vault: reads delete nothing', mutation: c.mutation, cls: 'DATA_LOSS', detail: 'the undamaged file put back does not give the vault back', storeSide: c.storeSide === true });
    else outcomes.push({ target: 'vault: reads delete nothing', mutation: c.mutation, cls: 'correct', detail: 'ok', storeSide: c.storeSide === true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Replaces `name` in the vault copy with `bytes`; the undo puts the original back. */
function replaceFile(name: string, bytes: Buffer): VaultCase['damage'] {
  return (dir) => {
    const p = join(dir, name);
    const original = readFileSync(p);
    writeFileSync(p, bytes);
    return () => writeFileSync(p, original);
  };
}

function blobNames(): string[] {
  return readdirSync(join(vault, 'blobs'));
}

function vaultCases(): { readers: VaultCase[]; storeSide: VaultCase[] } {
  const readers: VaultCase[] = [];
  for (const name of ['vault.json', 'state']) {
    const original = readFileSync(join(vault, name));
    const m = mutants(original, { cuts: 8, flips: 10, slices: 3, lengths: 2 });
    for (const x of m) readers.push({ mutation: `${name}: ${x.name}`, damage: replaceFile(name, x.bytes) });
    readers.push({ mutation: `${name}: 1 MiB of junk appended`, damage: replaceFile(name, Buffer.concat([original, Buffer.alloc(1 << 20, 0x7b)])) });
    readers.push({ mutation: `${name}: empty`, damage: replaceFile(name, Buffer.alloc(0)) });
  }
  const vaultJson = JSON.parse(readFileSync(join(vault, 'vault.json'), 'utf8')) as Record<string, unknown>;
  for (const [field, value] of [['version', 99], ['version', '1'], ['vaultId', 'A'.repeat(9_000_000)], ['vaultId', null], ['extra', { deep: JSON.parse(deeplyNestedJson(60)) as unknown }]] as const) {
    readers.push({ mutation: `vault.json: ${field} = ${JSON.stringify(value)?.slice(0, 20)}`, damage: replaceFile('vault.json', Buffer.from(JSON.stringify({ ...vaultJson, [field]: value }))) });
  }
  readers.push({ mutation: 'vault.json: 100k-deep nesting', damage: replaceFile('vault.json', Buffer.from(`{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)) });
  for (const blob of blobNames().slice(0, 2)) {
    const original = readFileSync(join(vault, 'blobs', blob));
    for (const x of mutants(original, { cuts: 2, flips: 3, slices: 1, lengths: 1 })) readers.push({ mutation: `blob: ${x.name}`, blob, damage: replaceFile(join('blobs', blob), x.bytes) });
  }

  const blob = blobNames()[0] ?? '';
  const pending: VaultCase[] = [
    {
      mutation: 'state is a directory',
      damage: (dir) => {
        rmSync(join(dir, 'state'));
        mkdirSync(join(dir, 'state'));
        return null;
      },
    },
    { mutation: 'blobs/ missing', damage: (dir) => (rmSync(join(dir, 'blobs'), { recursive: true }), null) },
    {
      mutation: 'blobs/ is a file',
      damage: (dir) => {
        rmSync(join(dir, 'blobs'), { recursive: true });
        writeFileSync(join(dir, 'blobs'), 'x');
        return null;
      },
    },
    {
      mutation: 'a blob is a directory',
      blob,
      damage: (dir) => {
        rmSync(join(dir, 'blobs', blob));
        mkdirSync(join(dir, 'blobs', blob));
        return null;
      },
    },
    {
      mutation: 'one blob deleted',
      blob,
      // Damage stays local: the vault lists, a value without files reads, the value with the blob fails (integrity).
      expect: { list: 'correct', personal_details: 'correct' },
      damage: (dir) => {
        const p = join(dir, 'blobs', blob);
        const original = readFileSync(p);
        rmSync(p);
        return () => writeFileSync(p, original);
      },
    },
    {
      mutation: 'vault.json sealing edited',
      expect: { list: 3, personal_details: 3, passport: 3, utility_bill: 3 },
      damage: (dir) => {
        const p = join(dir, 'vault.json');
        const original = readFileSync(p);
        const json = JSON.parse(original.toString('utf8')) as Record<string, unknown>;
        writeFileSync(p, JSON.stringify({ ...json, sealing: json['sealing'] === 'none' ? 'aes-256-gcm' : 'none' }));
        return () => writeFileSync(p, original);
      },
    },
    {
      mutation: 'an older state put back (rollback)',
      damage: (dir) => {
        const p = join(dir, 'state');
        const current = readFileSync(p);
        writeFileSync(p, olderState);
        return () => writeFileSync(p, current);
      },
    },
  ];
  return { readers, storeSide: pending.map((c) => ({ ...c, storeSide: true })) };
}

// ---------------------------------------------------------------------------------------------
// The tests

function report(title: string, list: readonly Outcome[]): void {
  const byTarget = new Map<string, Map<string, number>>();
  for (const o of list) {
    const m = byTarget.get(o.target) ?? new Map<string, number>();
    const key = o.cls === 'coded' ? `coded ${o.detail}` : o.cls;
    m.set(key, (m.get(key) ?? 0) + 1);
    byTarget.set(o.target, m);
  }
  const totals = new Map<Class, number>();
  for (const o of list) totals.set(o.cls, (totals.get(o.cls) ?? 0) + 1);
  console.log(`\n=== ${title}: ${list.length} cases — ${[...totals].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [target, m] of byTarget) console.log(`  ${target}: ${[...m].sort().map(([k, v]) => `${k}×${v}`).join(', ')}`);
  for (const o of list.filter((x) => FAILURES.includes(x.cls))) console.log(`  FAIL ${o.cls} ${o.target} / ${o.mutation}: ${o.detail}`);
}

const failuresIn = (list: readonly Outcome[]): string[] => list.filter((o) => FAILURES.includes(o.cls)).map((o) => `${o.cls} ${o.target} / ${o.mutation}: ${o.detail}`);

describe('fuzz: every reader of the CLI', () => {
  test('backup files: inspect and import', { timeout: 300_000 }, async () => {
    const original = readFileSync(backup);
    const all = mutants(original, { cuts: 24, flips: 30, slices: 8, lengths: 6 });
    // The header is not encrypted, but it carries a checksum (format.ts, version 2): inspect refuses a changed one too.
    for (const m of all) {
      const p = writeCase(m.bytes);
      record('backup inspect', m.name, await here(['backup', 'inspect', '--in', p]), (json) => same(json, inspected));
    }
    // Import costs a key derivation each: a spread of the mutants, not all of them.
    const imports = all.filter((_, i) => i % 4 === 0);
    for (const m of imports) {
      const p = writeCase(m.bytes);
      const into = join(root, `import-${++caseNo}`);
      const r = await here(['backup', 'import', '--in', p, '--vault-dir', into, '--password-file', pw, '--keychain', 'none']);
      const cls = record('backup import', m.name, r, () => true);
      if (cls === 'correct') {
        // Success must mean exactly the original Passport.
        const whole = await vaultIsWhole(into);
        const last = outcomes.at(-1);
        if (!whole && last !== undefined) Object.assign(last, { cls: 'WRONG_DATA', detail: 'imported vault differs from the original' });
      }
    }
    for (const w of wrongTypes()) {
      record('backup inspect', w.name, await here(['backup', 'inspect', '--in', w.path]), () => false);
      record('backup import', w.name, await here(['backup', 'import', '--in', w.path, '--vault-dir', join(root, `import-${++caseNo}`), '--password-file', pw, '--keychain', 'none']), () => false);
    }
    record('backup inspect', 'sparse 100 GiB', await here(['backup', 'inspect', '--in', sparseCase(100 * 1024 ** 3)]), () => false);
    record('backup inspect', 'header length field u32max + 1 MiB junk', await here(['backup', 'inspect', '--in', writeCase(Buffer.concat([original.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(1 << 20, 0x41)]))]), () => false);
    const mine = outcomes.filter((o) => o.target.startsWith('backup'));
    report('backup files', mine);
    assert.deepEqual(failuresIn(mine), []);
  });

  test('vault files: local list / local get on damaged copies; reads delete nothing', { timeout: 300_000 }, async () => {
    const { readers } = vaultCases();
    for (const [i, c] of readers.entries()) {
      // list every time (no key derivation); get for a spread of cases, by turns a value with and without files.
      const commands = i % 3 === 0 ? ['list', TYPES[i % TYPES.length] ?? 'passport'] : ['list'];
      await runVaultCase(c, commands);
    }
    const mine = outcomes.filter((o) => o.target.startsWith('vault') && !o.storeSide);
    report('vault files (reader side)', mine);
    assert.deepEqual(failuresIn(mine), []);
  });

  test('vault files: STORE-SIDE cases (state a directory, blobs/ missing or a file, blob a directory, blob deleted, sealing edited)', { timeout: 300_000 }, async () => {
    const { storeSide } = vaultCases();
    for (const c of storeSide) await runVaultCase(c, ['list', 'personal_details', ...typesWithFiles]);
    const mine = outcomes.filter((o) => o.storeSide);
    report('vault files (STORE-SIDE, wt-store)', mine);
    assert.deepEqual(failuresIn(mine), []);
  });

  test('decrypt-passport-data: every input', { timeout: 300_000 }, async () => {
    const f = passportDataFixture(JSON.stringify({ first_name: 'Fuzz', last_name: 'Tester' }), true);
    const key = writeCase(Buffer.from(f.privateKeyPem));
    const text = JSON.stringify(f.passportData);
    const expected = mustOk(await here(['decrypt-passport-data', '--key', key], text));
    const expectedElements = expected['elements'] as Record<string, unknown>[];
    /** Success is right when the credentials are the original's and every element is an original one, or a part of it. */
    const right = (json: Record<string, unknown>): boolean =>
      same(json['credentials'], expected['credentials']) &&
      Array.isArray(json['elements']) &&
      (json['elements'] as Record<string, unknown>[]).every((e) => {
        const o = expectedElements.find((x) => x['type'] === e['type']);
        return o !== undefined && Object.entries(e).every(([k, v]) => same(v, o[k]));
      });
    const textBytes = Buffer.from(text);
    for (const m of mutants(textBytes, { cuts: 30, flips: 60, slices: 15, lengths: 0 })) {
      record('decrypt-passport-data', `input ${m.name}`, await here(['decrypt-passport-data', '--key', key], m.bytes), right);
    }
    for (const m of mutants(Buffer.from(f.privateKeyPem), { cuts: 8, flips: 12, slices: 4, lengths: 0 })) {
      record('decrypt-passport-data', `key ${m.name}`, await here(['decrypt-passport-data', '--key', writeCase(m.bytes)], text), right);
    }
    // Fields of the wrong type or absurd size, one at a time.
    const fields: [string, (pd: typeof f.passportData, v: unknown) => void][] = [
      ['credentials.data', (pd, v) => ((pd.credentials as Record<string, unknown>)['data'] = v)],
      ['credentials.secret', (pd, v) => ((pd.credentials as Record<string, unknown>)['secret'] = v)],
      ['credentials', (pd, v) => ((pd as Record<string, unknown>)['credentials'] = v)],
      ['data', (pd, v) => ((pd as Record<string, unknown>)['data'] = v)],
      ['data[0].data', (pd, v) => (pd.data[0] !== undefined ? (pd.data[0]['data'] = v) : undefined)],
      ['data[0].type', (pd, v) => (pd.data[0] !== undefined ? (pd.data[0]['type'] = v) : undefined)],
      ['data[1].front_side', (pd, v) => (pd.data[1] !== undefined ? (pd.data[1]['front_side'] = v) : undefined)],
    ];
    const values: [string, unknown][] = [
      ['null', null],
      ['number', 12],
      ['array', []],
      ['object', {}],
      ['"AAAA"', 'AAAA'],
      ['8M base64 chars', 'A'.repeat(8_000_000)],
      ['8M chars, bad at the end', `${'A'.repeat(8_000_000)}A-A=`],
    ];
    for (const [field, set] of fields) {
      for (const [label, v] of values) {
        const pd = structuredClone(f.passportData);
        set(pd, v);
        record('decrypt-passport-data', `${field} = ${label}`, await here(['decrypt-passport-data', '--key', key], JSON.stringify(pd)), right);
      }
    }
    for (const depth of [65, 1000, 100_000]) {
      const g = passportDataFixture(deeplyNestedJson(depth));
      record('decrypt-passport-data', `decrypted data nested ${depth} deep`, await here(['decrypt-passport-data', '--key', writeCase(Buffer.from(g.privateKeyPem))], JSON.stringify(g.passportData)), () => false);
    }
    record('decrypt-passport-data', 'input nested 100k deep', await here(['decrypt-passport-data', '--key', key], `{"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), () => false);
    record('decrypt-passport-data', 'a Message with passport_data nested 100k deep', await here(['decrypt-passport-data', '--key', key], `{"passport_data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), () => false);
    for (const w of wrongTypes()) {
      record('decrypt-passport-data', `--key ${w.name}`, await here(['decrypt-passport-data', '--key', w.path], text), right);
      record('decrypt-passport-data', `--in ${w.name}`, await here(['decrypt-passport-data', '--key', key, '--in', w.path]), right);
    }
    record('decrypt-passport-data', '--in sparse 40 MiB', await here(['decrypt-passport-data', '--key', key, '--in', sparseCase(40 << 20)]), right);
    record('decrypt-passport-data', 'stdin 33 MiB', await here(['decrypt-passport-data', '--key', key], Buffer.alloc(33 << 20, 0x20)), right);
    const mine = outcomes.filter((o) => o.target === 'decrypt-passport-data');
    report('decrypt-passport-data', mine);
    assert.deepEqual(failuresIn(mine), []);
  });

  test('open: sealed files', { timeout: 300_000 }, async () => {
    const plain = fakeScan(70_000);
    const plainPath = writeCase(plain);
    const secret = generateSecret();
    const sealed = join(root, 'sealed.enc');
    const hash = sealFile(plainPath, sealed, secret);
    const args = (inPath: string, out: string): string[] => ['open', '--secret', secret.toString('base64'), '--hash', hash.toString('base64'), '--in', inPath, '--out', out];
    const opened = (out: string) => (): boolean => existsSync(out) && readFileSync(out).equals(plain);
    for (const m of mutants(readFileSync(sealed), { cuts: 16, flips: 30, slices: 8, lengths: 4 })) {
      const out = join(root, `opened-${++caseNo}`);
      record('open', m.name, await here(args(writeCase(m.bytes), out)), opened(out));
    }
    for (const w of wrongTypes()) {
      const out = join(root, `opened-${++caseNo}`);
      record('open', `--in ${w.name}`, await here(args(w.path, out)), opened(out));
      // An existing empty regular file is a fine target (replaced); the other kinds are refused.
      const target = w.name === 'empty' ? writeCase(Buffer.alloc(0)) : w.path;
      record('open', `--out ${w.name}`, await here(args(sealed, target)), () => w.name === 'empty' && readFileSync(target).equals(plain));
    }
    record('open', '--in sparse 3 GiB', await here(args(sparseCase(3 * 1024 ** 3), join(root, 'never'))), () => false);
    const mine = outcomes.filter((o) => o.target === 'open');
    report('open', mine);
    assert.deepEqual(failuresIn(mine), []);
  });

  test('the real process: wrong file types for each reader, and peak RSS on the largest input', { timeout: 300_000 }, async () => {
    const f = passportDataFixture(JSON.stringify({ first_name: 'Fuzz' }));
    const key = writeCase(Buffer.from(f.privateKeyPem));
    const text = writeCase(Buffer.from(JSON.stringify(f.passportData)));
    const spawnOpts = { timeoutMs: 90_000, maxRssKiB: MAX_RSS_KIB };
    const spawned: { name: string; args: string[]; stdin?: { file: string } }[] = [];
    for (const w of wrongTypes().slice(0, 3)) spawned.push({ name: `decrypt --key ${w.name}`, args: ['decrypt-passport-data', '--key', w.path, '--in', text] });
    spawned.push({ name: 'backup inspect --in directory', args: ['backup', 'inspect', '--in', join(root, 'a-directory')] });
    spawned.push({ name: 'decrypt stdin /dev/zero', args: ['decrypt-passport-data', '--key', key], stdin: { file: '/dev/zero' } });
    // The largest input accepted: a PassportData just under the 32 MiB limit (a 23M-character base64 field).
    const big = passportDataFixture(JSON.stringify({ first_name: 'B'.repeat(17_500_000) }));
    const bigKey = writeCase(Buffer.from(big.privateKeyPem));
    const bigText = writeCase(Buffer.from(JSON.stringify(big.passportData)));
    const bigSize = readFileSync(bigText).length;
    assert.ok(bigSize > 23_000_000 && bigSize < 32 << 20, `${bigSize}`);
    // Two at a time (two cores); the largest input alone, so its peak is its own.
    for (let i = 0; i < spawned.length; i += 2) {
      const pair = spawned.slice(i, i + 2);
      const runs = await Promise.all(pair.map((s) => cli(s.args, { ...spawnOpts, ...(s.stdin ? { stdin: s.stdin } : {}) })));
      pair.forEach((s, j) => record('the real process', s.name, runs[j] ?? { code: null, stdout: '', stderr: '' }, () => false));
    }
    const largest = await cli(['decrypt-passport-data', '--key', bigKey], { ...spawnOpts, stdin: { file: bigText } });
    const cls = record('the real process', `largest input (${(bigSize / 2 ** 20).toFixed(1)} MiB on stdin)`, largest, (json) => ((json['elements'] as { data: { first_name: string } }[])[0]?.data.first_name.length ?? 0) === 17_500_000);
    const peak = largest.peakRssKiB ?? 0;
    console.log(`RESULT fuzz-largest-input-peak-rss ${Math.round(peak / 1024)} MiB (input ${(bigSize / 2 ** 20).toFixed(1)} MiB, bound ${MAX_RSS_KIB / 1024} MiB)`);
    const mine = outcomes.filter((o) => o.target === 'the real process');
    report('the real process', mine);
    assert.equal(cls, 'correct');
    assert.ok(peak > 0 && peak < MAX_RSS_KIB, `peak RSS ${peak} KiB`);
    assert.deepEqual(failuresIn(mine), []);
  });
});

after(() => report('ALL READERS', outcomes));

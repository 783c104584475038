/**
 * `npx tsx bench/render.ts` (part of `npm run bench`): issue 5's unlock as a person sees it, in the real
 * UI. bench/unlock.ts times the same unlock in Node through VaultService; this one adds what it cannot:
 * the built renderer drawing the decrypted list, and the editor's thumbnails arriving.
 *
 * Set-up: the loopback Telegram server in a process of its own (bench/loopback-process.ts: Telegram's
 * work is not charged to main's thread; once seeded, at the lowest CPU priority: it is not charged to
 * the client's cores either), the demo account (it has a 2FA password); the built
 * renderer (out/renderer) in Debian Chromium, bridged to the production main-process handlers
 * (test/support/bridge/host.ts), exactly as the e2e tests run it. Sign-in goes through the UI, the first
 * unlock creates the Passport, then the page's own API (window.passportVault) seeds all 13 types with
 * 50 JPEG scans of 1600×1200, 20 of them in one utility bill.
 *
 * Each run (one warm-up, then RUNS): lock with the shell's Lock button, type the password, then inside
 * the page: click Unlock → the documents list shows a status for all 13 stored documents (in the DOM,
 * then the next animation frame) → the frame after that, open the utility bill → its 20 thumbnails
 * load. Times are performance.now() in the page (no Playwright round trips inside the measurement).
 * The reference is PBKDF2 alone (100000 iterations), timed in this Node process (which also runs the
 * main-process handlers) just before each unlock, as bench/unlock.ts does: each from a settled process
 * (bench/settle.ts), the figure the median of each run's ratio. The app's vault.unlock opens
 * this device's copy of the Passport and answers after its one KDF; Telegram's check of it follows in
 * the background (the page then asks vault.whenChecked), so "unlock answered" is the copy's list.
 *
 * A report, not a test: nothing fails on a number. It throws if what it measures is not there (an
 * error on the lock screen, fewer than 13 documents, a thumbnail that cannot be shown, a timeout).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { RequestOf, ResultOf } from '../electron/common/ipc/api';
import type { ChannelName } from '../electron/common/ipc/contract';
import { derivePasswordHash, KDF_PBKDF2 } from '../electron/main/passport/crypto/passport-secret';
import { loopbackConfig } from '../electron/main/telegram/config';
import { DEMO_ACCOUNT } from '../tools/loopback-telegram/index';
import { openAppPage, signInThroughUi } from '../test/support/app-page';
import { startBridgeHost, type BridgeHost } from '../test/support/bridge/host';
import { REPO_ROOT, resultsDir } from '../test/support/paths';
import { testJpeg } from '../test/support/test-jpeg';
import { startServerProcess, type ServerProcess } from './loopback-process';
import { result } from './result';
import { settle } from './settle';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const PHONE = DEMO_ACCOUNT.phoneDigits;
const PASSWORD = DEMO_ACCOUNT.password;
const EMAIL = 'render.bench@example.org';
const FIRST_NAME = 'Benchmarkname';
const SCAN_W = 1600;
const SCAN_H = 1200;
const BILL = 'utility_bill';
const BILL_SCANS = 20;
/** main keeps at most 16 prepared scans (DEFAULT_SCAN_STORE_LIMITS): a 20-scan list is saved in two steps. */
const PREPARE_BATCH = 10;
const STEP_TIMEOUT_MS = 60_000;

type SingleSlot = 'frontSide' | 'reverseSide' | 'selfie';
interface SeedDoc {
  readonly type: RequestOf<'vault.save'>['type'];
  readonly data?: Record<string, string>;
  readonly singles?: readonly SingleSlot[];
  readonly translation?: number;
  readonly files?: number;
}
const idData = { document_no: 'BENCH12345', expiry_date: '31.12.2031' };
/** The 11 typed documents (phone and e-mail are verified separately): 50 scans in all. */
const DOCS: readonly SeedDoc[] = [
  { type: 'personal_details', data: { first_name: FIRST_NAME, last_name: 'Bench', birth_date: '29.02.1996', gender: 'female', country_code: 'DE', residence_country_code: 'FR' } },
  { type: 'passport', data: idData, singles: ['frontSide', 'selfie'], translation: 1 },
  { type: 'driver_license', data: idData, singles: ['frontSide', 'reverseSide'] },
  { type: 'identity_card', data: idData, singles: ['frontSide', 'reverseSide', 'selfie'] },
  { type: 'internal_passport', data: idData, singles: ['frontSide'] },
  { type: 'address', data: { street_line1: 'Benchstraße 1', city: 'Berlin', country_code: 'DE', post_code: '10115' } },
  { type: BILL, files: BILL_SCANS },
  { type: 'bank_statement', files: 6 },
  { type: 'rental_agreement', files: 5 },
  { type: 'passport_registration', files: 5 },
  { type: 'temporary_registration', files: 5 },
];
const TOTAL_SCANS = DOCS.reduce((n, d) => n + (d.singles?.length ?? 0) + (d.translation ?? 0) + (d.files ?? 0), 0);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const spread = (xs: number[], digits = 0): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/** One channel through the page's own window.passportVault (the bridge → the production router). */
async function call<C extends ChannelName>(page: Page, channel: C, request: RequestOf<C>): Promise<ResultOf<C>> {
  const r = await page.evaluate(
    async ([name, req]) => {
      type Call = (r: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
      const api = (globalThis as unknown as { passportVault: Record<string, Record<string, Call>> }).passportVault;
      const [ns = '', method = ''] = name.split('.');
      const fn = api[ns]?.[method];
      if (fn === undefined) throw new Error(`no ${name} in window.passportVault`);
      return fn(req);
    },
    [channel, request] as const,
  );
  if (!r.ok) throw new Error(`${channel} failed: ${r.error?.code} ${r.error?.message}`);
  return r.value as ResultOf<C>;
}

let seedNo = 0;
/** A new scan made in Node, handed to the page as base64 and prepared in main by scan.prepare (as the file picker does). */
async function prepareScan(page: Page): Promise<{ scanId: string }> {
  const jpeg = await testJpeg(1000 + seedNo++, SCAN_W, SCAN_H, { look: 'photo', quality: 90 });
  const r = await page.evaluate(async (b64) => {
    type Prepare = (r: { bytes: Uint8Array }) => Promise<{ ok: boolean; value?: { scanId: string }; error?: { code: string; message: string } }>;
    const api = (globalThis as unknown as { passportVault: { scan: { prepare: Prepare } } }).passportVault;
    return api.scan.prepare({ bytes: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) });
  }, jpeg.toString('base64'));
  if (!r.ok || r.value === undefined) throw new Error(`scan.prepare failed: ${r.error?.code} ${r.error?.message}`);
  return { scanId: r.value.scanId };
}

async function save(page: Page, req: RequestOf<'vault.save'>): Promise<void> {
  const saved = await call(page, 'vault.save', req);
  if (saved.status !== 'saved') throw new Error(`${req.type} was ${saved.status}, not saved on Telegram`);
}

async function seed(page: Page, server: ServerProcess): Promise<void> {
  for (const d of DOCS) {
    const req: RequestOf<'vault.save'> = { type: d.type };
    if (d.data !== undefined) req.data = d.data;
    for (const slot of d.singles ?? []) req[slot] = await prepareScan(page);
    if (d.translation !== undefined) req.translation = await Promise.all(Array.from({ length: d.translation }, () => prepareScan(page)));
    const files = d.files ?? 0;
    if (files === 0) {
      await save(page, req);
      continue;
    }
    // A list goes in batches that fit main's scan store: the files saved so far are kept by hash.
    let kept: { keep: string }[] = [];
    for (let done = 0; done < files; ) {
      const batch: { scanId: string }[] = [];
      for (; batch.length < PREPARE_BATCH && done < files; done++) batch.push(await prepareScan(page));
      await save(page, { ...req, files: [...kept, ...batch] });
      kept = ((await call(page, 'vault.read', { type: d.type }))?.files ?? []).map((f) => ({ keep: f.fileHash }));
    }
  }
  await call(page, 'verify.useAccountPhone', {}); // the account's own number: no code
  await call(page, 'verify.sendEmailCode', { email: EMAIL });
  await call(page, 'verify.confirmEmail', { code: (await server.emailCode(EMAIL)) ?? 'none' });
  const status = await call(page, 'vault.status', {});
  const scans = status.values.reduce((n, v) => n + v.files, 0);
  if (status.values.length !== 13) throw new Error(`seeded ${status.values.length} documents, not 13`);
  const bill = status.values.find((v) => v.type === BILL);
  if (bill?.files !== BILL_SCANS) throw new Error(`the ${BILL} holds ${bill?.files} scans, not ${BILL_SCANS}`);
  console.log(`  seeded: 13 documents, the list's summary counts ${scans} files (${TOTAL_SCANS} scans saved)`);
}

async function signInAndCreate(page: Page, host: BridgeHost): Promise<void> {
  // The demo account's login code is fixed: the server process need not be asked for it.
  await signInThroughUi(page, host.url, { lastCode: () => DEMO_ACCOUNT.code }, { phone: PHONE, password: PASSWORD });
  await page.goto(`${host.url}#/documents`);
  await page.locator('[data-test=unlock-form]').waitFor();
  await page.locator('[data-test=unlock-password]').fill(PASSWORD);
  await page.locator('[data-test=unlock]').click();
  await page.locator('[data-test=welcome]').waitFor(); // the first unlock created the Passport
}

interface Measured {
  /** All from the Unlock click, ms. */
  /** The unlock call's answer reaching the page (the bridge's mark, before its text is decoded). */
  answered: number;
  /** The unlock request leaving the page. */
  sent: number;
  listDom: number;
  listFrame: number;
  openClick: number;
  firstThumb: number;
  allThumbs: number;
  thumbs: number;
  thumbWidth: number;
}

/**
 * Runs in the page, as plain JavaScript in a string: the bench is type-checked without the DOM library,
 * and a string is passed to Chromium as written (no compiler helpers in it). Clicks Unlock (the password
 * is already typed), waits for every stored document's status in the list, lets that frame paint, opens
 * the bill and waits for all its thumbnails to load. Rejects with what the screen says when a step fails.
 */
const MEASURE_IN_PAGE = `async (o) => {
  const screenText = () => document.body.innerText.replace(/\\s+/g, ' ').slice(0, 500);
  /** Resolves with check()'s first defined answer, checked on every DOM change and every poke(). */
  const until = (what, check) => {
    let settle = null;
    const p = new Promise((resolve, reject) => {
      const stop = () => { obs.disconnect(); clearTimeout(timer); };
      settle = () => {
        try { const r = check(); if (r !== undefined) { stop(); resolve(r); } } catch (e) { stop(); reject(e); }
      };
      const obs = new MutationObserver(() => settle());
      const timer = setTimeout(() => { stop(); reject(new Error(what + ' not seen within ' + o.timeoutMs + ' ms; the screen says: ' + screenText())); }, o.timeoutMs);
      obs.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
    });
    return { promise: p, poke: () => settle() };
  };
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));

  const button = document.querySelector('[data-test=unlock]');
  if (button === null || button.disabled) throw new Error('no enabled Unlock button; the screen says: ' + screenText());
  if (document.querySelector('[data-test=error]') !== null) throw new Error('an error before Unlock: ' + screenText());
  const list = until('the list of ' + o.documents + ' documents', () => {
    const err = document.querySelector('[data-test=error]');
    if (err !== null) throw new Error('unlock failed on screen: "' + err.textContent.trim() + '"');
    return document.querySelectorAll('[data-test=status][data-state]').length >= o.documents ? performance.now() : undefined;
  });
  performance.clearMarks(); // the bridge marks every call it carries (test/support/bridge/page-bridge.ts)
  const t0 = performance.now();
  button.click();
  const listDom = (await list.promise) - t0;
  const bridgeMark = (what) => {
    const m = performance.getEntriesByName('test-bridge:vault.unlock:' + what, 'mark').find((e) => e.startTime >= t0);
    return m === undefined ? NaN : m.startTime - t0;
  };
  const answered = bridgeMark('answered');
  const sent = bridgeMark('sent');
  const shown = document.querySelectorAll('[data-test=status][data-state]').length;
  if (shown !== o.documents) throw new Error('the list shows ' + shown + ' stored documents, not ' + o.documents);
  const billStatus = document.querySelector('[data-test=doc-' + o.bill + '] [data-test=status]').textContent;
  if (!billStatus.includes(o.scans + ' scans')) throw new Error('the ' + o.bill + ' row says "' + billStatus.trim() + '"');
  const listFrame = (await frame()) - t0;
  await frame(); // the list's frame has been painted: now the person opens the bill

  const sel = '[data-test=slot-files] img[data-test=thumb]';
  const loads = [];
  const thumbs = until('all ' + o.scans + ' thumbnails', () => {
    if (document.querySelector('[data-test=slot-files] .tile-placeholder.error') !== null) throw new Error('a thumbnail says "Cannot show"');
    const imgs = [...document.querySelectorAll(sel)];
    // The load events are the clock: an image can read as complete a moment before its load event fires.
    return loads.length >= o.scans && imgs.length >= o.scans && imgs.every((i) => i.complete && i.naturalWidth > 0) ? Math.max(...loads) : undefined;
  });
  const onLoad = (e) => {
    if (e.target instanceof HTMLImageElement && e.target.matches(sel)) loads.push(performance.now());
    thumbs.poke(); // a load changes no DOM: check again here
  };
  document.addEventListener('load', onLoad, true);
  const tOpen = performance.now();
  document.querySelector('[data-test=doc-' + o.bill + '] a').click();
  let all;
  try { all = (await thumbs.promise) - t0; } finally { document.removeEventListener('load', onLoad, true); }
  const imgs = [...document.querySelectorAll(sel)];
  if (imgs.length !== o.scans || loads.length < o.scans) throw new Error(imgs.length + ' thumbnails, ' + loads.length + ' load events, not ' + o.scans);
  return { sent, answered, listDom, listFrame, openClick: tOpen - t0, firstThumb: Math.min(...loads) - t0, allThumbs: all, thumbs: imgs.length, thumbWidth: imgs[0].naturalWidth };
}`;

async function measureOnce(page: Page): Promise<Measured> {
  await page.locator('[data-test=lock]').click();
  await page.locator('[data-test=unlock-form]').waitFor();
  await page.locator('[data-test=unlock-password]').fill(PASSWORD);
  await settle(); // as its PBKDF2 reference was timed: from rest
  const args = { documents: 13, bill: BILL, scans: BILL_SCANS, timeoutMs: STEP_TIMEOUT_MS };
  return page.evaluate<Measured>(`(${MEASURE_IN_PAGE})(${JSON.stringify(args)})`);
}

/** The same unlock without the UI: vault.lock, then vault.unlock timed in the page (bridge + main, no rendering). */
async function apiUnlockOnce(page: Page): Promise<number> {
  await call(page, 'vault.lock', {});
  await settle();
  const r = await page.evaluate(async (password) => {
    type Unlock = (r: { password: string }) => Promise<{ ok: boolean; value?: { status: { values: unknown[] } }; error?: { message: string } }>;
    const api = (globalThis as unknown as { passportVault: { vault: { unlock: Unlock } } }).passportVault;
    const t0 = performance.now();
    const u = await api.vault.unlock({ password });
    return { ms: performance.now() - t0, values: u.value?.status.values.length ?? 0, error: u.error?.message ?? null };
  }, PASSWORD);
  if (r.error !== null || r.values !== 13) throw new Error(`vault.unlock: ${r.error ?? `${r.values} values`}`);
  return r.ms;
}

async function pbkdf2Once(): Promise<number> {
  const t = performance.now();
  await derivePasswordHash(Buffer.from(PASSWORD), randomBytes(32), KDF_PBKDF2);
  return performance.now() - t;
}

if (!existsSync(join(REPO_ROOT, 'out/renderer/index.html'))) {
  console.error(`bench/render.ts needs the built renderer (${join(REPO_ROOT, 'out/renderer')} is missing): run "npm run build" first.`);
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'pv-bench-render-'));
let server: ServerProcess | undefined;
let host: BridgeHost | undefined;
let browser: Browser | undefined;
try {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`\nRender bench — node ${process.version}; built renderer in Chromium via the test bridge; loopback Telegram; load average ${load}`);
  server = await startServerProcess();
  host = await startBridgeHost({
    root: REPO_ROOT,
    dataDir: join(tmp, 'app-data'),
    telegram: loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, overrides: { requestTimeoutMs: 15_000 } }),
  });
  const app = await openAppPage(host, { width: 1180, height: 900 });
  browser = app.browser;
  const page = app.page;

  await signInAndCreate(page, host);
  await seed(page, server);
  // Seeded behind the renderer's back: a reload makes it read the status afresh.
  await page.goto(`${host.url}#/documents`);
  await page.reload();
  await page.locator('[data-test=status][data-state]').nth(12).waitFor();

  server.yieldCpu(); // seeded: from here on its work must not take the client's CPU (loopback-process.ts)
  const runs: Measured[] = [];
  const kdf: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    await settle();
    const k = await pbkdf2Once();
    const m = await measureOnce(page);
    if (i === 0) continue; // warm-up
    kdf.push(k);
    runs.push(m);
  }
  const shots = resultsDir('bench');
  await page.screenshot({ path: join(shots, 'render-bill.png') });
  // The split: how much of the click → list is main's unlock (and the bridge), how much the renderer.
  const apiKdf: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await settle();
    apiKdf.push(await pbkdf2Once());
    api.push(await apiUnlockOnce(page));
  }
  await page.goto(`${host.url}#/documents`);
  await page.locator('[data-test=status][data-state]').nth(12).waitFor();
  await page.screenshot({ path: join(shots, 'render-list.png'), fullPage: true });
  if (app.pageErrors.length > 0) throw new Error(`errors in the page: ${JSON.stringify(app.pageErrors)}`);

  const k = median(kdf);
  const row = (what: string, xs: number[], goal = ''): string =>
    `    ${what.padEnd(30)} ${median(xs).toFixed(0).padStart(6)} ms  (${spread(xs)})  = ${(median(xs) / k).toFixed(2)}x PBKDF2${goal}`;
  const open = runs.map((r) => r.openClick);
  console.log(`  Telegram online, ${BILL} with ${BILL_SCANS} scans (thumbnails ${runs[0]?.thumbWidth ?? '?'} px wide), median (min–max) of ${runs.length}`);
  console.log(`  timed in the page (performance.now), from the click on Unlock; PBKDF2 in Node before each unlock`);
  console.log(`    ${'PBKDF2 alone'.padEnd(30)} ${k.toFixed(0).padStart(6)} ms  (${spread(kdf)})`);
  console.log(`    ${'vault.unlock call alone (API)'.padEnd(30)} ${median(api).toFixed(0).padStart(6)} ms  (${spread(api)})  = ${(median(api) / median(apiKdf)).toFixed(2)}x its PBKDF2 (${median(apiKdf).toFixed(0)} ms)`);
  console.log(row('click → unlock request sent', runs.map((r) => r.sent)));
  console.log(row('click → unlock answered', runs.map((r) => r.answered)));
  console.log(row('click → list in the DOM', runs.map((r) => r.listDom)));
  console.log(row('click → list in a frame', runs.map((r) => r.listFrame), '   goal <= 1.5x'));
  const ratios = runs.map((r, i) => r.listFrame / (kdf[i] ?? NaN));
  console.log(`    ${'list in a frame / its PBKDF2'.padEnd(30)} ${median(ratios).toFixed(2)}x  (${spread(ratios, 2)})  per run, median: the figure`);
  result('render.unlock-to-list', median(ratios), 'x', 'pbkdf2', '<=', 1.5);
  console.log(row('click → bill opened (2 frames)', open));
  console.log(row('click → first thumbnail', runs.map((r) => r.firstThumb)));
  console.log(row('click → all thumbnails', runs.map((r) => r.allThumbs)));
  console.log(`    ${'open → first thumbnail'.padEnd(30)} ${median(runs.map((r) => r.firstThumb - r.openClick)).toFixed(0).padStart(6)} ms  (${spread(runs.map((r) => r.firstThumb - r.openClick))})`);
  console.log(`    ${'open → all thumbnails'.padEnd(30)} ${median(runs.map((r) => r.allThumbs - r.openClick)).toFixed(0).padStart(6)} ms  (${spread(runs.map((r) => r.allThumbs - r.openClick))})`);
  const before = runs.every((r) => r.listFrame < r.firstThumb);
  console.log(`    list visible before all thumbnails: ${runs.every((r) => r.listFrame < r.allThumbs) ? 'yes' : 'NO'}; before the first: ${before ? 'yes' : 'NO'} (the list has no thumbnails; the editor asks for them once opened)`);
  console.log(`    screenshots: ${join(shots, 'render-list.png')}, ${join(shots, 'render-bill.png')}; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await browser?.close();
  await host?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
}

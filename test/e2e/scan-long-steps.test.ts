/**
 * Long steps on the Scan screen (issue 22, item 2), in Chromium against the BUILT renderer:
 * - a 12.5 MB, 4600×3450 phone photo (generated here, never committed): opening it shows its progress
 *   with a spinner, and Cancel terminates the scan worker within 1 s: gone from Chromium's own list of
 *   targets, not merely hidden;
 * - the same photo opened again (a fresh worker): the corners; "Use this scan", Cancel while it is
 *   made: the screen says so at once, and the scan worker is gone with the text reader's worker it
 *   started. Chromium ends a parent worker only after its children, and a worker inside one long
 *   WebAssembly call (Tesseract starting up: it parses its 10 MB of language data in one call) only
 *   after Blink's fixed 2 s grace (kForcibleTerminationDelay): so within 1 s when the reader is idle,
 *   within that grace when it is not. Try again: a result or a clear message, each step within the time limit;
 * - a step that hangs (the scan worker's message handler made to spin for ever from the test, as a
 *   stuck reader would): Cancel gives the screen back at once and the worker is gone once Chromium
 *   forces it (a worker stuck inside one computation gets Blink's fixed 2 s grace,
 *   kForcibleTerminationDelay, before it is killed); Try again works on a fresh one. Left alone, after
 *   the time limit (30 s) the person is told which step took too long and can try again, adjust the
 *   corners, or go on without the MRZ and type the values.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CDPSession, Page, Worker } from 'playwright-core';
import sharp from 'sharp';
import { SCAN_STAGE_LIMIT_MS } from '../../renderer/src/scanning/time-limit';
import { screenshotOnly } from '../support/a11y';
import type { BridgeHost } from '../support/bridge/host';
import { resultsDir } from '../support/paths';
import { largePhoto, type HardPhoto } from '../support/scan-fixtures/hard-photos';
import { makeFixture } from '../support/scan-fixtures';
import { openScanPage, type ScanPage } from '../support/scan-page';

const shots = resultsDir('e2e');
/**
 * Blink's kForcibleTerminationDelay: a terminated worker still inside one long computation (Tesseract's
 * start-up is one WebAssembly call) is killed only after this; a parent worker ends after its children.
 * The margin is for a loaded machine.
 */
const CHROMIUM_GRACE_MS = 2000 + 2500;
const PASSWORD = 'correct horse battery staple';

describe('Scan screen: a 12 MB photo, Cancel, and the time limit', () => {
  let app: ScanPage;
  let host: BridgeHost;
  let page: Page;
  let cdp: CDPSession;
  let big: HardPhoto;
  /** Every worker the page started, and when Chromium reported it closed. */
  const workers: { worker: Worker; closedAt: number | null }[] = [];

  before(async () => {
    big = await largePhoto(2210);
    const meta = await sharp(big.photo.jpeg).metadata();
    assert.deepEqual([meta.width, meta.height], [4600, 3450]);
    assert.ok(big.photo.jpeg.length > 11.5e6 && big.photo.jpeg.length < 14e6, `a 12 MB photo: ${big.photo.jpeg.length} bytes`);
    app = await openScanPage(PASSWORD);
    ({ host, page } = app);
    cdp = await app.context.newCDPSession(page);
    page.on('worker', (worker) => {
      const entry = { worker, closedAt: null as number | null };
      workers.push(entry);
      worker.on('close', () => (entry.closedAt = Date.now()));
    });
  });

  after(async () => {
    await app?.close();
  });

  const live = (): { worker: Worker; closedAt: number | null }[] => workers.filter((w) => w.closedAt === null);
  const scanWorker = (): Worker | undefined => live().find((w) => /scan-worker/.test(w.worker.url()))?.worker;
  /** Workers as Chromium itself lists them (DevTools targets), whatever the page shows. */
  async function workerTargets(): Promise<string[]> {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
    return targetInfos.filter((t) => t.type === 'worker').map((t) => t.url);
  }
  /**
   * Clicks Cancel; how long after the click the screen said so (`said`, timed in the page: from the click
   * event to the message in the DOM), and how long after it each of `ending` closed (Chromium's report).
   */
  async function cancelAndTime(ending: { worker: Worker; closedAt: number | null }[], saidSelector: string): Promise<{ said: number; closed: Record<string, number> }> {
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(`(() => {
      const timing = {};
      window.cancelTiming = timing;
      function onClick(e) {
        if (e.target && e.target.closest && e.target.closest('[data-test=busy-cancel]')) timing.clicked = performance.now();
      }
      document.addEventListener('click', onClick, { capture: true });
      new MutationObserver(function (_, observer) {
        if (timing.clicked !== undefined && document.querySelector(${JSON.stringify(saidSelector)}) !== null) {
          timing.said = performance.now();
          observer.disconnect();
          document.removeEventListener('click', onClick, { capture: true });
        }
      }).observe(document.body, { childList: true, subtree: true });
    })()`);
    const clicked = Date.now();
    await page.locator('[data-test=busy-cancel]').click();
    await page.locator(saidSelector).waitFor({ timeout: 5000 });
    const said = await page.evaluate<number>('window.cancelTiming.said - window.cancelTiming.clicked');
    const deadline = Date.now() + 5_000;
    while (ending.some((w) => w.closedAt === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ending.every((w) => w.closedAt !== null), `still running: ${ending.filter((w) => w.closedAt === null).map((w) => w.worker.url()).join(', ')}`);
    return { said, closed: Object.fromEntries(ending.map((w) => [kind(w.worker), w.closedAt! - clicked])) };
  }
  const kind = (w: Worker): string => (/scan-worker/.test(w.url()) ? 'scan' : /worker\.min/.test(w.url()) ? 'tesseract' : w.url());

  test('the 12 MB photo: opening shows its progress with a spinner and a Cancel, which terminates the scan worker within 1 s', async () => {
    await page.goto(`${host.url}#/scan`);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'IMG_2210.jpg', mimeType: 'image/jpeg', buffer: big.photo.jpeg });
    const opening = page.locator('[data-test=scan-opening]');
    await opening.waitFor();
    assert.equal(await opening.locator('[data-test=spinner]').isVisible(), true, 'a spinner');
    assert.match(await opening.locator('[data-test=busy-text]').innerText(), /^(Opening the photo|Finding the document in the photo)…$/);
    assert.equal(await opening.locator('[data-test=busy-text]').getAttribute('role'), 'status');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'busy-cancel');
    await screenshotOnly(page, { path: join(shots, 'scan-12mb-opening.png') }); // audited as scan-hung-working (the same busy step, holding still)
    await page.waitForFunction(() => true); // let the 'worker' event through
    const running = live();
    assert.ok(running.some((w) => /scan-worker/.test(w.worker.url())), 'the scan worker runs');
    const { said, closed } = await cancelAndTime(running, '[data-test=open-stopped]');
    console.log(`# Cancel while opening the 12 MB photo: said after ${said.toFixed(0)} ms; workers closed after ${JSON.stringify(closed)} ms`);
    assert.ok(said < 1000, `the screen said so ${said} ms after Cancel`);
    // Its own work yields between parts: it ends within 1 s, unless the text reader's worker it starts after decoding is already inside its start-up call (see above).
    const limit = closed['tesseract'] === undefined ? 1000 : CHROMIUM_GRACE_MS;
    for (const [k, ms] of Object.entries(closed)) assert.ok(ms < limit, `${k} ended ${ms} ms after Cancel`);
    assert.deepEqual(await workerTargets(), [], 'no worker left in Chromium');
    const stopped = page.locator('[data-test=open-stopped]');
    assert.match(await stopped.innerText(), /^Cancelled while (opening the photo|finding the document in the photo)\. \(IMG_2210\.jpg\)/);
    assert.equal(await page.locator('[data-test=corner-0]').count(), 0);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'open-again');
    await page.screenshot({ path: join(shots, 'scan-12mb-cancelled.png') });
  });

  test('the 12 MB photo opened again on a fresh worker: corners; Cancel while the scan is made: said at once, the worker and its text reader gone; Try again: a result or a clear message, each step within the time limit', async () => {
    const t0 = Date.now();
    await page.locator('[data-test=open-again]').click();
    await page.locator('[data-test=detect-status]').waitFor({ timeout: SCAN_STAGE_LIMIT_MS * 2 });
    const opened = Date.now() - t0;
    // Scaled down as it was decoded: the corners are in the pixels of a 3200 px picture.
    const [x, y] = [Number(await page.locator('[data-test=corner-2]').getAttribute('data-x')), Number(await page.locator('[data-test=corner-2]').getAttribute('data-y'))];
    const truth = big.photo.corners[2]!;
    assert.ok(Math.hypot(x - (truth[0] * 3200) / 4600, y - (truth[1] * 3200) / 4600) < 6, `corner found at ${x},${y}`);
    await page.screenshot({ path: join(shots, 'scan-12mb-corners.png') });

    await page.locator('[data-test=use-scan]').click();
    await page.locator('[data-test=scan-stage] [data-test=spinner]').waitFor();
    await screenshotOnly(page, { path: join(shots, 'scan-12mb-working.png') }); // audited as scan-hung-working (the same busy step, holding still)
    const running = live();
    const { said, closed } = await cancelAndTime(running, '[data-test=scan-stopped]');
    console.log(`# Cancel while the 12 MB scan is made: said after ${said.toFixed(0)} ms; workers closed after ${JSON.stringify(closed)} ms`);
    assert.ok(said < 1000, `the screen said so ${said} ms after Cancel`);
    // The scan worker ends once the text reader's worker it started has ended: within Chromium's 2 s grace if that one was inside a WebAssembly call.
    for (const [k, ms] of Object.entries(closed)) assert.ok(ms < CHROMIUM_GRACE_MS, `${k} ended ${ms} ms after Cancel`);
    assert.deepEqual(await workerTargets(), []);
    assert.match(await page.locator('[data-test=scan-stopped]').innerText(), /^Cancelled while /);

    const t1 = Date.now();
    await page.locator('[data-test=try-again]').click();
    // Five steps at most (checking, locating, loading the reader, straightening, reading), each within the limit.
    await page.locator('[data-test=scan-fields], [data-test=no-mrz], [data-test=scan-stopped], [data-test=quality-issues]').first().waitFor({ timeout: 5 * SCAN_STAGE_LIMIT_MS });
    const done = Date.now() - t1;
    await page.screenshot({ path: join(shots, 'scan-12mb-result.png'), fullPage: true });
    const outcome = await page.locator('[data-test=scan-fields], [data-test=no-mrz], [data-test=scan-stopped], [data-test=quality-issues]').first().getAttribute('data-test');
    if (outcome === 'scan-stopped') assert.match(await page.locator('[data-test=scan-stopped]').innerText(), /took more than 30 seconds, so it was stopped/);
    else assert.ok(outcome === 'scan-fields' || outcome === 'no-mrz', String(outcome));
    console.log(`# 12 MB photo: opened in ${opened} ms, ${outcome} ${done} ms after "Try again"`);
  });

  /**
   * Makes the scan worker's next step hang: its own message handler spins (for ten minutes) before the
   * real one would run, as a reader stuck in one computation would (only this running worker is touched, from the test).
   */
  async function hangScanWorker(): Promise<void> {
    await page.waitForFunction(() => true);
    const w = scanWorker();
    assert.ok(w !== undefined, 'a scan worker runs');
    await w.evaluate(() => {
      const own = self.onmessage;
      self.onmessage = (event: MessageEvent) => {
        const end = Date.now() + 10 * 60_000;
        while (Date.now() < end) {
          // stuck
        }
        (own as (e: MessageEvent) => void).call(self, event);
      };
    });
  }

  test('a step that hangs: Cancel gives the screen back at once, the stuck worker (and the text reader) are gone once Chromium forces them; Try again works on a fresh one', async () => {
    const f = await makeFixture(2211, 'TD3', 'clean');
    await page.goto(`${host.url}#/scan`);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await page.locator('[data-test=use-scan]:enabled').waitFor();
    // The text reader's worker is started (warming up) while the corners are shown.
    await page.waitForFunction(() => true);
    const deadline = Date.now() + 20_000;
    while (!live().some((w) => /worker\.min/.test(w.worker.url())) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const running = live();
    assert.deepEqual(running.map((w) => (/scan-worker/.test(w.worker.url()) ? 'scan' : /worker\.min/.test(w.worker.url()) ? 'tesseract' : w.worker.url())).sort(), ['scan', 'tesseract']);
    await hangScanWorker();
    await page.locator('[data-test=use-scan]').click();
    const busy = page.locator('[data-test=scan-stage]');
    await busy.waitFor();
    assert.equal(await busy.locator('[data-test=busy-text]').innerText(), 'Checking the photo…');
    assert.equal(await busy.locator('[data-test=spinner]').isVisible(), true);
    await page.screenshot({ path: join(shots, 'scan-hung-working.png') });
    const { said, closed } = await cancelAndTime(running, '[data-test=scan-stopped]');
    console.log(`# Cancel while a step hangs: said after ${said.toFixed(0)} ms; workers closed after ${JSON.stringify(closed)} ms`);
    assert.ok(said < 1000, `the screen said so ${said} ms after Cancel`);
    // Stuck inside one computation: Blink waits its fixed 2 s (kForcibleTerminationDelay), then kills the thread.
    for (const [k, ms] of Object.entries(closed)) assert.ok(ms < CHROMIUM_GRACE_MS, `${k} ended ${ms} ms after Cancel`);
    assert.deepEqual(await workerTargets(), []);
    assert.equal(await page.locator('[data-test=scan-stopped]').innerText().then((t) => t.split('\n')[0]), 'Cancelled while checking the photo.');
    await page.screenshot({ path: join(shots, 'scan-hung-cancelled.png') });

    // A fresh worker, the photo opened again in it, the same corners: read as usual.
    await page.locator('[data-test=try-again]').click();
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 90_000 });
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), f.mrz.join(''));
  });

  test('left alone, the hung step is stopped after the time limit, said so, and the scan goes on without the MRZ', async () => {
    const f = await makeFixture(2212, 'TD1', 'clean');
    // The page's clock from here on (this is the file's last Chromium test): the time limit is jumped over
    // instead of waited out (30 s of CI), and checked from both sides: not before it, and at it.
    await page.clock.install();
    await page.goto(`${host.url}#/scan`);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'card.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await page.locator('[data-test=use-scan]:enabled').waitFor();
    await hangScanWorker();
    await page.locator('[data-test=use-scan]').click();
    await page.locator('[data-test=scan-stage]').waitFor();
    const stopped = page.locator('[data-test=scan-stopped]');
    await page.clock.fastForward(SCAN_STAGE_LIMIT_MS - 1000);
    await new Promise((r) => setTimeout(r, 500)); // time for a (wrong) stop to reach the screen
    assert.equal(await stopped.count(), 0, 'stopped before the time limit');
    await page.clock.fastForward(1500);
    await stopped.waitFor({ timeout: 15_000 });
    assert.match(await stopped.innerText(), /^Checking the photo took more than 30 seconds, so it was stopped\./);
    // Terminated at the limit; stuck in one computation, it is gone once Chromium forces it (its 2 s grace).
    const gone = Date.now() + CHROMIUM_GRACE_MS;
    while ((await workerTargets()).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await workerTargets(), [], 'the hung worker is gone');
    // What can be done: each offered.
    for (const b of ['try-again', 'by-hand', 'adjust-again', 'retake']) assert.equal(await page.locator(`[data-test=${b}]`).isVisible(), true, b);
    assert.equal(await page.locator('[data-test=by-hand]').innerText(), 'Go on without it: type the values yourself');
    await page.screenshot({ path: join(shots, 'scan-time-limit.png') });

    await page.locator('[data-test=by-hand]').click();
    const panel = page.locator('[data-test=no-mrz]');
    await panel.waitFor({ timeout: SCAN_STAGE_LIMIT_MS });
    assert.equal(await panel.locator('h2').innerText(), 'The values were not read');
    await panel.locator('[data-test=to-document]:enabled').waitFor();
    assert.equal(await panel.locator('[data-test=read-again]').isVisible(), true);
    await page.screenshot({ path: join(shots, 'scan-time-limit-by-hand.png') });
  });

  test('no error in the console', () => {
    assert.deepEqual(app.problems, []);
  });
});

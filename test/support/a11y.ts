/**
 * Accessibility audit of every screen the e2e tests look at: axe-core (through @axe-core/playwright) on
 * the page as it is. A screen fails on any serious or critical violation; moderate and minor ones are
 * written to test-results/e2e/a11y/<screen>.json, where the note on issue 22 lists them with reasons.
 *
 * `auditScreenshots(page)` makes every `page.screenshot()` audit the screen it shows, right after the
 * picture is taken (so the picture of a failing screen is there to look at): each e2e test already
 * photographs the screens it visits, so a new screen is audited without anyone remembering to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { resultsDir } from './paths';

/** WCAG 2.2 A/AA and axe's best practices (landmarks, headings, region): what a desktop app should meet. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

export interface ScreenAudit {
  readonly screen: string;
  readonly url: string;
  /** "impact rule-id: help — target, target" per violation. */
  readonly blocking: string[];
  readonly other: string[];
}

/** Runs axe on the page as it is; records the result under `screen`. */
export async function auditScreen(page: Page, screen: string): Promise<ScreenAudit> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const line = (v: (typeof results.violations)[number]): string =>
    `${v.impact ?? 'unknown'} ${v.id}: ${v.help} — ${v.nodes
      .slice(0, 4)
      .map((n) => n.target.join(' '))
      .join(', ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4} more)` : ''}`;
  const audit: ScreenAudit = {
    screen,
    url: page.url().replace(/^http:\/\/127\.0\.0\.1:\d+\//, ''),
    blocking: results.violations.filter((v) => BLOCKING.has(v.impact ?? '')).map(line),
    other: results.violations.filter((v) => !BLOCKING.has(v.impact ?? '')).map(line),
  };
  const dir = join(resultsDir('e2e'), 'a11y');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${screen}.json`), `${JSON.stringify(audit, null, 2)}\n`);
  return audit;
}

/** Audits and throws (naming the screen and each violation) on a serious or critical one. */
export async function assertAccessible(page: Page, screen: string): Promise<ScreenAudit> {
  const audit = await auditScreen(page, screen);
  if (audit.blocking.length > 0) throw new Error(`accessibility (axe) on ${screen} (${audit.url}):\n  ${audit.blocking.join('\n  ')}`);
  return audit;
}

/** From now on every screenshot of `page` also audits the screen (named after the picture's file). */
export function auditScreenshots(page: Page): void {
  const take = page.screenshot.bind(page);
  const screenshot: Page['screenshot'] = async (options) => {
    const picture = await take(options);
    const path = options?.path;
    await assertAccessible(page, path === undefined ? `unnamed-${Date.now()}` : basename(path, extname(path)));
    return picture;
  };
  Object.assign(page, { screenshot });
}

export interface KeyboardWalk {
  /** Visible, enabled controls that Tab never reached (selector-ish names). */
  readonly unreachable: string[];
  /** Controls reached by Tab that showed no focus indicator (outline or box-shadow). */
  readonly noFocusRing: string[];
  readonly reached: number;
}

/**
 * Walks the page with Tab from the top (as a keyboard-only person does) and checks that every visible,
 * enabled control is reached and shows a visible focus indicator when it is. Controls inside a closed
 * <details> or scrolled off-screen count too: Tab reaches those as well.
 */
export async function keyboardWalk(page: Page, maxTabs = 200): Promise<KeyboardWalk> {
  await page.evaluate(() => {
    // Start at the top of the page, as after loading it: focus a (not tabbable) first element.
    const start = document.createElement('span');
    start.tabIndex = -1;
    start.setAttribute('data-kbwalk-start', '');
    document.body.prepend(start);
    start.focus();
    const marker = 'data-kbwalk';
    document.querySelectorAll(`[${marker}]`).forEach((el) => el.removeAttribute(marker));
    const all = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
    let i = 0;
    for (const el of all) {
      const disabled = (el as HTMLButtonElement).disabled === true;
      const hiddenInput = el instanceof HTMLInputElement && el.type === 'hidden';
      const shown = el.getClientRects().length > 0 || el.classList.contains('visually-hidden');
      if (!disabled && !hiddenInput && shown && el.tabIndex >= 0) el.setAttribute(marker, String(i++));
    }
  });
  const seen = new Set<string>();
  const noRing: string[] = [];
  for (let n = 0; n < maxTabs; n++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null || el === document.body || el.hasAttribute('data-kbwalk-start')) return null;
      // A visually hidden control (a file input) shows its ring on the label around it.
      const shown = el.classList.contains('visually-hidden') ? (el.closest('label') ?? el) : el;
      const s = getComputedStyle(shown);
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow !== 'none' && s.boxShadow !== '');
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.dataset['test'] ? `[data-test=${el.dataset['test']}]` : ''} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30)}"`;
      return { id: el.getAttribute('data-kbwalk'), ring, name };
    });
    if (r === null) break; // past the last control: focus left the document
    if (r.id !== null) {
      if (seen.has(r.id)) break; // wrapped around
      seen.add(r.id);
    }
    if (!r.ring) noRing.push(r.name);
  }
  const unreachable = await page.evaluate((reached) => {
    document.querySelector('[data-kbwalk-start]')?.remove();
    const out: string[] = [];
    document.querySelectorAll<HTMLElement>('[data-kbwalk]').forEach((el) => {
      if (!reached.includes(el.getAttribute('data-kbwalk') ?? '')) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    });
    return out;
  }, [...seen]);
  return { unreachable, noFocusRing: noRing, reached: seen.size };
}

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

/** The pages whose screenshots audit, with their own screenshot (see `screenshotOnly`). */
const plainScreenshot = new WeakMap<Page, Page['screenshot']>();

/** From now on every screenshot of `page` also audits the screen (named after the picture's file). */
export function auditScreenshots(page: Page): void {
  const take = page.screenshot.bind(page);
  plainScreenshot.set(page, take);
  const screenshot: Page['screenshot'] = async (options) => {
    const picture = await take(options);
    const path = options?.path;
    await assertAccessible(page, path === undefined ? `unnamed-${Date.now()}` : basename(path, extname(path)));
    return picture;
  };
  Object.assign(page, { screenshot });
}

/**
 * A picture of a moment that passes (a 12 MB photo being worked on): the audit's seconds would outlast
 * what the test is timing there. The same screen must be audited where it holds still (a hung step).
 */
export function screenshotOnly(page: Page, options: Parameters<Page['screenshot']>[0]): Promise<Buffer> {
  return (plainScreenshot.get(page) ?? page.screenshot.bind(page))(options);
}

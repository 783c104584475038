/**
 * TEST ONLY, runs in the page (DOM types: compiled with tsconfig.e2e.json, left out of tsconfig.node.json
 * like page-bridge.ts). The keyboard half of the accessibility checks: every control reached by Tab,
 * each with a visible focus ring.
 */
import type { Page } from 'playwright-core';

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
  let outside = 0;
  let last: string | null = null;
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
    if (r === null) {
      // Past the last control, focus leaves the document; one more Tab comes back at the top (a walk that
      // started lower down, e.g. from a field that took the cursor on opening). Twice in a row: done.
      if (++outside > 1) break;
      continue;
    }
    outside = 0;
    if (r.id !== null) {
      // Tab walks through a date input's parts (month, day, year) before it leaves: the same control again.
      if (r.id === last) continue;
      if (seen.has(r.id)) break; // wrapped around
      seen.add(r.id);
    }
    last = r.id;
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

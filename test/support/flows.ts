/**
 * The app's user flows as steps on a Playwright page, written once for every transport: the Chromium
 * e2e tests (built renderer + HTTP test bridge, test/support/app-page.ts) and the real-Electron smoke run
 * (packaged app, Electron IPC, test/electron/smoke.test.ts) call the same functions. Each step starts from
 * the screen the previous one left and waits until its own result is on screen.
 */
import type { Page } from 'playwright-core';

/** Where the app's routes are: the page plus how to go to `#/route` on this transport. */
export interface AppNav {
  readonly page: Page;
  go(route: string): Promise<void>;
}

/** Routes by loading `${base}#route` (the Chromium e2e tests, on the bridge host's http:// page). */
export function urlNav(page: Page, base: string): AppNav {
  return {
    page,
    go: async (route) => {
      await page.goto(`${base}#${route}`);
    },
  };
}

/** Routes by changing the hash of the page's own document (the Electron window, whose URL the app chose). */
export function hashNav(page: Page): AppNav {
  return {
    page,
    go: async (route) => {
      await page.evaluate((r) => {
        // Runs in the page; typed without the DOM library, which this file's Node-side tsconfig lacks.
        (globalThis as unknown as { location: { hash: string } }).location.hash = r;
      }, route);
    },
  };
}

/** The loopback server as far as the flows need it: the login code it sent. */
export interface CodeSource {
  lastCode(phone: string): string | undefined;
}

/**
 * Signs in through the UI on the loopback server's test numbers (+999 …): phone, the code the server
 * sent, the 2FA password; ends on the signed-in screen. The sign-in steps themselves, with their
 * errors, are tested in sign-in.test.ts. `url` null: from the page as it is (it shows the sign-in button).
 */
export async function signInThroughUi(page: Page, url: string | null, server: CodeSource, account: { phone: string; password: string }): Promise<void> {
  if (url !== null) await page.goto(url);
  await page.locator('[data-test=go-sign-in]').click();
  await page.locator('[data-test=country-code]').fill('+999');
  await page.locator('[data-test=phone-number]').fill(account.phone.slice(3));
  await page.locator('[data-test=send-code]').click();
  await page.locator('[data-test=code-step]').waitFor(); // the code exists only once it was sent
  await page.locator('[data-test=code]').fill(server.lastCode(account.phone) ?? 'none');
  await page.locator('[data-test=submit-code]').click();
  await page.locator('[data-test=password]').fill(account.password);
  await page.locator('[data-test=submit-password]').click();
  await page.locator('[data-test=signed-in]').waitFor();
}

/** The first start, choosing a Passport kept only on this device: its password twice; ends on Documents. */
export async function createLocalPassport(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-test=choose-local]').click();
  await page.locator('[data-test=new-password]').fill(password);
  await page.locator('[data-test=confirm-password]').fill(password);
  await page.locator('[data-test=create]').click();
  await page.locator('h1', { hasText: 'Documents' }).waitFor();
}

/** On the lock screen: the password, optionally "remember on this device" (needs a keychain), Unlock. */
export async function submitUnlock(page: Page, password: string, options: { remember?: boolean } = {}): Promise<void> {
  await page.locator('[data-test=unlock-form]').waitFor();
  await page.locator('[data-test=unlock-password]').fill(password);
  if (options.remember === true) await page.locator('[data-test=remember]').check();
  await page.locator('[data-test=unlock]').click();
}

/** Signed in, no Passport yet: the first unlock with the 2FA password creates the Passport (its secret). */
export async function createPassportOnFirstUnlock(nav: AppNav, password: string): Promise<void> {
  await nav.go('/documents');
  await submitUnlock(nav.page, password);
  await nav.page.locator('[data-test=welcome]').waitFor();
}

export async function openEditor(nav: AppNav, type: string): Promise<void> {
  await nav.go('/documents');
  await nav.page.locator(`[data-test=doc-${type}] a`).click();
  await nav.page.locator('[data-test=editor]').waitFor();
}

/** Save in the editor and wait for "saved to Telegram Passport"; on failure says what the screen says. */
export async function saveAndWait(page: Page, onFailure?: () => Promise<void>): Promise<void> {
  await page.locator('[data-test=save]').click();
  try {
    await page.locator('[data-test=saved]', { hasText: 'Telegram Passport' }).waitFor({ timeout: 20_000 });
  } catch (e) {
    const shown = await page.locator('[data-test=error], [data-test=field-error], [data-test=file-add-error]').allTextContents();
    await onFailure?.();
    throw new Error(`save did not finish: ${JSON.stringify(shown)}`, { cause: e });
  }
}

export interface ScanFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * A passport: number, expiry and its scans (JPEG), staged and then saved; ends when the saved tiles show
 * previews decrypted from what was stored. `beforeSave` looks at the staged state.
 */
export async function addPassport(
  nav: AppNav,
  value: { docNo: string; expiry: string; frontSide: ScanFile; selfie?: ScanFile },
  options: { beforeSave?: () => Promise<void>; onFailure?: () => Promise<void> } = {},
): Promise<void> {
  const { page } = nav;
  await openEditor(nav, 'passport');
  await page.locator('#document_no').fill(value.docNo);
  await page.locator('#expiry_date').fill(value.expiry);
  await page.locator('[data-test=input-front_side]').setInputFiles(value.frontSide);
  await page.locator('[data-test=slot-front_side] [data-test=thumb]').waitFor();
  if (value.selfie !== undefined) {
    await page.locator('[data-test=input-selfie]').setInputFiles(value.selfie);
    await page.locator('[data-test=slot-selfie] [data-test=thumb]').waitFor();
  }
  await options.beforeSave?.();
  await saveAndWait(page, options.onFailure);
  await page.locator('[data-test=slot-front_side] .tile:not(.tile-new) [data-test=thumb]').waitFor();
  if (value.selfie !== undefined) await page.locator('[data-test=slot-selfie] .tile:not(.tile-new) [data-test=thumb]').waitFor();
}

/** Lock, then unlock with the password (optionally remembering the Passport); ends on the documents. */
export async function lockAndUnlock(page: Page, password: string, options: { remember?: boolean } = {}): Promise<void> {
  await page.locator('[data-test=lock]').click();
  await submitUnlock(page, password, options);
  await page.locator('[data-test=group-identity]').waitFor();
}

/** Settings' "On this device" card: whether the unlocked Passport is remembered in the keychain. */
export async function rememberedOnDevice(nav: AppNav): Promise<string> {
  await nav.go('/settings');
  return ((await nav.page.locator('[data-test=cached-remembered]').textContent()) ?? '').trim();
}

/**
 * What the TelegramPassport integration tests (telegram-unlock, telegram-password, telegram-values) share:
 * a loopback server with its state on disk, fresh accounts, one mirror folder per passport, sample
 * values and scans, and the closing check that neither the server nor a mirror holds plaintext.
 * Call `passportRig()` inside a describe: it registers the before/after hooks there.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import type { TelegramConnection } from '../../../electron/main/telegram/index';
import { TelegramPassport } from '../../../electron/main/vault/telegram/index';
import { allBytesUnder, assertNoPlaintext, freshAccount, noiseJpeg } from './support';

export const PW = 'telegram passport pw';
export const PERSONAL = {
  first_name: 'Ottoline',
  last_name: 'Fairweatherby',
  birth_date: '02.11.1979',
  gender: 'female',
  country_code: 'NL',
  residence_country_code: 'BE',
};
export const PASSPORT = { document_no: 'QX83HV27LM', expiry_date: '14.06.2033' };
export const ADDRESS = { street_line1: 'Lindqvistgracht 771', city: 'Zwartewaal', country_code: 'NL', post_code: '3238 KR' };

export interface PassportRig {
  readonly server: LoopbackTelegram;
  readonly tmp: string;
  readonly conns: TelegramConnection[];
  readonly front: Buffer;
  readonly selfie: Buffer;
  readonly bill1: Buffer;
  readonly bill2: Buffer;
  readonly mirrorDir: () => string;
  readonly account: (password: string | undefined) => ReturnType<typeof freshAccount>;
  readonly passportFor: (conn: TelegramConnection, userId: bigint, dir?: string) => Promise<TelegramPassport>;
  readonly userOf: (userId: bigint) => NonNullable<ReturnType<LoopbackTelegram['state']['users']['get']>>;
  /** The server state and every mirror made: no plaintext field value, no image bytes. `scans`: some were saved. */
  readonly assertNothingInPlaintext: (scans: boolean) => void;
}

export function passportRig(): PassportRig {
  const conns: TelegramConnection[] = [];
  const passports: TelegramPassport[] = [];
  let dirs = 0;
  const rig = {
    conns,
    mirrorDir: (): string => join(rig.tmp, `mirror-${dirs++}`),
    account: async (password: string | undefined) => {
      const a = await freshAccount(rig.server, password);
      conns.push(a.conn);
      return a;
    },
    passportFor: async (conn: TelegramConnection, userId: bigint, dir = rig.mirrorDir()): Promise<TelegramPassport> => {
      const tp = await TelegramPassport.open({ conn, accountId: userId, dir, keychain: null });
      passports.push(tp);
      return tp;
    },
    userOf: (userId: bigint) => {
      const u = rig.server.state.users.get(userId);
      assert.ok(u);
      return u;
    },
    assertNothingInPlaintext: (scans: boolean): void => {
      const texts = [PERSONAL.first_name, PERSONAL.last_name, PASSPORT.document_no, ADDRESS.street_line1, ADDRESS.city, '"birth_date"', '"document_no"', '"street_line1"'];
      const images = [rig.front, rig.selfie, rig.bill1, rig.bill2];
      assert.ok(rig.server.stateFiles);
      const serverBytes = Buffer.concat([allBytesUnder(join(rig.tmp, 'server'))]);
      assertNoPlaintext(serverBytes, texts, images, 'the server state');
      for (let i = 0; i < dirs; i++) {
        try {
          assertNoPlaintext(allBytesUnder(join(rig.tmp, `mirror-${i}`)), texts, images, `mirror ${i}`);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // a mirror never created
          throw e;
        }
      }
      // The scan looked at real ciphertext.
      if (scans) assert.ok(serverBytes.length > rig.front.length, 'the server stored the encrypted scans');
    },
  } as PassportRig & { server: LoopbackTelegram; tmp: string; front: Buffer; selfie: Buffer; bill1: Buffer; bill2: Buffer };

  before(async () => {
    rig.tmp = mkdtempSync(join(tmpdir(), 'pv-tgpassport-'));
    mkdirSync(join(rig.tmp, 'server'));
    rig.server = await startLoopbackTelegram({ stateFile: join(rig.tmp, 'server', 'state.json') });
    [rig.front, rig.selfie, rig.bill1, rig.bill2] = await Promise.all([noiseJpeg(900, 640, 11), noiseJpeg(400, 520, 12), noiseJpeg(700, 990, 13), noiseJpeg(700, 990, 14)]);
  });
  after(async () => {
    for (const p of passports) p.close();
    await Promise.all(conns.map((c) => c.close()));
    await rig.server.close();
    rmSync(rig.tmp, { recursive: true, force: true });
  });
  return rig;
}

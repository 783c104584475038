/**
 * Interop against real third-party data: every element of both vector sets (python-telegram-bot and
 * Telegram.Bot.Extensions.Passport), the 10 real encrypted scans, and the expected values their
 * authors wrote. Expected values come from the upstream tests; where upstream has none (the
 * `passport` fixture, pad lengths, plaintext bytes) the vectors' derived/ files are used and the
 * test says so.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportDataSchema } from '../../../electron/common/passport/credentials';
import type { Credentials, FileCredentials } from '../../../electron/common/passport/credentials';
import { fromBase64, toBase64 } from '../../../electron/main/passport/crypto/base64';
import { decryptData } from '../../../electron/main/passport/crypto/data-encryption';
import { openFile } from '../../../electron/main/passport/crypto/file-encryption';
import { parseRsaPrivateKey, rsaOaepSha1Decrypt } from '../../../electron/main/passport/crypto/rsa';
import { isValidSecret } from '../../../electron/main/passport/crypto/secret';
import {
  decryptCredentials,
  decryptDataWithCredentials,
  decryptFileWithCredentials,
  decryptPassportData,
} from '../../../electron/main/passport/crypto/service-decrypt';
import {
  netDerived,
  netPrivateKeyPem,
  netVectors,
  ptbDerived,
  ptbPrivateKeyPem,
  ptbVectors,
  requireVectors,
  vectorPath,
} from './vectors';
import type { DerivedElement, EncryptedCredentialsJson, PassportDataJson } from './vectors';

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

function decryptAll(data: PassportDataJson, keyPem: string) {
  return decryptPassportData(PassportDataSchema.parse(data), parseRsaPrivateKey(keyPem));
}

/** Checks an element's raw plaintext bytes and pad length against verify.py's output. */
function assertRawElement(encryptedB64: string, creds: { data_hash: string; secret: string }, derived: DerivedElement): void {
  const plain = decryptData(fromBase64(encryptedB64, 'data'), fromBase64(creds.data_hash, 'h'), fromBase64(creds.secret, 's'));
  assert.equal(plain.toString('utf8'), derived.plain_utf8);
  assert.equal(fromBase64(encryptedB64, 'data').length - plain.length, derived.pad_len);
}

function credentialsSecret(enc: EncryptedCredentialsJson, keyPem: string): Buffer {
  return rsaOaepSha1Decrypt(parseRsaPrivateKey(keyPem), fromBase64(enc.secret, 'secret'));
}

/** Every plaintext secret a credentials object discloses. */
function disclosedSecrets(credentials: Credentials): string[] {
  const out: string[] = [];
  for (const value of Object.values(credentials.secure_data)) {
    if (value === undefined) continue;
    if (value.data) out.push(value.data.secret);
    for (const f of [value.front_side, value.reverse_side, value.selfie, ...(value.files ?? []), ...(value.translation ?? [])]) {
      if (f) out.push(f.secret);
    }
  }
  return out;
}

describe('python-telegram-bot vectors', () => {
  test('every element decrypts to the values PTB expects', () => {
    const v = ptbVectors();
    const result = decryptAll(v.passport_data, ptbPrivateKeyPem());
    const byType = new Map(result.elements.map((e) => [e.type, e]));
    assert.deepEqual(
      result.elements.map((e) => e.type),
      ['personal_details', 'driver_license', 'utility_bill', 'address', 'email'],
    );
    for (const type of ['personal_details', 'driver_license', 'address'] as const) {
      assert.deepEqual(byType.get(type)?.data, v.expected.decrypted_data[type], type);
    }
    assert.equal(byType.get('email')?.email, 'fb3e3i47zt@dispostable.com');
    assert.equal(byType.get('email')?.data, undefined);
    const dl = byType.get('driver_license');
    assert.deepEqual(dl?.selfie, v.expected['credentials.secure_data.driver_license.selfie']);
    assert.ok(dl?.front_side && dl.reverse_side);
    assert.equal(dl?.translation?.length, 2);
    const bill = byType.get('utility_bill');
    assert.equal(bill?.files?.length, 2);
    assert.equal(bill?.translation?.length, 2);
    // README: "The credentials use nonce ("thisisatest")".
    assert.ok('nonce' in result.credentials);
    assert.equal(result.credentials.nonce, 'thisisatest');
  });

  test('credentials secret, credentials bytes and element bytes match verify.py (derived)', () => {
    const v = ptbVectors();
    const d = ptbDerived();
    const secret = credentialsSecret(v.passport_data.credentials, ptbPrivateKeyPem());
    assert.equal(toBase64(secret), d.credentials_secret_b64);
    const c = v.passport_data.credentials;
    const plain = decryptData(fromBase64(c.data, 'd'), fromBase64(c.hash, 'h'), secret);
    assert.equal(plain.toString('utf8'), d.credentials_plain_utf8);
    assert.equal(fromBase64(c.data, 'd').length - plain.length, d.credentials_pad_len);
    const credentials = decryptCredentials(c, parseRsaPrivateKey(ptbPrivateKeyPem()));
    for (const [type, derived] of Object.entries(d.elements)) {
      const element = v.passport_data.data.find((e) => e.type === type);
      const creds = credentials.secure_data[type as 'address']?.data;
      assert.ok(element && typeof element.data === 'string' && creds, type);
      assertRawElement(element.data, creds, derived);
    }
  });
});

describe('Telegram.Bot.Extensions.Passport vectors', () => {
  test('every fixture decrypts, with the nonce / legacy payload the C# tests expect', () => {
    const v = netVectors();
    assert.deepEqual(Object.keys(v.fixtures).sort(), [
      'address',
      'driver_license',
      'identity_card.utility_bill',
      'passport',
      'personal_details',
    ]);
    for (const [name, fixture] of Object.entries(v.fixtures)) {
      const { credentials, elements } = decryptAll(fixture, netPrivateKeyPem());
      assert.deepEqual(
        elements.map((e) => e.type),
        fixture.data.map((e) => e.type),
        name,
      );
      if (name === 'passport') {
        // The passport.json fixture comes from a legacy (array) scope: `payload`, not `nonce`.
        assert.ok('payload' in credentials && !('nonce' in credentials));
        assert.equal(credentials.payload, 'TEST');
      } else {
        assert.ok('nonce' in credentials, name);
        assert.equal(credentials.nonce, v.expected.nonce[name], name);
      }
      for (const element of elements) {
        const expected = v.expected.decrypted_data[`${name}/${element.type}`];
        if (expected !== undefined) assert.deepEqual(element.data, expected, `${name}/${element.type}`);
      }
    }
  });

  test('the decrypted values include Persian native names and empty optional fields', () => {
    const { elements } = decryptAll(netVectors().fixtures.personal_details!, netPrivateKeyPem());
    assert.equal(elements[0]?.data?.last_name_native, 'اشرف پور');
    assert.equal(elements[0]?.data?.middle_name, '');
  });

  test('every element and credentials plaintext matches verify.py byte for byte (derived)', () => {
    const v = netVectors();
    const d = netDerived();
    const key = netPrivateKeyPem();
    let checkedElements = 0;
    for (const [name, fixture] of Object.entries(v.fixtures)) {
      const derived = d.fixtures[name];
      assert.ok(derived, name);
      const secret = credentialsSecret(fixture.credentials, key);
      assert.equal(toBase64(secret), derived.credentials_secret_b64, name);
      const c = fixture.credentials;
      const plain = decryptData(fromBase64(c.data, 'd'), fromBase64(c.hash, 'h'), secret);
      assert.equal(plain.toString('utf8'), derived.credentials_plain_utf8, name);
      assert.equal(fromBase64(c.data, 'd').length - plain.length, derived.credentials_pad_len, name);
      const credentials = decryptCredentials(c, parseRsaPrivateKey(key));
      for (const [type, de] of Object.entries(derived.elements)) {
        const element = fixture.data.find((e) => e.type === type);
        const creds = credentials.secure_data[type as 'address']?.data;
        assert.ok(element && typeof element.data === 'string' && creds, `${name}/${type}`);
        assertRawElement(element.data, creds, de);
        checkedElements++;
      }
    }
    assert.equal(checkedElements, 6);
  });

  test('the standalone data credentials of "Data Decryption Tests.cs" open address.json', () => {
    const v = netVectors();
    const [creds] = v.expected.standalone_data_credentials;
    const encrypted = v.fixtures.address?.data[0]?.data;
    assert.ok(creds && typeof encrypted === 'string');
    assert.deepEqual(decryptDataWithCredentials(encrypted, creds), v.expected.decrypted_data['address/address']);
  });

  test('the 10 real encrypted scans decrypt with the credentials they belong to', async () => {
    const v = netVectors();
    const d = netDerived();
    const key = parseRsaPrivateKey(netPrivateKeyPem());
    const files = readdirSync(vectorPath('telegram-bot-extensions-passport-files')).filter((f) => f.endsWith('.jpg.enc'));
    assert.equal(files.length, 10);
    assert.deepEqual(Object.keys(v.expected.file_to_credentials).sort(), [...files].sort());
    const tmp = mkdtempSync(join(tmpdir(), 'pv-scan-'));
    let upstreamMatches = 0;
    try {
      for (const file of files) {
        // "fixture:type.slot[index]" -> that FileCredentials inside the fixture's decrypted credentials.
        const m = /^([^:]+):(\w+)\.(\w+)(?:\[(\d+)\])?$/.exec(v.expected.file_to_credentials[file] ?? '');
        assert.ok(m, file);
        const [, fixtureName, type, slot, index] = m;
        const fixture = v.fixtures[fixtureName ?? ''];
        assert.ok(fixture, file);
        const value = decryptCredentials(fixture.credentials, key).secure_data[type as 'passport'];
        const slotValue: unknown = value?.[slot as 'front_side' | 'files'];
        const creds = (index === undefined ? slotValue : (slotValue as FileCredentials[])[Number(index)]) as
          | FileCredentials
          | undefined;
        assert.ok(creds, file);

        const encrypted = readFileSync(vectorPath('telegram-bot-extensions-passport-files', file));
        const plain = decryptFileWithCredentials(encrypted, creds);
        const derived = d.files[file];
        assert.ok(derived, file);
        assert.equal(creds.file_hash, derived.file_hash_b64, file);
        assert.equal(creds.secret, derived.secret_b64, file);
        assert.equal(plain.length, derived.plain_len, file);
        assert.equal(encrypted.length - plain.length, derived.pad_len, file);
        assert.equal(sha256Hex(plain), derived.plain_sha256, file);
        assert.ok(plain.subarray(0, 3).equals(JPEG_MAGIC), `${file} decrypts to a JPEG`);

        // The upstream .jpg files: the five non-driver-license ones are this exact plaintext
        // (README: the committed driver_license-*.jpg come from another upload).
        const upstream = v.expected.committed_plaintext_sha256[file];
        if (upstream !== undefined && !file.startsWith('driver_license-')) {
          assert.equal(sha256Hex(plain), upstream, file);
          upstreamMatches++;
        }

        // The streaming decryptor gives the same bytes.
        const out = join(tmp, file.replace(/\.enc$/, ''));
        openFile(vectorPath('telegram-bot-extensions-passport-files', file), out, fromBase64(creds.secret, 's'), fromBase64(creds.file_hash, 'h'));
        assert.equal(sha256Hex(readFileSync(out)), derived.plain_sha256, `${file} (streamed)`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    assert.equal(upstreamMatches, 5);
  });

  test('the standalone file credentials of "File Bytes Decryption Tests.cs" open the selfie', () => {
    const v = netVectors();
    const [fc] = v.expected.standalone_file_credentials;
    assert.ok(fc);
    const plain = decryptFileWithCredentials(readFileSync(vectorPath('telegram-bot-extensions-passport-files', fc.file)), fc);
    assert.equal(sha256Hex(plain), netDerived().files[fc.file]?.plain_sha256);
  });
});

describe('secrets in real data', () => {
  test('all 34 real secrets (credentials secrets and disclosed secrets) pass the 239 checksum', () => {
    const secrets: Buffer[] = [];
    const ptb = ptbVectors();
    secrets.push(credentialsSecret(ptb.passport_data.credentials, ptbPrivateKeyPem()));
    for (const s of disclosedSecrets(decryptCredentials(ptb.passport_data.credentials, parseRsaPrivateKey(ptbPrivateKeyPem())))) {
      secrets.push(fromBase64(s, 'secret'));
    }
    for (const fixture of Object.values(netVectors().fixtures)) {
      secrets.push(credentialsSecret(fixture.credentials, netPrivateKeyPem()));
      for (const s of disclosedSecrets(decryptCredentials(fixture.credentials, parseRsaPrivateKey(netPrivateKeyPem())))) {
        secrets.push(fromBase64(s, 'secret'));
      }
    }
    assert.equal(secrets.length, 34);
    for (const s of secrets) assert.ok(isValidSecret(s));
  });
});

describe('missing vectors', () => {
  test('fail loudly with a message saying where to get them (never skipped)', () => {
    assert.throws(
      () => requireVectors('/nonexistent/passport-vectors'),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes('/nonexistent/passport-vectors') &&
        e.message.includes('PASSPORT_VECTORS_DIR') &&
        e.message.includes('../shared/vectors'),
    );
  });
});

/**
 * Passport authorization end to end in Node: a service's link (JS SDK packing) → AuthorizationService
 * (main) → mtcute → loopback server (account.getAuthorizationForm / acceptAuthorization) → what the
 * test bot received, decrypted with the bot's PRIVATE key by the service-side decrypter and,
 * independently, by Python's `cryptography`: every field, every file (downloaded ciphertext, file
 * hash), the nonce, and what must NOT be there (unrequested selfie/translations, unchosen options,
 * phone/e-mail secrets). Plus the error paths and their callbacks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationService, MemoryHistoryStore } from '../../../electron/main/authorization/authorization-service';
import { decryptFileWithCredentials, decryptPassportData, decryptValueSecret } from '../../../electron/main/passport/crypto/index';
import { authorizationTelegramOver } from '../../../electron/main/telegram/authorization-api';
import { getPassword, saveSecureValue, sendVerifyEmailCode, updateSecureSettings, uploadSecureFile, verifyEmail, type SecureFileInput } from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import type { TelegramConnection } from '../../../electron/main/telegram/index';
import type { SecureValueTypeName } from '../../../electron/common/passport/secure-value-types';
import { PassportDataSchema } from '../../../electron/common/passport/credentials';
import { DEMO_ACCOUNT } from '../../../tools/loopback-telegram/index';
import { botRegistry, type LoopbackBot } from '../../../tools/loopback-telegram/bots';
import { botFileBytes } from '../../../tools/loopback-telegram/methods/authorization';
import { jsSdkLink, link, type Json } from '../../support/link-samples';
import { startRig, type Rig } from './support/loopback';
import { expectAppError, noiseJpeg, seal, signInAs } from './support/passport';

const PERSONAL = { first_name: 'Zebulon', last_name: 'Quintavalle', birth_date: '17.03.1987', gender: 'male', country_code: 'IT', residence_country_code: 'DE', first_name_native: 'Zebulone', last_name_native: 'Quintavalle' };
const PASSPORT = { document_no: 'YB7Q41XK93', expiry_date: '09.11.2031' };
const LICENSE = { document_no: 'DL-5521', expiry_date: '' };
const EMAIL = 'zebulon@example.org';

describe('Passport authorization: link → form → credentials → what the bot decrypts', { timeout: 120_000 }, () => {
  let rig: Rig;
  let conn: TelegramConnection;
  let passportSecret: Buffer;
  let bot: LoopbackBot;
  let service: AuthorizationService;
  const opened: string[] = [];
  const history = new MemoryHistoryStore();
  /** Plaintext of every file the person saved, by type and slot, to compare with what the bot decrypts. */
  const files = new Map<string, Buffer>();
  let dir: string;

  async function upload(name: string, plain: Buffer): Promise<SecureFileInput> {
    files.set(name, plain);
    const s = seal(plain, passportSecret);
    return uploadSecureFile(conn, s.encrypted, s.hash, s.encryptedSecret);
  }

  async function saveData(type: SecureValueTypeName, data: object, secretId: bigint, extra: Record<string, unknown> = {}): Promise<void> {
    const s = seal(Buffer.from(JSON.stringify(data)), passportSecret);
    await saveSecureValue(conn, { type, data: { encrypted: s.encrypted, dataHash: s.hash, encryptedSecret: s.encryptedSecret }, ...extra }, secretId);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pv-auth-'));
    rig = await startRig();
    conn = rig.connect();
    await signInAs(conn, DEMO_ACCOUNT.phone, () => rig.server.lastCode(DEMO_ACCOUNT.phone), DEMO_ACCOUNT.password);
    const pw = await getPassword(conn);
    passportSecret = generatePassportSecret(pw.secureRandom);
    const wrapped = await wrapPassportSecret(passportSecret, DEMO_ACCOUNT.password, pw.newSecureSalt ?? Buffer.alloc(8));
    await updateSecureSettings(conn, DEMO_ACCOUNT.password, wrapped);
    const id = wrapped.secretId;
    const [front, selfie, tr1, tr2, dlFront, dlBack, bill] = await Promise.all([
      noiseJpeg(300, 200, 11), noiseJpeg(200, 260, 12), noiseJpeg(240, 320, 13), noiseJpeg(240, 320, 14), noiseJpeg(300, 190, 15), noiseJpeg(300, 190, 16), noiseJpeg(320, 420, 17),
    ]);
    await saveData('personal_details', PERSONAL, id);
    await saveData('passport', PASSPORT, id, {
      frontSide: await upload('passport.front_side', front),
      selfie: await upload('passport.selfie', selfie),
      translation: [await upload('passport.translation.0', tr1), await upload('passport.translation.1', tr2)],
    });
    // A driver license without selfie or translation: incomplete for a request that wants them.
    await saveData('driver_license', LICENSE, id, { frontSide: await upload('driver_license.front_side', dlFront), reverseSide: await upload('driver_license.reverse_side', dlBack) });
    await saveSecureValue(conn, { type: 'utility_bill', files: [await upload('utility_bill.files.0', bill)] }, id);
    await saveSecureValue(conn, { type: 'phone_number', plain: { phone: DEMO_ACCOUNT.phoneDigits } }, id);
    await sendVerifyEmailCode(conn, EMAIL);
    await verifyEmail(conn, rig.server.lastEmailCode(EMAIL) ?? '');
    await saveSecureValue(conn, { type: 'email', plain: { email: EMAIL } }, id);

    bot = botRegistry(rig.server.state).register({ username: 'kyc_test_bot', firstName: 'KYC Test', privacyPolicyUrl: 'https://kyc.example/privacy' });
    service = new AuthorizationService({
      telegram: authorizationTelegramOver(() => conn),
      keyring: { decryptSecret: (enc, hash) => Promise.resolve(decryptValueSecret(enc, passportSecret, hash)) },
      history,
      openInBrowser: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
  });
  after(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const SCOPE: { data: Json[]; v: number } = {
    data: [{ type: 'id_document', selfie: true, translation: true }, { type: 'personal_details', native_names: true }, 'address_document', 'phone_number', 'email'],
    v: 1,
  };

  test('the form: service, statuses per option, one_of choices, service errors, privacy policy', async () => {
    assert.ok(bot.id > 2n ** 32n, 'a bot id beyond 32 bits');
    // The service complained about the license's front side earlier.
    const dl = rig.server.state.users.get(rig.server.state.userByPhone(DEMO_ACCOUNT.phoneDigits)?.id ?? 0n)?.secureValues.get('secureValueTypeDriverLicense');
    const dlFront = dl?.frontSide === undefined ? undefined : rig.server.state.secureFiles.get(dl.frontSide);
    assert.ok(dlFront);
    const userId = rig.server.state.userByPhone(DEMO_ACCOUNT.phoneDigits)?.id ?? 0n;
    bot.setPassportDataErrors(userId, [{ source: 'front_side', type: 'driver_license', file_hash: dlFront.fileHash.toString('base64'), message: 'The photo is blurry' }]);

    const { requestId, request } = service.open(jsSdkLink({ bot_id: bot.id.toString(), scope: SCOPE, public_key: bot.publicKeyPem, nonce: 'n0nce-42', callback_url: 'https://kyc.example/done' }));
    assert.equal(request.scopeFormat, 'compact');
    const form = await service.getForm(requestId);
    assert.deepEqual(form.service, { botId: bot.id.toString(), name: 'KYC Test', username: 'kyc_test_bot' });
    assert.equal(form.privacyPolicyUrl, 'https://kyc.example/privacy');
    assert.equal(form.items.length, 5);
    const [ids, pd, proofs, phone, email] = form.items;
    assert.equal(ids?.kind, 'one_of');
    assert.deepEqual(ids?.options.map((o) => [o.type, o.status, o.selfie, o.translation]), [
      ['passport', 'ready', true, true],
      ['driver_license', 'needs_fix', true, true],
      ['identity_card', 'missing', true, true],
    ]);
    assert.deepEqual(ids?.options[1]?.missing, ['a selfie with the document', 'a translation']);
    assert.deepEqual(ids?.options[1]?.errors, ['the front side: The photo is blurry']);
    assert.equal(ids?.suggested, 'passport');
    assert.deepEqual([pd?.kind, pd?.options[0]?.status, pd?.options[0]?.nativeNames], ['type', 'ready', true]);
    assert.deepEqual(proofs?.options.map((o) => [o.type, o.status]), [['utility_bill', 'ready'], ['bank_statement', 'missing'], ['rental_agreement', 'missing']]);
    assert.equal(phone?.options[0]?.status, 'ready');
    assert.equal(email?.options[0]?.status, 'ready');
    assert.equal(form.complete, true);

    // Choosing the license is refused before anything is sent: it lacks parts and has a complaint.
    await expectAppError(service.authorize(requestId, [{ item: 0, type: 'driver_license' }, { item: 2, type: 'utility_bill' }]), 'AUTH_DATA_MISSING');
    assert.equal(bot.received.length, 0, 'nothing sent');
  });

  test('authorize: the bot decrypts exactly the chosen values, files and the nonce', async () => {
    opened.length = 0;
    const { requestId } = service.open(jsSdkLink({ bot_id: bot.id.toString(), scope: SCOPE, public_key: bot.publicKeyPem, nonce: 'n0nce-42', callback_url: 'https://kyc.example/done' }));
    await service.getForm(requestId);
    const result = await service.authorize(requestId, [{ item: 0, type: 'passport' }, { item: 2, type: 'utility_bill' }]);
    assert.deepEqual(result, { callbackUrl: 'https://kyc.example/done?tg_passport=success', opened: true, types: ['passport', 'personal_details', 'utility_bill', 'phone_number', 'email'] });
    assert.deepEqual(opened, ['https://kyc.example/done?tg_passport=success']);
    assert.equal(bot.received.length, 1);
    const got = bot.received[0]!;

    // Telegram got the scope verbatim, the value hashes unchanged.
    assert.equal(got.scope, '{"v":1,"d":[{"_":"idd","s":1,"t":1},{"_":"pd","n":1},"add","pn","em"]}');
    const user = rig.server.state.userByPhone(DEMO_ACCOUNT.phoneDigits);
    for (const h of got.valueHashes) assert.deepEqual(h.hash, user?.secureValues.get(h.type)?.hash);
    assert.deepEqual(got.valueHashes.map((h) => h.type).sort(), ['secureValueTypeEmail', 'secureValueTypePassport', 'secureValueTypePersonalDetails', 'secureValueTypePhone', 'secureValueTypeUtilityBill']);

    const privateKey = createPrivateKey(bot.privateKeyPem ?? '');
    const decrypted = decryptPassportData(PassportDataSchema.parse(got.passportData), privateKey);
    assert.ok('nonce' in decrypted.credentials && decrypted.credentials.nonce === 'n0nce-42');
    assert.ok(!('payload' in decrypted.credentials));
    const sd = decrypted.credentials.secure_data;
    assert.deepEqual(Object.keys(sd).sort(), ['passport', 'personal_details', 'utility_bill'], 'no driver license, no phone/e-mail entries');
    assert.deepEqual(Object.keys(sd.passport ?? {}).sort(), ['data', 'front_side', 'selfie', 'translation']);
    assert.deepEqual(Object.keys(sd.personal_details ?? {}), ['data']);
    assert.deepEqual(Object.keys(sd.utility_bill ?? {}), ['files']);

    const el = new Map(decrypted.elements.map((e) => [e.type, e]));
    assert.deepEqual(el.get('personal_details')?.data, PERSONAL);
    assert.deepEqual(el.get('passport')?.data, PASSPORT);
    assert.equal(el.get('phone_number')?.phone_number, DEMO_ACCOUNT.phoneDigits);
    assert.equal(el.get('email')?.email, EMAIL);
    // Every file: the bot downloads the ciphertext by file_id and opens it with its credentials.
    const raw = new Map(got.passportData.data.map((e) => [e.type, e]));
    const check = (name: string, fileId: string | undefined, creds: { file_hash: string; secret: string } | undefined): void => {
      assert.ok(fileId !== undefined && creds !== undefined, name);
      const enc = botFileBytes(rig.server, fileId);
      const serverHash = [...rig.server.state.secureFiles.values()].find((f) => `secure:${f.id}` === fileId)?.fileHash;
      assert.equal(creds.file_hash, serverHash?.toString('base64'), `${name}: file_hash`);
      assert.deepEqual(decryptFileWithCredentials(enc, creds), files.get(name), name);
    };
    check('passport.front_side', raw.get('passport')?.front_side?.file_id, sd.passport?.front_side);
    check('passport.selfie', raw.get('passport')?.selfie?.file_id, sd.passport?.selfie);
    check('passport.translation.0', raw.get('passport')?.translation?.[0]?.file_id, sd.passport?.translation?.[0]);
    check('passport.translation.1', raw.get('passport')?.translation?.[1]?.file_id, sd.passport?.translation?.[1]);
    check('utility_bill.files.0', raw.get('utility_bill')?.files?.[0]?.file_id, sd.utility_bill?.files?.[0]);

    const h = await service.history();
    assert.equal(h.at(-1)?.outcome, 'shared');
    assert.deepEqual(h.at(-1)?.types, ['passport', 'personal_details', 'utility_bill', 'phone_number', 'email']);
    assert.equal(h.at(-1)?.service, 'KYC Test');

    // An independent implementation opens the same credentials and data (Python's cryptography).
    const keyPath = join(dir, 'bot.pem');
    writeFileSync(keyPath, bot.privateKeyPem ?? '');
    const py = spawnSync('python3', ['-c', PYTHON], {
      timeout: 60_000,
      input: JSON.stringify({ key_path: keyPath, credentials: got.passportData.credentials, elements: got.passportData.data }),
      encoding: 'utf8',
    });
    assert.equal(py.status, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { nonce: string; types: string[]; data: Record<string, unknown> };
    assert.equal(out.nonce, 'n0nce-42');
    assert.deepEqual(out.types, ['passport', 'personal_details', 'utility_bill']);
    assert.deepEqual(out.data, { passport: PASSPORT, personal_details: PERSONAL });
  });

  test('without selfie/translation in the scope, they are not disclosed; a legacy list scope gets "payload"', async () => {
    const { requestId, request } = service.open(
      link('tg://resolve?domain=telegrampassport&', { bot_id: bot.id.toString(), scope: '["passport","utility_bill"]', public_key: bot.publicKeyPem, payload: 'legacy-77' }),
    );
    assert.equal(request.nonceKey, 'payload');
    await service.getForm(requestId);
    const r = await service.authorize(requestId, []);
    assert.deepEqual(r, { callbackUrl: null, opened: false, types: ['passport', 'utility_bill'] });
    const got = bot.received.at(-1)!;
    const d = decryptPassportData(PassportDataSchema.parse(got.passportData), createPrivateKey(bot.privateKeyPem ?? ''));
    assert.ok('payload' in d.credentials && d.credentials.payload === 'legacy-77');
    assert.deepEqual(Object.keys(d.credentials.secure_data.passport ?? {}).sort(), ['data', 'front_side'], 'no selfie, no translation');
    const pp = got.passportData.data.find((e) => e.type === 'passport');
    assert.ok(pp?.front_side && pp.selfie === undefined && pp.translation === undefined, 'the bot is not even given the files');
  });

  test('a one_of with nothing complete: AUTH_DATA_MISSING, nothing sent', async () => {
    const before = bot.received.length;
    const { requestId } = service.open(link('tg://passport?', { bot_id: bot.id.toString(), scope: '{"data":[{"one_of":["identity_card","internal_passport"]}],"v":1}', public_key: bot.publicKeyPem, nonce: 'x' }));
    const form = await service.getForm(requestId);
    assert.equal(form.complete, false);
    const err = await expectAppError(service.authorize(requestId, [{ item: 0, type: 'identity_card' }]), 'AUTH_DATA_MISSING');
    assert.equal(err.details?.['type'], 'identity_card');
    assert.equal(bot.received.length, before);
    opened.length = 0;
    assert.deepEqual(await service.cancel(requestId), { callbackUrl: null, opened: false });
    await expectAppError(service.getForm(requestId), 'AUTH_REQUEST_UNKNOWN');
  });

  test('Telegram refusals are explained and forwarded to the callback on close', async () => {
    const other = botRegistry(rig.server.state).register({ username: 'other_bot', modulusLength: 1024 });
    const cases: [string, string][] = [
      [jsSdkLink({ bot_id: bot.id.toString(), scope: SCOPE, public_key: other.publicKeyPem, nonce: 'n', callback_url: 'https://kyc.example/cb?u=1' }), 'PUBLIC_KEY_INVALID'],
      [jsSdkLink({ bot_id: '777000111222', scope: SCOPE, public_key: bot.publicKeyPem, nonce: 'n', callback_url: 'https://kyc.example/cb?u=1' }), 'BOT_INVALID'],
    ];
    for (const [l, code] of cases) {
      opened.length = 0;
      const { requestId } = service.open(l);
      await expectAppError(service.getForm(requestId), code);
      const closed = await service.cancel(requestId);
      assert.equal(closed.callbackUrl, `https://kyc.example/cb?u=1&tg_passport=error&error=${code}`);
      assert.deepEqual(opened, [closed.callbackUrl]);
    }
    // A plain cancel, and a browser that cannot be opened: the URL comes back to be shown.
    const failing = new AuthorizationService({
      telegram: authorizationTelegramOver(() => conn),
      keyring: { decryptSecret: () => Promise.reject(new Error('unused')) },
      history,
      openInBrowser: () => Promise.reject(new Error('no browser')),
    });
    const { requestId } = failing.open(jsSdkLink({ bot_id: bot.id.toString(), scope: SCOPE, public_key: bot.publicKeyPem, nonce: 'n', callback_url: 'https://kyc.example/#/kyc' }));
    await failing.getForm(requestId);
    assert.deepEqual(await failing.cancel(requestId), { callbackUrl: 'https://kyc.example/#/kyc?tg_passport=cancel', opened: false });
  });

  test('the server itself refuses bad scopes and hashes (raw calls)', async () => {
    const params = { botId: bot.id.toString(), publicKey: bot.publicKeyPem };
    const api = authorizationTelegramOver(() => conn);
    await expectAppError(api.getForm({ ...params, scope: '{"data":["nonsense"],"v":1}' }), 'SCOPE_EMPTY');
    await expectAppError(api.getForm({ ...params, scope: '{"data":["email"]}', publicKey: '' }), 'PUBLIC_KEY_REQUIRED');
    const err = await expectAppError(
      api.accept({ ...params, scope: '{"data":["email"],"v":1}', valueHashes: [{ type: 'email', hash: randomBytes(32) }], credentials: { data: Buffer.alloc(32), hash: Buffer.alloc(32), secret: Buffer.alloc(256) } }),
      'TELEGRAM_ERROR',
    );
    assert.equal(err.details?.['rpc'], 'SECURE_VALUE_HASH_INVALID');
  });
});

const PYTHON = String.raw`
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def b(s): return base64.b64decode(s, validate=True)
def open_data(secret, h, ct):
    kiv = hashlib.sha512(secret + h).digest()
    d = Cipher(algorithms.AES(kiv[:32]), modes.CBC(kiv[32:48])).decryptor()
    padded = d.update(ct) + d.finalize()
    assert hashlib.sha256(padded).digest() == h, "hash mismatch"
    assert 32 <= padded[0] <= 255
    return padded[padded[0]:]

req = json.load(sys.stdin)
key = serialization.load_pem_private_key(open(req["key_path"], "rb").read(), password=None)
c = req["credentials"]
secret = key.decrypt(b(c["secret"]), padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
assert len(secret) == 32 and sum(secret) % 255 == 239, "credentials secret checksum"
creds = json.loads(open_data(secret, b(c["hash"]), b(c["data"])))
data = {}
for el in req["elements"]:
    if "data" in el:
        dc = creds["secure_data"][el["type"]]["data"]
        data[el["type"]] = json.loads(open_data(b(dc["secret"]), b(dc["data_hash"]), b(el["data"])))
print(json.dumps({"nonce": creds.get("nonce"), "types": sorted(creds["secure_data"].keys()), "data": data}))
`;

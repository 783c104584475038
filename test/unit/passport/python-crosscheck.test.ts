/**
 * Cross-check against an independent implementation: Python's `cryptography` (python3-cryptography)
 * and `hashlib`. We encrypt; Python decrypts with its own RSA-OAEP(SHA-1), AES-CBC, SHA-256 and
 * PBKDF2 and prints what it found. If python3 or the module is missing, the test FAILS (CI
 * installs python3-cryptography).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey, randomBytes } from 'node:crypto';
import { buildCredentials, encryptCredentials, type ValueToShare } from '../../../electron/main/passport/crypto/credentials';
import { encryptData } from '../../../electron/main/passport/crypto/data-encryption';
import { encryptPassportSecret, extendSecureSalt } from '../../../electron/main/passport/crypto/passport-secret';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { encryptValueSecret } from '../../../electron/main/passport/crypto/value-secret';
import type { SecureValueTypeName } from '../../../electron/common/passport/secure-value-types';
import { netDerived, netPrivateKeyPem, pemText, ptbDerived, ptbPrivateKeyPem, vectorPath } from './vectors';

/** Python's side of the checks: its own RSA-OAEP, AES-CBC and Passport padding. */
const PY_HELPERS = String.raw`
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def b(s): return base64.b64decode(s, validate=True)

def aes_cbc_decrypt(secret, h, ct):
    kiv = hashlib.sha512(secret + h).digest()
    d = Cipher(algorithms.AES(kiv[:32]), modes.CBC(kiv[32:48])).decryptor()
    return d.update(ct) + d.finalize()

def open_data(secret, h, ct):
    padded = aes_cbc_decrypt(secret, h, ct)
    assert hashlib.sha256(padded).digest() == h, "hash mismatch"
    pad = padded[0]
    assert 32 <= pad <= 255 and pad <= len(padded), "bad padding"
    return padded[pad:]

def checksum_ok(s): return len(s) == 32 and sum(s) % 255 == 239

def open_credentials(key_path, c):
    key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
    secret = key.decrypt(b(c["secret"]), padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
    return json.loads(open_data(secret, b(c["hash"]), b(c["data"]))), checksum_ok(secret)
`;

const PYTHON = String.raw`${PY_HELPERS}
req = json.load(sys.stdin)
creds, credentials_checksum_ok = open_credentials(req["key_path"], req["credentials"])

v = req["value"]
pd = creds["secure_data"]["personal_details"]["data"]
value_plain = open_data(b(pd["secret"]), b(pd["data_hash"]), b(v["encrypted"]))

p = req["passport"]
kiv = hashlib.pbkdf2_hmac("sha512", p["password"].encode(), b(p["salt"]), 100000, 64)
d = Cipher(algorithms.AES(kiv[:32]), modes.CBC(kiv[32:48])).decryptor()
passport_secret = d.update(b(p["encrypted_secret"])) + d.finalize()
fp = int.from_bytes(hashlib.sha256(passport_secret).digest()[:8], "little", signed=True)
vs = aes_cbc_decrypt(passport_secret, b(pd["data_hash"]), b(p["encrypted_value_secret"]))

print(json.dumps({
    "credentials": creds,
    "credentials_secret_checksum_ok": credentials_checksum_ok,
    "value_plain": value_plain.decode(),
    "passport_secret": base64.b64encode(passport_secret).decode(),
    "passport_secret_checksum_ok": checksum_ok(passport_secret),
    "secret_id": str(fp),
    "value_secret": base64.b64encode(vs).decode(),
}))
`;

const PY_OPEN_ALL = String.raw`${PY_HELPERS}
print(json.dumps([dict(zip(("credentials", "checksum_ok"), open_credentials(r["key_path"], r["credentials"]))) for r in json.load(sys.stdin)]))
`;

type CredentialsJson = { secure_data: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The layout of a JSON value: every string replaced by "string", so two credentials compare by shape. */
function layout(v: unknown): unknown {
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return v.map(layout);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]): [string, unknown] => [k, layout(x)]));
  return v;
}

/** What a value shares, read off a real credentials JSON: the same slots, with fresh hashes and secrets. */
function valuesShaped(like: CredentialsJson): ValueToShare[] {
  const file = () => ({ fileHash: randomBytes(32), secret: generateSecret() });
  return Object.entries(like.secure_data).map(([type, slots]) => {
    const count = (k: string) => (Array.isArray(slots[k]) ? (slots[k] as unknown[]).length : 0);
    return {
      type: type as SecureValueTypeName,
      ...('data' in slots ? { data: { dataHash: randomBytes(32), secret: generateSecret() } } : {}),
      ...('front_side' in slots ? { frontSide: file() } : {}),
      ...('reverse_side' in slots ? { reverseSide: file() } : {}),
      ...('selfie' in slots ? { selfie: file(), selfieRequested: true } : {}),
      ...(count('files') > 0 ? { files: Array.from({ length: count('files') }, file) } : {}),
      ...(count('translation') > 0 ? { translation: Array.from({ length: count('translation') }, file), translationRequested: true } : {}),
    };
  });
}

/** Encrypted credentials as they travel in passport_data (base64 fields), for the Python side. */
const credentialsJson = (enc: { data: Buffer; hash: Buffer; secret: Buffer }) => ({ data: enc.data.toString('base64'), hash: enc.hash.toString('base64'), secret: enc.secret.toString('base64') });

function requirePythonCryptography(): void {
  const probe = spawnSync('python3', ['-c', 'import cryptography; print(cryptography.__version__)'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    throw new Error(
      'This cross-check needs python3 with the "cryptography" module (Debian: apt-get install python3-cryptography). ' +
        `python3 said: ${probe.error?.message ?? probe.stderr.trim()}`,
    );
  }
}

describe('independent implementation (Python cryptography + hashlib)', () => {
  test('opens our credentials, value data, passport secret and value secret', async () => {
    requirePythonCryptography();
    const publicKeyPem = pemText(createPublicKey(ptbPrivateKeyPem()).export({ type: 'spki', format: 'pem' }));

    const valueJson = JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', last_name_native: 'Лавлейс' });
    const value = encryptData(Buffer.from(valueJson));
    const passportSecret = generateSecret();
    const password = 'correct horse ☃';
    const salt = extendSecureSalt(randomBytes(8));
    const wrapped = await encryptPassportSecret(passportSecret, Buffer.from(password), salt);

    const credentials = buildCredentials(
      [
        { type: 'personal_details', data: { dataHash: value.hash, secret: value.secret } },
        { type: 'passport', frontSide: { fileHash: randomBytes(32), secret: generateSecret() } },
      ],
      '{"data":["personal_details","passport"],"v":1}',
      'nonce-☃',
    );
    const enc = encryptCredentials(credentials, publicKeyPem);
    const request = {
      key_path: vectorPath('python-telegram-bot.private_key.pem'),
      credentials: credentialsJson(enc),
      value: { encrypted: value.encrypted.toString('base64') },
      passport: {
        password,
        salt: salt.toString('base64'),
        encrypted_secret: wrapped.encryptedSecret.toString('base64'),
        encrypted_value_secret: encryptValueSecret(value.secret, passportSecret, value.hash).toString('base64'),
      },
    };
    const py = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(request), encoding: 'utf8', timeout: 60_000 });
    assert.equal(py.status, 0, py.stderr);
    const out = JSON.parse(py.stdout) as Record<string, unknown>;
    assert.deepEqual(out.credentials, credentials);
    assert.equal(out.credentials_secret_checksum_ok, true);
    assert.equal(out.value_plain, valueJson);
    assert.equal(out.passport_secret, passportSecret.toString('base64'));
    assert.equal(out.passport_secret_checksum_ok, true);
    assert.equal(out.secret_id, wrapped.secretId.toString());
    assert.equal(out.value_secret, value.secret.toString('base64'));
  });

  test('credentials in the request shapes of the vectors (PTB and each .NET fixture) open in Python with the vector’s own bot key', () => {
    requirePythonCryptography();
    const samples = [
      { name: 'python-telegram-bot', plain: ptbDerived().credentials_plain_utf8, keyPem: ptbPrivateKeyPem(), keyPath: vectorPath('python-telegram-bot.private_key.pem') },
      ...Object.entries(netDerived().fixtures).map(([name, f]) => ({
        name: `.NET ${name}`,
        plain: f.credentials_plain_utf8,
        keyPem: netPrivateKeyPem(),
        keyPath: vectorPath('telegram-bot-extensions-passport.private_key.pem'),
      })),
    ];
    assert.equal(samples.length, 6);
    const built = samples.map((sample) => {
      const real = JSON.parse(sample.plain) as CredentialsJson;
      const legacy = 'payload' in real;
      const nonce = String(legacy ? real['payload'] : real['nonce']);
      const types = Object.keys(real.secure_data);
      // The scope decides nonce vs payload, as in the request the vector answered: an object scope or a legacy list.
      const scope = legacy ? types.join(',') : JSON.stringify({ data: types, v: 1 });
      const credentials = buildCredentials(valuesShaped(real), scope, nonce);
      assert.deepEqual(layout(credentials), layout(real), `${sample.name}: the layout real clients wrote`);
      const publicKeyPem = pemText(createPublicKey(sample.keyPem).export({ type: 'spki', format: 'pem' }));
      const enc = encryptCredentials(credentials, publicKeyPem);
      return { credentials, request: { key_path: sample.keyPath, credentials: credentialsJson(enc) } };
    });
    const py = spawnSync('python3', ['-c', PY_OPEN_ALL], { input: JSON.stringify(built.map((b) => b.request)), encoding: 'utf8', timeout: 120_000 });
    assert.equal(py.status, 0, py.stderr);
    const opened = JSON.parse(py.stdout) as { credentials: unknown; checksum_ok: boolean }[];
    assert.equal(opened.length, samples.length);
    opened.forEach((o, i) => {
      assert.deepEqual(o.credentials, built[i]?.credentials, samples[i]?.name);
      assert.equal(o.checksum_ok, true, samples[i]?.name);
    });
  });
});

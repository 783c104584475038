import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import {
  SECURE_VALUE_TYPE_NAMES,
  SECURE_VALUE_TYPES,
  secureValueTypeByConstructorId,
} from '../../../electron/common/passport/secure-value-types';
import type { SecureValueTypeName } from '../../../electron/common/passport/secure-value-types';
import { decryptCredentials } from '../../../electron/main/passport/crypto/service-decrypt';
import { parseRsaPrivateKey } from '../../../electron/main/passport/crypto/rsa';
import { netPrivateKeyPem, netVectors, ptbPrivateKeyPem, ptbVectors } from './vectors';

describe('SecureValueType catalogue', () => {
  test('13 types, each constructor id is the CRC32 of its TL declaration', () => {
    assert.equal(SECURE_VALUE_TYPE_NAMES.length, 13);
    for (const name of SECURE_VALUE_TYPE_NAMES) {
      const info = SECURE_VALUE_TYPES[name];
      assert.equal(info.type, name);
      // TL ids are CRC32 of the declaration without the id: "name = Type".
      assert.equal(info.constructorId, crc32(`${info.tlName} = SecureValueType`), name);
      assert.equal(secureValueTypeByConstructorId(info.constructorId), info);
    }
  });

  test('groups, data kinds, slots and plain values as documented', () => {
    const by = (pred: (n: SecureValueTypeName) => boolean) => SECURE_VALUE_TYPE_NAMES.filter(pred);
    const t = SECURE_VALUE_TYPES;
    assert.deepEqual(by((n) => t[n].group === 'identity'), ['personal_details', 'passport', 'driver_license', 'identity_card', 'internal_passport']);
    assert.deepEqual(by((n) => t[n].group === 'contact'), ['phone_number', 'email']);
    assert.deepEqual(by((n) => t[n].data === 'id_document'), ['passport', 'driver_license', 'identity_card', 'internal_passport']);
    assert.deepEqual(by((n) => t[n].fileSlots.includes('reverse_side')), ['driver_license', 'identity_card']);
    assert.deepEqual(by((n) => t[n].fileSlots.includes('selfie')), by((n) => t[n].data === 'id_document'));
    assert.deepEqual(by((n) => t[n].files), ['utility_bill', 'bank_statement', 'rental_agreement', 'passport_registration', 'temporary_registration']);
    assert.deepEqual(by((n) => t[n].translation), [...by((n) => t[n].data === 'id_document'), ...by((n) => t[n].files)]);
    assert.equal(t.phone_number.plain, 'phone');
    assert.equal(t.email.plain, 'email');
    assert.equal(t.address.data, 'address');
    assert.equal(t.personal_details.data, 'personal_details');
  });

  test('what real credentials carry for each type is allowed by the catalogue', () => {
    const all = [
      decryptCredentials(ptbVectors().passport_data.credentials, parseRsaPrivateKey(ptbPrivateKeyPem())),
      ...Object.values(netVectors().fixtures).map((f) => decryptCredentials(f.credentials, parseRsaPrivateKey(netPrivateKeyPem()))),
    ];
    let seen = 0;
    for (const c of all) {
      for (const [type, v] of Object.entries(c.secure_data)) {
        const info = SECURE_VALUE_TYPES[type as SecureValueTypeName];
        assert.equal(info.plain, null, `${type} is not plain`);
        if (v?.data) assert.notEqual(info.data, null, `${type} data`);
        for (const slot of ['front_side', 'reverse_side', 'selfie'] as const) {
          if (v?.[slot]) assert.ok(info.fileSlots.includes(slot), `${type}.${slot}`);
        }
        if (v?.files) assert.ok(info.files, `${type}.files`);
        if (v?.translation) assert.ok(info.translation, `${type}.translation`);
        seen++;
      }
    }
    assert.equal(seen, 11);
  });
});

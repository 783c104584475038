import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Email,
  IdDocumentDataSchema,
  isRealDate,
  PersonalDetailsSchema,
  PhoneNumber,
  ResidentialAddressSchema,
} from '../../../electron/common/passport';
import { DATA_SCHEMAS } from '../../../electron/common/passport/schemas';
import { SECURE_VALUE_TYPES, isSecureValueTypeName } from '../../../electron/common/passport/secure-value-types';
import { netDerived, netVectors, ptbDerived, ptbVectors } from './vectors';

const personal = {
  first_name: 'Anna-Maria',
  last_name: "O'Neil",
  birth_date: '29.02.2000',
  gender: 'female',
  country_code: 'DE',
  residence_country_code: 'FR',
};
const address = {
  street_line1: '1 Main St',
  city: 'Berlin',
  country_code: 'DE',
  post_code: '10115',
};

/** Every decrypted data object in the vectors, with the schema its type calls for. */
function realDataObjects(): { where: string; type: string; data: Record<string, string> }[] {
  const out: { where: string; type: string; data: Record<string, string> }[] = [];
  for (const [type, data] of Object.entries(ptbVectors().expected.decrypted_data)) out.push({ where: `ptb/${type}`, type, data });
  for (const [key, data] of Object.entries(netVectors().expected.decrypted_data)) {
    out.push({ where: `net/${key}`, type: key.split('/')[1] ?? '', data });
  }
  // Values that have no upstream expectation (the passport fixture) come from verify.py's plaintext.
  for (const [fixture, d] of [...Object.entries(netDerived().fixtures), ['ptb', ptbDerived()] as const]) {
    for (const [type, e] of Object.entries(d.elements)) {
      out.push({ where: `derived/${fixture}/${type}`, type, data: JSON.parse(e.plain_utf8) as Record<string, string> });
    }
  }
  return out;
}

describe('schemas accept the real data', () => {
  test('every decrypted value in both vector sets validates against its type schema', () => {
    const all = realDataObjects();
    assert.ok(all.length >= 13);
    for (const { where, type, data } of all) {
      assert.ok(isSecureValueTypeName(type), where);
      const kind = SECURE_VALUE_TYPES[type].data;
      assert.ok(kind, where);
      const result = DATA_SCHEMAS[kind].safeParse(data);
      assert.ok(result.success, `${where}: ${result.error?.message ?? ''}`);
      // Validation never rewrites a value: what we re-encrypt is what was there.
      assert.deepEqual(result.data, data, where);
    }
  });
});

describe('PersonalDetails', () => {
  test('tdesktop rules', () => {
    assert.ok(PersonalDetailsSchema.safeParse(personal).success);
    const bad: Record<string, unknown>[] = [
      { first_name: 'Анна' }, // Latin only
      { first_name: '' },
      { last_name: 'x'.repeat(256) },
      { birth_date: '29.02.2001' }, // not a real date
      { birth_date: '31.04.2000' },
      { birth_date: '2000-01-01' },
      { birth_date: '1.1.2000' },
      { gender: 'other' },
      { country_code: 'de' },
      { residence_country_code: 'DEU' },
      { middle_name: 'Ζ' },
      { first_name: 42 }, // every value is a string
      { extra: true }, // unknown keys must be strings too
      { first_name_native: 'x'.repeat(256) },
    ];
    for (const patch of bad) {
      assert.equal(PersonalDetailsSchema.safeParse({ ...personal, ...patch }).success, false, JSON.stringify(patch));
    }
    for (const key of ['first_name', 'last_name', 'birth_date', 'gender', 'country_code', 'residence_country_code']) {
      const copy: Record<string, string> = { ...personal };
      delete copy[key];
      assert.equal(PersonalDetailsSchema.safeParse(copy).success, false, `missing ${key}`);
    }
  });

  test('optional fields may be absent or ""; native names take any script; unknown string keys are kept', () => {
    const withNative = { ...personal, middle_name: '', first_name_native: 'پولاد', last_name_native: 'Иванова', x_new: 'kept' };
    const r = PersonalDetailsSchema.safeParse(withNative);
    assert.ok(r.success);
    assert.equal(r.data.x_new, 'kept');
  });
});

describe('IdDocumentData', () => {
  test('document_no 1..24, expiry_date a real date or ""', () => {
    assert.ok(IdDocumentDataSchema.safeParse({ document_no: 'A', expiry_date: '' }).success);
    assert.ok(IdDocumentDataSchema.safeParse({ document_no: 'A' }).success);
    assert.ok(IdDocumentDataSchema.safeParse({ document_no: 'x'.repeat(24), expiry_date: '31.12.2030' }).success);
    assert.equal(IdDocumentDataSchema.safeParse({ document_no: '' }).success, false);
    assert.equal(IdDocumentDataSchema.safeParse({ document_no: 'x'.repeat(25) }).success, false);
    assert.equal(IdDocumentDataSchema.safeParse({ document_no: 'A', expiry_date: '32.01.2030' }).success, false);
    assert.equal(IdDocumentDataSchema.safeParse({ document_no: 'A', expiry_date: null }).success, false);
  });
});

describe('ResidentialAddress', () => {
  test('lengths, post code and country', () => {
    assert.ok(ResidentialAddressSchema.safeParse(address).success);
    assert.ok(ResidentialAddressSchema.safeParse({ ...address, post_code: 'A1A 1A1', street_line2: '', state: '' }).success);
    const bad: Record<string, unknown>[] = [
      { street_line1: '' },
      { street_line1: 'x'.repeat(65) },
      { city: 'B' },
      { post_code: 'A' },
      { post_code: '12345678901' },
      { post_code: ' 12345' },
      { post_code: '123_45' },
      { country_code: 'XXX' },
      { state: 'x'.repeat(65) },
    ];
    for (const patch of bad) {
      assert.equal(ResidentialAddressSchema.safeParse({ ...address, ...patch }).success, false, JSON.stringify(patch));
    }
  });
});

describe('plain values and dates', () => {
  test('phone digits 2..12, email with @ and a dot after it', () => {
    assert.ok(PhoneNumber.safeParse('491701234567').success);
    assert.equal(PhoneNumber.safeParse('+49170').success, false);
    assert.equal(PhoneNumber.safeParse('1').success, false);
    assert.ok(Email.safeParse('fb3e3i47zt@dispostable.com').success);
    for (const bad of ['a@b', '@b.com', 'a.b@c', 'a@.com', 'a@b.']) assert.equal(Email.safeParse(bad).success, false, bad);
  });

  test('leap years', () => {
    assert.ok(isRealDate('29.02.2000'));
    assert.ok(isRealDate('29.02.2024'));
    assert.equal(isRealDate('29.02.1900'), false);
    assert.equal(isRealDate('00.01.2000'), false);
    assert.equal(isRealDate('01.13.2000'), false);
    assert.equal(isRealDate('01.01.0000'), false);
  });
});

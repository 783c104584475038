import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FORM_FIELDS, isoDateToPassport, passportDateToIso } from '../../../electron/common/passport/form-fields';
import { DATA_SCHEMAS, type DataKind } from '../../../electron/common/passport/schemas';

test('every form field is a schema field and every schema field has a form field, optional exactly when the schema says', () => {
  for (const kind of Object.keys(DATA_SCHEMAS) as DataKind[]) {
    const shape = DATA_SCHEMAS[kind].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    assert.deepEqual(FORM_FIELDS[kind].map((x) => x.key).sort(), Object.keys(shape).sort(), kind);
    for (const field of FORM_FIELDS[kind]) {
      const acceptsMissing = shape[field.key]?.safeParse(undefined).success === true;
      assert.equal(field.optional, acceptsMissing, `${kind}.${field.key}`);
    }
  }
});

test('dates convert both ways between DD.MM.YYYY and the date input’s YYYY-MM-DD', () => {
  assert.equal(passportDateToIso('30.07.1990'), '1990-07-30');
  assert.equal(isoDateToPassport('1990-07-30'), '30.07.1990');
  assert.equal(passportDateToIso(''), '');
  fc.assert(
    fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 10);
      assert.equal(passportDateToIso(isoDateToPassport(iso)), iso);
    }),
  );
});

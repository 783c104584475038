/** secureValueError* → per value / field / file errors, applying only while their hash is current. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { tl } from '@mtcute/core';
import { errorsForValue, parseSecureValueErrors, fromFormErrors, type ValueHashes } from '../../../electron/main/vault/telegram/service-errors';

const h = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const b = (n: number): string => Buffer.from(h(n)).toString('base64');
const t = (name: string): tl.TypeSecureValueType => ({ _: name }) as tl.TypeSecureValueType;

const RAW: tl.TypeSecureValueError[] = [
  { _: 'secureValueError', type: t('secureValueTypePassport'), hash: h(1), text: 'whole value' },
  { _: 'secureValueErrorData', type: t('secureValueTypePassport'), dataHash: h(2), field: 'document_no', text: 'bad number' },
  { _: 'secureValueErrorFrontSide', type: t('secureValueTypePassport'), fileHash: h(3), text: 'blurry front' },
  { _: 'secureValueErrorSelfie', type: t('secureValueTypePassport'), fileHash: h(4), text: 'no face' },
  { _: 'secureValueErrorTranslationFile', type: t('secureValueTypePassport'), fileHash: h(5), text: 'bad translation' },
  { _: 'secureValueErrorFile', type: t('secureValueTypeUtilityBill'), fileHash: h(6), text: 'old bill' },
  { _: 'secureValueErrorFiles', type: t('secureValueTypeUtilityBill'), fileHash: [h(6), h(7)], text: 'page missing' },
  { _: 'secureValueErrorReverseSide', type: t('secureValueTypeIdentityCard'), fileHash: h(8), text: 'cut off' },
  { _: 'secureValueErrorTranslationFiles', type: t('secureValueTypeIdentityCard'), fileHash: [h(9)], text: 'translate all pages' },
];

const passportNow: ValueHashes = { hash: b(1), dataHash: b(2), frontSide: b(3), reverseSide: null, selfie: b(4), files: [], translation: [b(5)] };

test('all nine kinds are parsed with their type and target', () => {
  const parsed = parseSecureValueErrors(RAW);
  assert.equal(parsed.length, 9);
  assert.deepEqual(parsed.map((e) => e.target.kind), ['value', 'data', 'front_side', 'selfie', 'translation_file', 'file', 'files', 'reverse_side', 'translation_files']);
  assert.deepEqual(parsed[1], { type: 'passport', target: { kind: 'data', dataHash: b(2), field: 'document_no' }, text: 'bad number' });
  assert.deepEqual(parseSecureValueErrors([{ _: 'secureValueError', type: t('secureValueTypeNoSuchThing'), hash: h(1), text: 'x' }]), []);
});

test('errors attach to the value, the field and the files while their hashes are current', () => {
  const errors = parseSecureValueErrors(RAW);
  assert.deepEqual(errorsForValue(errors, 'passport', passportNow), {
    value: ['whole value'],
    lists: { files: [], translation: [] },
    fields: { document_no: 'bad number' },
    files: { [b(3)]: 'blurry front', [b(4)]: 'no face', [b(5)]: 'bad translation' },
  });
  assert.deepEqual(errorsForValue(errors, 'utility_bill', { ...passportNow, hash: null, dataHash: null, frontSide: null, selfie: null, translation: [], files: [b(7), b(6)] }), {
    value: [],
    lists: { files: ['page missing'], translation: [] },
    fields: {},
    files: { [b(6)]: 'old bill' },
  });
  assert.deepEqual(errorsForValue(errors, 'identity_card', { hash: null, dataHash: null, frontSide: null, reverseSide: b(8), selfie: null, files: [], translation: [b(9)] }), {
    value: [],
    lists: { files: [], translation: ['translate all pages'] },
    fields: {},
    files: { [b(8)]: 'cut off' },
  });
});

test('once the person replaces what an error was about, the error no longer applies', () => {
  const errors = parseSecureValueErrors(RAW);
  const edited: ValueHashes = { hash: b(11), dataHash: b(12), frontSide: b(13), reverseSide: null, selfie: b(4), files: [], translation: [b(15)] };
  assert.deepEqual(errorsForValue(errors, 'passport', edited), { value: [], lists: { files: [], translation: [] }, fields: {}, files: { [b(4)]: 'no face' } });
  // A list error applies to that exact list only.
  assert.deepEqual(errorsForValue(errors, 'utility_bill', { ...edited, files: [b(6), b(7), b(20)], translation: [] }).lists.files, []);
});

test('the errors of an authorization form (authorization-api shape) become the same ServiceErrors', () => {
  const buf = (n: number): Buffer => Buffer.alloc(32, n);
  const fromForm = fromFormErrors([
    { type: 'passport', target: 'value', field: null, hashes: [buf(1)], text: 'whole value' },
    { type: 'passport', target: 'data', field: 'document_no', hashes: [buf(2)], text: 'bad number' },
    { type: 'passport', target: 'front_side', field: null, hashes: [buf(3)], text: 'blurry front' },
    { type: 'passport', target: 'selfie', field: null, hashes: [buf(4)], text: 'no face' },
    { type: 'passport', target: 'translation_file', field: null, hashes: [buf(5)], text: 'bad translation' },
    { type: 'utility_bill', target: 'file', field: null, hashes: [buf(6)], text: 'old bill' },
    { type: 'utility_bill', target: 'files', field: null, hashes: [buf(6), buf(7)], text: 'page missing' },
    { type: 'identity_card', target: 'reverse_side', field: null, hashes: [buf(8)], text: 'cut off' },
    { type: 'identity_card', target: 'translation_files', field: null, hashes: [buf(9)], text: 'translate all pages' },
  ]);
  assert.deepEqual(fromForm, parseSecureValueErrors(RAW));
});

/**
 * What `passport-vault scan` reports for a reading (mrz-report.ts): fields are the MRZ text as printed
 * (issue 18), so a state code keeps its fillers (Germany is `D<<`), while names turn `<` into spaces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMrzLines } from '../../../electron/common/scan/mrz-read';
import { reportReading } from '../../../electron/common/scan/mrz-report';

// ICAO 9303 part 4's specimen, issued by and for Germany (nationality is outside every check digit).
const TD3_D = ['P<D<<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36D<<7408122F1204159ZE184226B<<<<<10'];

test('a state code is reported as printed, fillers and all (D<<), names without fillers', () => {
  const reading = readMrzLines(TD3_D);
  assert.ok(reading !== null && reading.valid, 'the specimen parses and passes its check digits');
  const report = reportReading(reading, new Date('2010-01-01'));
  assert.equal(report.kind, 'TD3');
  assert.deepEqual(report.fields, {
    document_number: 'L898902C3',
    surname: 'ERIKSSON',
    given_names: 'ANNA MARIA',
    nationality: 'D<<',
    birth_date: '740812',
    sex: 'F',
    expiry_date: '120415',
    issuing_country: 'D<<',
  });
});

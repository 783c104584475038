/**
 * One Passport value from command-line options, shared by `local set` and `set` (Telegram): the data
 * fields from a JSON file, the plain phone/e-mail, and the scans read from files. Validation is the
 * vault's (value-codec / value-edit); this only reads. And the other way round: how a decrypted scan
 * is shown (its size and SHA-256, never its bytes).
 */
import { createHash } from 'node:crypto';
import type { SecureValueTypeName } from '../../common/passport';
import type { ValueInput } from '../vault/local/value-codec';
import type { OptionValues } from './args';
import { optionalString } from './args';
import { readInputFile } from './input-file';
import { usageError } from './output';


const strings = (values: OptionValues, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

function readJsonObject(path: string, option: string): Record<string, string> {
  const bytes = readInputFile(path, `--${option}`, 'dataFile');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw usageError(`--${option} is not JSON`);
  } finally {
    bytes.fill(0);
  }
  // Field-by-field checks are the schemas' job; here only the shape the vault takes.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usageError(`--${option} must hold a JSON object of data fields`);
  return parsed as Record<string, string>;
}

/**
 * Reads the value `type` from `values`: data from the JSON file named by `--<dataOption>`, `--plain`,
 * and the scans. A file option left out is left out of the input (for a Telegram value: kept as it is).
 */
export function readValueInput(values: OptionValues, type: SecureValueTypeName, dataOption: string): ValueInput {
  const input: ValueInput = { type };
  const dataFile = optionalString(values, dataOption);
  if (dataFile !== undefined) input.data = readJsonObject(dataFile, dataOption);
  const plain = optionalString(values, 'plain');
  if (plain !== undefined) input.plain = plain;
  try {
    for (const [option, key] of [['front-side', 'frontSide'], ['reverse-side', 'reverseSide'], ['selfie', 'selfie']] as const) {
      const path = optionalString(values, option);
      if (path !== undefined) input[key] = readInputFile(path, `--${option}`, 'scan');
    }
    // One by one, so a failure leaves what was read so far in `input` to be wiped.
    for (const [option, key] of [['file', 'files'], ['translation', 'translation']] as const) {
      for (const path of strings(values, option)) (input[key] ??= []).push(readInputFile(path, `--${option}`, 'scan'));
    }
  } catch (e) {
    wipeValueInput(input);
    throw e;
  }
  return input;
}

/** Zeroes the scans read for `input` (they are plaintext documents). */
export function wipeValueInput(input: ValueInput): void {
  for (const b of [input.frontSide, input.reverseSide, input.selfie, ...(input.files ?? []), ...(input.translation ?? [])]) b?.fill(0);
}

/** A decrypted scan as the CLI prints it. */
export function describeFile(bytes: Uint8Array): { size: number; sha256: string } {
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

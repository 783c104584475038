/** decrypt-passport-data: what a service sees, from a Bot API `PassportData` and its private key. */
import { AppError } from '../../../common/errors';
import { PassportDataSchema } from '../../../common/passport/credentials';
import { parseRsaPrivateKey } from '../../passport/crypto/rsa';
import { decryptPassportData } from '../../passport/crypto/service-decrypt';
import type { OptionValues } from '../args';
import { optionalString, requireString } from '../args';
import { readInputFile } from '../input-file';
import { readStdin } from '../read-stdin';
import type { CliIo } from '../output';

function parseInput(json: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json) as unknown;
  } catch {
    throw new AppError('BAD_INPUT', 'The input is not valid JSON');
  }
  // A whole Bot API Message is accepted too: its `passport_data` field is the PassportData.
  if (typeof parsed === 'object' && parsed !== null && 'passport_data' in parsed) {
    return parsed.passport_data;
  }
  return parsed;
}

export async function decryptPassportDataCommand(values: OptionValues, io: CliIo): Promise<object> {
  const keyPem = readInputFile(requireString(values, 'key'), '--key', 'key').toString('utf8');
  const inPath = optionalString(values, 'in');
  const json = (inPath === undefined ? await readStdin(io.stdin, io.stdinFd, 'passportData') : readInputFile(inPath, '--in', 'passportData')).toString('utf8');
  const parsed = PassportDataSchema.safeParse(parseInput(json));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new AppError('BAD_INPUT', `The input is not a Bot API PassportData object (at ${where})`);
  }
  return decryptPassportData(parsed.data, parseRsaPrivateKey(keyPem));
}

/**
 * Reading stdin, with input-file.ts's checks. Apart from input-file.ts because it needs node:tty
 * (which loads node:net), and the commands that read only files (seal, open) must not load it.
 */
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { AppError } from '../../common/errors';
import { INPUT_LIMITS, tooLarge } from './input-file';
import type { InputKind } from './input-file';

/**
 * Reads all of stdin, at most the limit for `kind`. When the stream is the process's own (`fd`),
 * a directory or a device other than a terminal (`< /dev/zero`) is refused before reading and a
 * regular file over the limit by its size; a pipe is read and cut off past the limit.
 */
export async function readStdin(stream: NodeJS.ReadableStream, fd: number | undefined, kind: InputKind): Promise<Buffer> {
  const what = 'stdin';
  const max = INPUT_LIMITS[kind];
  if (fd !== undefined) {
    const stats = fstatSync(fd);
    if (stats.isDirectory() || stats.isBlockDevice() || (stats.isCharacterDevice() && !isatty(fd))) {
      throw new AppError('INPUT_NOT_A_FILE', `stdin is ${stats.isDirectory() ? 'a directory' : 'a device'}; give a regular file or a pipe`);
    }
    if (stats.isFile() && stats.size > max) throw tooLarge(what, kind);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      length += bytes.length;
      if (length > max) {
        for (const c of chunks) c.fill(0);
        throw tooLarge(what, kind);
      }
      chunks.push(bytes);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_INPUT', 'Cannot read stdin');
  }
  return Buffer.concat(chunks, length);
}

/**
 * Streamed writes into one file: appended bytes are copied into a few reused buffers and each full
 * buffer is written at its offset while the next one fills (up to `inFlight` writes at once).
 *
 * Why not write what callers hand over: callers (sealers, decrypters) produce pieces of any size,
 * and node:crypto allocates a fresh output buffer per call. Large fresh buffers are expensive
 * (cipher-slices.ts), small writes cost a system call each; a copy into a reused buffer is cheaper
 * than either. Positional writes keep the order whatever finishes first.
 */
import type { FileHandle } from 'node:fs/promises';

export const WRITE_BUFFER = 256 * 1024;

export class BufferedFileWriter {
  private readonly free: Buffer[] = [];
  private readonly pending: Promise<Buffer>[] = [];
  private current: Buffer | null = null;
  private fill = 0;
  private position = 0;

  constructor(
    private readonly out: FileHandle,
    private readonly inFlight = 2,
    private readonly bufferSize = WRITE_BUFFER,
  ) {}

  /** Copies `bytes` (the caller may reuse them at once); waits only when every buffer is on its way to disk. */
  async append(bytes: Uint8Array): Promise<void> {
    let pos = 0;
    while (pos < bytes.length) {
      if (this.current === null) this.current = await this.takeBuffer();
      const n = Math.min(this.bufferSize - this.fill, bytes.length - pos);
      this.current.set(bytes.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
      if (this.fill === this.bufferSize) this.flush();
    }
  }

  /** Writes what is buffered and waits for every write. */
  async drain(): Promise<void> {
    if (this.fill > 0) this.flush();
    this.free.push(...(await Promise.all(this.pending.splice(0))));
  }

  private async takeBuffer(): Promise<Buffer> {
    const ready = this.free.pop();
    if (ready !== undefined) return ready;
    if (this.pending.length < this.inFlight) return Buffer.allocUnsafe(this.bufferSize);
    return (await this.pending.shift()) as Buffer;
  }

  private flush(): void {
    const buf = this.current as Buffer;
    const p = writeAll(this.out, buf, this.fill, this.position);
    p.catch(() => undefined); // awaited by a later append or drain
    this.pending.push(p);
    this.position += this.fill;
    this.current = null;
    this.fill = 0;
  }
}

async function writeAll(out: FileHandle, buf: Buffer, length: number, at: number): Promise<Buffer> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await out.write(buf, done, length - done, at + done);
    done += bytesWritten;
  }
  return buf;
}

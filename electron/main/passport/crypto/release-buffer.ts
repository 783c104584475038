/**
 * Gives a buffer's memory back to malloc the moment its owner is done with it.
 *
 * Each `cipher.update()` returns a fresh buffer outside V8's heap, which V8 frees only when a
 * collection finds it dead. Until then each new slice lands on memory the process never touched, and
 * touching a fresh page costs a kernel fault (tens of µs each on our virtual machines: 10 MiB of
 * output, ~2,500 faults, cost more than the AES itself). Freed at once, the next slice reuses the
 * same few pages, still in the cache.
 *
 * How: detaching an ArrayBuffer frees its memory on the spot. The standard way is
 * `ArrayBuffer.prototype.transfer(0)` (Node 21+, Electron). Node 20 ships it only behind a V8 flag
 * read when a context is made, so there V8's detach intrinsic (`%ArrayBufferDetach`, the same detach
 * `transfer(0)` does) is compiled once, with --allow-natives-syntax on for that one parse through
 * Node's documented `v8.setFlagsFromString` and off again at once. Where neither works, a
 * young-generation collection every few buffers frees them instead (young-garbage.ts).
 */
import { collectYoungGarbage } from './young-garbage';

type Detach = (buffer: ArrayBuffer) => void;

/** Buffers released between collections where nothing can detach (1, 2 and 4 measured alike in page faults). */
const RELEASES_PER_COLLECTION = 4;

let detach: Detach | null | undefined;
let sinceCollection = 0;

function fetchDetach(): Detach | null {
  const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer, length: number) => ArrayBuffer }).transfer;
  if (typeof transfer === 'function') return (b) => void transfer.call(b, 0);
  // Loaded on first use, not at start-up (an ESM import of node:v8 costs every command that loads this module).
  const { setFlagsFromString } = process.getBuiltinModule('node:v8');
  try {
    setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one way to reach V8's detach on Node 20 (see above)
    return new Function('b', '%ArrayBufferDetach(b)') as Detach;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

/**
 * Frees `buffer`'s memory now. The caller must own the buffer outright and never touch it again
 * (afterwards it is empty). A buffer that shares its memory with others (a slice, one of Node's
 * pooled small buffers) is left to the garbage collector, like everything where detaching is refused.
 */
export function releaseBuffer(buffer: Buffer): void {
  detach ??= fetchDetach();
  const ab = buffer.buffer;
  if (detach !== null && ab instanceof ArrayBuffer && buffer.byteOffset === 0 && ab.byteLength === buffer.length) {
    try {
      detach(ab);
      return;
    } catch {
      // not detachable after all (V8 refuses some buffers): the collector frees it
    }
  }
  if (++sinceCollection === RELEASES_PER_COLLECTION) {
    sinceCollection = 0;
    collectYoungGarbage();
  }
}

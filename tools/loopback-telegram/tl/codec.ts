/**
 * Schema-driven TL binary codec. Every object is `{ _: name, ...params }` with the parameter
 * names exactly as the schema text spells them (snake_case). Wire mapping:
 * int/double → number, long → bigint, string → string, bytes/int128/int256 → Buffer,
 * Bool/true → boolean, vectors → arrays. `#` flag fields are computed on write and dropped on read.
 */
import { unzipSync } from 'node:zlib';
import type { TlCombinator, TypeRef } from './parser';
import type { TlSchema } from './schema';

export type TlValue = number | bigint | string | boolean | Buffer | TlObject | TlValue[] | undefined;
export interface TlObject {
  _: string;
  [param: string]: TlValue;
}

export const VECTOR_ID = 0x1cb5c415;
export const BOOL_TRUE_ID = 0x997275b5;
export const BOOL_FALSE_ID = 0xbc799737;
export const GZIP_PACKED_ID = 0x3072cfa1;

export class TlDecodeError extends Error {
  override readonly name = 'TlDecodeError';
}

export class TlUnknownIdError extends TlDecodeError {
  constructor(readonly id: number) {
    super(`unknown TL constructor id 0x${id.toString(16).padStart(8, '0')}`);
  }
}

export class TlReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new TlDecodeError(`TL read past end (${this.pos}+${n} > ${this.buf.length})`);
  }
  int(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  uint(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  long(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** TL `bytes`: 1-byte length (<254) or 0xfe + 3-byte length, then data padded to 4 bytes. */
  bytes(): Buffer {
    this.need(1);
    let len = this.buf[this.pos] ?? 0;
    let header = 1;
    if (len === 254) {
      this.need(4);
      len = this.buf.readUIntLE(this.pos + 1, 3);
      header = 4;
    } else if (len === 255) {
      throw new TlDecodeError('TL bytes with invalid length prefix 0xff');
    }
    this.pos += header;
    // A view into the message (which nobody writes to): a 512 KiB file part is not copied again here.
    const data = this.raw(len);
    this.pos += (4 - ((header + len) % 4)) % 4;
    if (this.pos > this.buf.length) throw new TlDecodeError('TL bytes padding past end');
    return data;
  }
  string(): string {
    return this.bytes().toString('utf8');
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
}

export class TlWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  int(v: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32LE(v | 0);
    this.push(b);
  }
  uint(v: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(v >>> 0);
    this.push(b);
  }
  long(v: bigint): void {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64LE(BigInt.asIntN(64, v));
    this.push(b);
  }
  double(v: number): void {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleLE(v);
    this.push(b);
  }
  raw(b: Buffer): void {
    this.push(b);
  }
  bytes(data: Buffer): void {
    const header = data.length < 254 ? 1 : 4;
    if (data.length >= 1 << 24) throw new Error('TL bytes too long');
    const pad = (4 - ((header + data.length) % 4)) % 4;
    const h = Buffer.alloc(header);
    if (header === 1) h[0] = data.length;
    else {
      h[0] = 254;
      h.writeUIntLE(data.length, 1, 3);
    }
    this.push(h);
    this.push(data);
    if (pad) this.push(Buffer.alloc(pad));
  }
  string(s: string): void {
    this.bytes(Buffer.from(s, 'utf8'));
  }
  result(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function isObject(v: TlValue): v is TlObject {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && !Array.isArray(v);
}

export class TlCodec {
  constructor(readonly schema: TlSchema) {}

  /** Reads one boxed object: constructor or function (a request), by its id. */
  readObject(r: TlReader): TlObject {
    const id = r.uint();
    if (id === GZIP_PACKED_ID) {
      // Clients send gzip or zlib-wrapped deflate (mtcute uses the latter); unzip accepts both.
      let unpacked: Buffer;
      try {
        unpacked = unzipSync(r.bytes());
      } catch {
        throw new TlDecodeError('gzip_packed data does not decompress');
      }
      const inner = new TlReader(unpacked);
      return this.readObject(inner);
    }
    const c = this.schema.byId.get(id);
    if (!c) throw new TlUnknownIdError(id);
    return this.readBody(r, c);
  }

  readBody(r: TlReader, c: TlCombinator): TlObject {
    const obj: TlObject = { _: c.name };
    const flags = new Map<string, number>();
    for (const p of c.params) {
      if (p.cond) {
        const f = flags.get(p.cond.field) ?? 0;
        if ((f & (1 << p.cond.bit)) === 0) continue;
      }
      if (p.type.k === 'prim' && p.type.name === '#') {
        flags.set(p.name, r.uint());
        continue;
      }
      obj[p.name] = this.readType(r, p.type);
    }
    return obj;
  }

  readType(r: TlReader, t: TypeRef): TlValue {
    switch (t.k) {
      case 'prim':
        switch (t.name) {
          case 'int':
            return r.int();
          case 'long':
            return r.long();
          case 'double':
            return r.double();
          case 'string':
            return r.string();
          case 'bytes':
            return r.bytes();
          case 'int128':
            return Buffer.from(r.raw(16));
          case 'int256':
            return Buffer.from(r.raw(32));
          case 'true':
            return true;
          case '#':
            return r.uint();
          case 'Bool': {
            const id = r.uint();
            if (id === BOOL_TRUE_ID) return true;
            if (id === BOOL_FALSE_ID) return false;
            throw new TlDecodeError(`expected Bool, got 0x${id.toString(16)}`);
          }
        }
        break;
      case 'vector': {
        if (t.boxed) {
          const id = r.uint();
          if (id !== VECTOR_ID) throw new TlDecodeError(`expected vector, got 0x${id.toString(16)}`);
        }
        const n = r.uint();
        if (n > r.remaining) throw new TlDecodeError(`vector length ${n} exceeds the message`);
        const out: TlValue[] = [];
        for (let i = 0; i < n; i++) out.push(this.readType(r, t.elem));
        return out;
      }
      case 'boxed':
      case 'any':
        return this.readObject(r);
      case 'bare':
        return this.readBody(r, this.bareCombinator(t));
    }
    throw new TlDecodeError('unreachable');
  }

  /** Serialises a boxed object (with its constructor id). */
  encode(obj: TlObject): Buffer {
    const w = new TlWriter();
    this.writeObject(w, obj);
    return w.result();
  }

  decode(buf: Buffer): TlObject {
    return this.readObject(new TlReader(buf));
  }

  /** Serialises `value` as the schema type `typeText` (e.g. a method's declared result). */
  encodeAs(typeText: TypeRef, value: TlValue): Buffer {
    const w = new TlWriter();
    this.writeType(w, typeText, value, 'result');
    return w.result();
  }

  writeObject(w: TlWriter, obj: TlObject, expectedType?: string): void {
    const c = this.schema.byName.get(obj._);
    if (!c) throw new Error(`cannot encode unknown TL object ${obj._}`);
    if (expectedType !== undefined && c.resultText !== expectedType) {
      throw new Error(`TL object ${obj._} is a ${c.resultText}, expected ${expectedType}`);
    }
    w.uint(c.id);
    this.writeBody(w, c, obj);
  }

  writeBody(w: TlWriter, c: TlCombinator, obj: TlObject): void {
    // Compute every flags field from the presence of the parameters that depend on it.
    const flags = new Map<string, number>();
    for (const p of c.params) {
      if (!p.cond) continue;
      const v = obj[p.name];
      const present = v !== undefined && !(p.type.k === 'prim' && p.type.name === 'true' && v === false);
      if (present) flags.set(p.cond.field, (flags.get(p.cond.field) ?? 0) | (1 << p.cond.bit));
    }
    for (const p of c.params) {
      if (p.type.k === 'prim' && p.type.name === '#') {
        w.uint(flags.get(p.name) ?? 0);
        continue;
      }
      if (p.cond && ((flags.get(p.cond.field) ?? 0) & (1 << p.cond.bit)) === 0) continue;
      this.writeType(w, p.type, obj[p.name], `${c.name}.${p.name}`);
    }
  }

  writeType(w: TlWriter, t: TypeRef, v: TlValue, where: string): void {
    const bad = (what: string): never => {
      throw new Error(`TL encode ${where}: expected ${what}, got ${typeof v}`);
    };
    switch (t.k) {
      case 'prim':
        switch (t.name) {
          case 'int':
          case '#':
            return typeof v === 'number' ? w.int(v) : bad('number');
          case 'long':
            return typeof v === 'bigint' ? w.long(v) : bad('bigint');
          case 'double':
            return typeof v === 'number' ? w.double(v) : bad('number');
          case 'string':
            return typeof v === 'string' ? w.string(v) : bad('string');
          case 'bytes':
            return Buffer.isBuffer(v) ? w.bytes(v) : bad('Buffer');
          case 'int128':
          case 'int256': {
            const n = t.name === 'int128' ? 16 : 32;
            return Buffer.isBuffer(v) && v.length === n ? w.raw(v) : bad(`${n}-byte Buffer`);
          }
          case 'true':
            return;
          case 'Bool':
            return typeof v === 'boolean' ? w.uint(v ? BOOL_TRUE_ID : BOOL_FALSE_ID) : bad('boolean');
        }
        return;
      case 'vector':
        if (!Array.isArray(v)) return bad('array');
        if (t.boxed) w.uint(VECTOR_ID);
        w.uint(v.length);
        v.forEach((item, i) => this.writeType(w, t.elem, item, `${where}[${i}]`));
        return;
      case 'boxed':
        return isObject(v) ? this.writeObject(w, v, t.name) : bad(`${t.name} object`);
      case 'any':
        return isObject(v) ? this.writeObject(w, v) : bad('object');
      case 'bare': {
        const c = this.bareCombinator(t);
        if (!isObject(v)) return bad(`bare ${c.name}`);
        return this.writeBody(w, c, v);
      }
    }
  }

  private bareCombinator(t: { name: string; viaType: boolean }): TlCombinator {
    if (t.viaType) {
      const list = this.schema.constructorsOfType.get(t.name);
      if (list?.length !== 1 || !list[0]) throw new Error(`%${t.name} needs exactly one constructor`);
      return list[0];
    }
    return this.schema.get(t.name);
  }
}

/**
 * Parses TL schema text (the language Telegram describes its protocol in) into combinators
 * the codec can walk. Only the subset the real schemas use is supported: `name#id`,
 * `{X:Type}` generics, `flags:#`, conditional `flags.N?type`, `Vector<T>`/`vector<T>`,
 * `%Bare`, `!X`, and `---functions---`/`---types---` section markers.
 */
import { crc32 } from 'node:zlib';

export type Primitive = 'int' | 'long' | 'double' | 'string' | 'bytes' | 'int128' | 'int256' | 'Bool' | 'true' | '#';

export type TypeRef =
  | { readonly k: 'prim'; readonly name: Primitive }
  | { readonly k: 'vector'; readonly boxed: boolean; readonly elem: TypeRef }
  /** A boxed type such as `User` or `auth.SentCode`: a constructor id precedes the body. */
  | { readonly k: 'boxed'; readonly name: string }
  /** A bare constructor such as `future_salt` or `%Message`: no id on the wire. */
  | { readonly k: 'bare'; readonly name: string; readonly viaType: boolean }
  /** `Object`, `!X` or a generic parameter: any boxed object, constructor or function. */
  | { readonly k: 'any' };

export interface TlParam {
  readonly name: string;
  readonly type: TypeRef;
  readonly typeText: string;
  /** Set when the parameter is present only if `field` has bit `bit` set. */
  readonly cond?: { readonly field: string; readonly bit: number };
}

export interface TlCombinator {
  readonly kind: 'constructor' | 'function';
  readonly name: string;
  readonly id: number;
  readonly params: readonly TlParam[];
  readonly result: TypeRef;
  readonly resultText: string;
  readonly generics: readonly string[];
  /** The id as written in the text, or undefined when it was derived from the CRC32. */
  readonly explicitId: number | undefined;
  readonly line: string;
}

const PRIMITIVES = new Set<string>(['int', 'long', 'double', 'string', 'bytes', 'int128', 'int256', 'Bool', 'true', '#']);

export function parseTypeRef(text: string, generics: readonly string[] = []): TypeRef {
  if (text.startsWith('!')) return { k: 'any' };
  if (generics.includes(text) || text === 'Object' || text === 'Type') return { k: 'any' };
  if (PRIMITIVES.has(text)) return { k: 'prim', name: text as Primitive };
  const vec = /^([Vv])ector<(.+)>$/.exec(text);
  if (vec) return { k: 'vector', boxed: vec[1] === 'V', elem: parseTypeRef(vec[2] ?? '', generics) };
  if (text.startsWith('%')) return { k: 'bare', name: text.slice(1), viaType: true };
  const last = text.slice(text.lastIndexOf('.') + 1);
  if (/^[a-z]/.test(last)) return { k: 'bare', name: text, viaType: false };
  return { k: 'boxed', name: text };
}

/**
 * The CRC32 a TL combinator's id is defined as: the line without its id and without its
 * conditional `true` flags, `Vector<T>` written as `Vector T` and `bytes` written as `string`.
 */
export function computeId(line: string): number {
  const normalized = line
    .replace(/;\s*$/, '')
    .replace(/^([\w.]+)#[0-9a-f]+/, '$1')
    // Conditional `true` flags carry no data and are left out of the definition hashed.
    .replace(/\s\w+:\w+\.\d+\?true\b/g, '')
    .replace(/[<>]/g, (c) => (c === '<' ? ' ' : ''))
    .replace(/([:<?])bytes\b/g, '$1string')
    .replace(/\s+/g, ' ')
    .trim();
  return crc32(normalized) >>> 0;
}

export function parseCombinator(line: string, kind: TlCombinator['kind']): TlCombinator | undefined {
  const m = /^([\w.]+)(?:#([0-9a-f]{1,8}))?\s*(.*?)\s*=\s*([^;]+?)\s*;$/.exec(line);
  if (!m) return undefined;
  const [, name = '', idText, body = '', resultText = ''] = m;
  // `int ? = Int;` and `vector # [ t ] = Vector t;` describe wire primitives the codec knows natively.
  if (body.includes('?') && body.trim() === '?') return undefined;
  if (body.includes('[')) return undefined;
  const generics: string[] = [];
  const params: TlParam[] = [];
  for (const token of body.split(/\s+/).filter(Boolean)) {
    const g = /^\{(\w+):Type\}$/.exec(token);
    if (g) {
      generics.push(g[1] ?? '');
      continue;
    }
    const p = /^(\w+):(?:(\w+)\.(\d+)\?)?(.+)$/.exec(token);
    if (!p) throw new Error(`cannot parse TL parameter "${token}" in: ${line}`);
    const [, pname = '', condField, condBit, ptype = ''] = p;
    params.push({
      name: pname,
      typeText: ptype,
      type: parseTypeRef(ptype, generics),
      ...(condField !== undefined ? { cond: { field: condField, bit: Number(condBit) } } : {}),
    });
  }
  const explicitId = idText === undefined ? undefined : parseInt(idText, 16) >>> 0;
  return {
    kind,
    name,
    id: explicitId ?? computeId(line),
    explicitId,
    params,
    result: parseTypeRef(resultText.replace(/^(\w+) (\w+)$/, '$1<$2>'), generics),
    resultText,
    generics,
    line,
  };
}

export interface ParsedSchema {
  readonly layer: number | undefined;
  readonly combinators: readonly TlCombinator[];
}

export function parseSchema(text: string): ParsedSchema {
  let kind: TlCombinator['kind'] = 'constructor';
  let layer: number | undefined;
  const combinators: TlCombinator[] = [];
  for (const raw of text.split('\n')) {
    const layerMatch = /^\/\/\s*LAYER\s+(\d+)/.exec(raw);
    if (layerMatch) layer = Number(layerMatch[1]);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (line === '---functions---') {
      kind = 'function';
      continue;
    }
    if (line === '---types---') {
      kind = 'constructor';
      continue;
    }
    const c = parseCombinator(line, kind);
    if (c) combinators.push(c);
  }
  return { layer, combinators };
}

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadSchema } from '../../../tools/loopback-telegram/tl/schema';
import { computeId, parseCombinator } from '../../../tools/loopback-telegram/tl/parser';
import { TlCodec, TlDecodeError, TlReader, TlUnknownIdError, TlWriter, type TlObject } from '../../../tools/loopback-telegram/tl/codec';

const schema = loadSchema();
const codec = new TlCodec(schema);

/** A little-endian writer independent of the codec, for hand-built request bytes. */
function le(...parts: (number | bigint | Buffer)[]): Buffer {
  return Buffer.concat(
    parts.map((p) => {
      if (Buffer.isBuffer(p)) return p;
      const b = Buffer.alloc(typeof p === 'bigint' ? 8 : 4);
      if (typeof p === 'bigint') b.writeBigInt64LE(p);
      else b.writeUInt32LE(p >>> 0);
      return b;
    }),
  );
}
const tlString = (s: string): Buffer => {
  const d = Buffer.from(s);
  const pad = (4 - ((1 + d.length) % 4)) % 4;
  return Buffer.concat([Buffer.from([d.length]), d, Buffer.alloc(pad)]);
};

describe('TL schema text', () => {
  test('declares layer 227 and holds the service and API combinators', () => {
    assert.equal(schema.layer, 227);
    assert.equal(schema.get('resPQ').id, 0x05162463);
    assert.equal(schema.get('rpc_result').id, 0xf35c6d01);
    assert.equal(schema.get('auth.sendCode').kind, 'function');
    assert.equal(schema.get('account.getAuthorizationForm').kind, 'function');
    assert.equal(schema.get('inputSecureFileLocation').kind, 'constructor');
  });

  test('every written id is the CRC32 of its definition (except the generic invoke* wrappers)', () => {
    const mismatched: string[] = [];
    let checked = 0;
    for (const c of schema.byName.values()) {
      if (c.explicitId === undefined) continue;
      checked++;
      if (computeId(c.line) !== c.explicitId) mismatched.push(c.name);
    }
    assert.ok(checked > 2400, `checked ${checked}`);
    // Telegram hashes `{X:Type}`/`!X` wrappers and %-bare vectors differently; two legacy
    // constructors kept for old clients carry their historical ids.
    const allowed = /^(invoke\w*|initConnection|msg_container|inputPeerPhotoFileLocationLegacy|inputStickerSetThumbLegacy)$/;
    assert.deepEqual(mismatched.filter((n) => !allowed.test(n)), []);
  });

  test('the parser reads conditional, vector, generic and bare parameters', () => {
    const c = parseCombinator('invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;', 'function');
    assert.ok(c);
    assert.deepEqual(c.generics, ['X']);
    assert.deepEqual(c.params.map((p) => p.type.k), ['prim', 'any']);
    const f = parseCombinator('future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt> = FutureSalts;', 'constructor');
    assert.deepEqual(f?.params[2]?.type, { k: 'vector', boxed: false, elem: { k: 'bare', name: 'future_salt', viaType: false } });
    const u = parseCombinator('x#1 flags:# a:flags.3?Vector<long> = X;', 'constructor');
    assert.deepEqual(u?.params[1]?.cond, { field: 'flags', bit: 3 });
  });
});

describe('TL binary codec', () => {
  test('bytes use 1-byte lengths below 254 and 0xfe + 3 bytes from 254, padded to 4', () => {
    const w = new TlWriter();
    w.bytes(Buffer.from('abc'));
    assert.deepEqual(w.result(), Buffer.from([3, 0x61, 0x62, 0x63]));
    for (const n of [0, 1, 253, 254, 255, 1000]) {
      const data = Buffer.alloc(n, 7);
      const ww = new TlWriter();
      ww.bytes(data);
      const out = ww.result();
      assert.equal(out.length % 4, 0);
      if (n >= 254) assert.deepEqual([...out.subarray(0, 4)], [254, n & 0xff, (n >> 8) & 0xff, 0]);
      const r = new TlReader(out);
      assert.deepEqual(r.bytes(), data);
      assert.equal(r.remaining, 0);
    }
  });

  test('decodes a hand-built auth.sendCode request into named parameters', () => {
    const body = le(
      0xa677244f,
      tlString('9996621234'),
      12345,
      tlString('0123456789abcdef0123456789abcdef'),
      0xad253d78, // codeSettings
      (1 << 0) | (1 << 6), // allow_flashcall, logout_tokens
      0x1cb5c415,
      1,
      tlString('tok'),
    );
    assert.deepEqual(codec.decode(body), {
      _: 'auth.sendCode',
      phone_number: '9996621234',
      api_id: 12345,
      api_hash: '0123456789abcdef0123456789abcdef',
      settings: { _: 'codeSettings', allow_flashcall: true, logout_tokens: [Buffer.from('tok')] },
    });
  });

  test('unwraps nested generic requests: invokeWithLayer(initConnection(help.getConfig))', () => {
    const body = le(
      0xda9b0d0d,
      227,
      0xc1cd5ea9,
      0,
      42,
      ...['dev', 'sys', '1.0', 'en', '', 'en'].map(tlString),
      0xc4f9186b,
    );
    const req = codec.decode(body);
    assert.equal(req._, 'invokeWithLayer');
    assert.equal(req.layer, 227);
    const init = req.query as TlObject;
    assert.equal(init._, 'initConnection');
    assert.equal(init.api_id, 42);
    assert.equal(init.device_model, 'dev');
    assert.deepEqual(init.query, { _: 'help.getConfig' });
  });

  test('reads gzip_packed transparently', () => {
    const inner = le(0xc4f9186b);
    const w = new TlWriter();
    w.uint(0x3072cfa1);
    w.bytes(gzipSync(inner));
    assert.deepEqual(codec.decode(w.result()), { _: 'help.getConfig' });
  });

  test('round-trips a user with two flags fields, optional vectors and Bool', () => {
    const user: TlObject = {
      _: 'user',
      self: true,
      premium: true,
      bot_can_edit: true,
      id: 100000001n,
      access_hash: -5n,
      first_name: 'Дэмо',
      phone: '9996621234',
      usernames: [{ _: 'username', active: true, username: 'demo' }],
    };
    const bytes = codec.encode(user);
    // flags: self(10) | premium(28) | access_hash(0) | first_name(1) | phone(4); flags2: bot_can_edit(1) | usernames(0)
    assert.equal(bytes.readUInt32LE(4), (1 << 10) | (1 << 28) | 1 | 2 | 16);
    assert.equal(bytes.readUInt32LE(8), 2 | 1);
    assert.deepEqual(codec.decode(bytes), user);
    assert.deepEqual(codec.decode(codec.encode({ _: 'auth.cancelCode', phone_number: '1', phone_code_hash: 'h' })), {
      _: 'auth.cancelCode',
      phone_number: '1',
      phone_code_hash: 'h',
    });
  });

  test('encodes results against the declared type, including bare vectors and Vector<User>', () => {
    const salts = codec.encode({
      _: 'future_salts',
      req_msg_id: 1n,
      now: 2,
      salts: [{ _: 'future_salt', valid_since: 3, valid_until: 4, salt: 5n }],
    });
    // id, req_msg_id, now, count (no vector id: bare), then the bare future_salt without its id
    assert.deepEqual(salts, le(0xae500895, 1n, 2, 1, 3, 4, 5n));
    const def = schema.get('users.getUsers');
    const out = codec.encodeAs(def.result, [{ _: 'userEmpty', id: 7n }]);
    assert.deepEqual(out, le(0x1cb5c415, 1, 0xd3bc4b7a, 7n));
    assert.deepEqual(codec.encodeAs(schema.get('auth.cancelCode').result, true), le(0x997275b5));
  });

  test('refuses to encode an object of the wrong type or with a missing field', () => {
    const def = schema.get('help.getConfig');
    assert.throws(() => codec.encodeAs(def.result, { _: 'nearestDc', country: 'x', this_dc: 1, nearest_dc: 1 }), /is a NearestDc, expected Config/);
    assert.throws(() => codec.encode({ _: 'nearestDc', country: 'x', this_dc: 1 }), /nearestDc.nearest_dc: expected number/);
  });

  test('reports unknown constructors and truncated input as decode errors', () => {
    assert.throws(() => codec.decode(le(0x12345678)), TlUnknownIdError);
    assert.throws(() => codec.decode(le(0xa677244f, tlString('99966'))), TlDecodeError);
  });
});

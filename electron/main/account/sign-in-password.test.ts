// The 2FA password kept from the sign-in for one unlock: handed over once, wiped (zeroed) on expiry, on
// a new hold and on wipe(); never handed over after its minute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeldPassword } from './sign-in-password';

/** The bytes the holder keeps (white-box: only to see that they are zeroed, not just dropped). */
const inside = (h: HeldPassword): Buffer | null => (h as unknown as { bytes: Buffer | null }).bytes;

test('handed over once, as the UTF-8 bytes of the password', () => {
  const h = new HeldPassword(60_000);
  assert.equal(h.remainingMs(), null);
  h.hold('pässwörd');
  assert.ok((h.remainingMs() ?? 0) > 59_000);
  const b = h.take();
  assert.equal(b?.toString('utf8'), 'pässwörd');
  assert.equal(h.take(), null, 'no second use');
  assert.equal(h.remainingMs(), null);
  h.wipe(); // nothing held: harmless
});

test('after the time box it is zeroed and not handed over, even before its timer fires', () => {
  let now = 1_000;
  const h = new HeldPassword(60_000, () => now);
  h.hold('secret-2fa');
  const kept = inside(h);
  now += 59_999;
  assert.equal(h.remainingMs(), 1);
  now += 1;
  assert.equal(h.take(), null);
  assert.ok(kept !== null && kept.every((x) => x === 0), 'the bytes were zeroed, not just dropped');
});

test('the timer wipes it by itself', async () => {
  const h = new HeldPassword(20);
  h.hold('secret-2fa');
  const kept = inside(h);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(inside(h), null);
  assert.ok(kept !== null && kept.every((x) => x === 0));
});

test('a new hold and wipe() zero the copy held before', () => {
  const h = new HeldPassword(60_000);
  h.hold('first');
  const first = inside(h);
  h.hold('second');
  assert.ok(first !== null && first.every((x) => x === 0));
  const second = inside(h);
  h.wipe();
  assert.ok(second !== null && second.every((x) => x === 0));
  assert.equal(h.take(), null);
});

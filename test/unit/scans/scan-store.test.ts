/** scan.prepare's main side: the handler normalises and keeps the scan; the store stays bounded. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { isAppError } from '../../../electron/common/errors';
import { createScanHandlers } from '../../../electron/main/handlers/scan';
import { ScanStore } from '../../../electron/main/scans/scan-store';

const CTX = { sender: { frameUrl: 'app://passport-vault/index.html', isTopLevel: true } };
const scan = (n: number) => ({ jpeg: new Uint8Array(n).fill(7), width: 10, height: 10, sourceFormat: 'jpeg' as const, source: { width: 10, height: 10 } });

describe('scan store and scan.prepare', () => {
  test('scan.prepare re-encodes in main and keeps the JPEG under an opaque id', async () => {
    const store = new ScanStore();
    const png = new Uint8Array(await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#4a6' } }).png().toBuffer());
    const r = await createScanHandlers(store).prepare({ bytes: png }, CTX);
    assert.match(r.scanId, /^[0-9a-f]{24}$/);
    assert.deepEqual([r.width, r.height], [2048, 1024]);
    assert.deepEqual([r.sourceWidth, r.sourceHeight], [3000, 1500], 'the size it had, for "resized to…"');
    const kept = store.get(r.scanId);
    assert.equal(kept?.jpeg.byteLength, r.byteLength);
    assert.deepEqual([kept?.jpeg[0], kept?.jpeg[1]], [0xff, 0xd8], 'a JPEG');
    await assert.rejects(createScanHandlers(store).prepare({ bytes: new Uint8Array([1, 2, 3]) }, CTX), (e: unknown) => isAppError(e) && e.code === 'SCAN_NOT_AN_IMAGE');
    assert.equal(store.size, 1);
  });

  test('oldest scans go first past either bound; take hands the bytes over intact, clear wipes them', () => {
    const store = new ScanStore({ maxEntries: 3, maxTotalBytes: 1000 });
    const ids = [400, 400, 100].map((n) => store.put(scan(n)));
    assert.equal(store.size, 3);
    const fourthScan = scan(300);
    const original = Buffer.from(fourthScan.jpeg);
    const fourth = store.put(fourthScan); // 1200 bytes > 1000: the first goes
    assert.equal(store.get(ids[0]!), undefined);
    assert.equal(store.totalBytes, 800);
    store.put(scan(10)); // 5 entries would exceed 3 (4 after the byte bound): the second goes too
    assert.equal(store.size, 3);
    assert.equal(store.get(ids[1]!), undefined);
    const taken = store.take(fourth);
    assert.equal(taken?.jpeg.byteLength, 300);
    assert.ok(original.equals(Buffer.from(taken?.jpeg ?? [])), 'the vault gets the scan, not zeros');
    assert.equal(store.totalBytes, 110);
    assert.equal(store.get(fourth), undefined);
    const left = store.get(ids[2]!);
    store.clear();
    assert.equal(store.size, 0);
    assert.equal(store.totalBytes, 0);
    assert.ok(left?.jpeg.every((b) => b === 0), 'cleared bytes are zeroed');
    // A single scan larger than the byte bound is still kept (it is the one just prepared).
    const big = store.put(scan(5000));
    assert.ok(store.get(big) !== undefined);
  });
});

/**
 * Measures a structured-clone payload without serialising it, and gives up as soon as it passes the cap,
 * so a huge or deeply nested payload costs at most `cap` work. Returns Infinity past the cap.
 * Only JSON-like values and byte arrays are expected; anything else (functions, Maps, cycles) counts as
 * oversized so it is rejected before zod ever sees it.
 */
export function measurePayload(value: unknown, cap: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  let depth = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++depth > 100_000) return Infinity;
    if (v === null || v === undefined || typeof v === 'boolean') total += 4;
    else if (typeof v === 'number') total += 8;
    else if (typeof v === 'string') total += v.length * 2 + 2;
    else if (ArrayBuffer.isView(v)) total += v.byteLength;
    else if (v instanceof ArrayBuffer) total += v.byteLength;
    else if (typeof v === 'object') {
      if (seen.has(v)) return Infinity;
      seen.add(v);
      if (Array.isArray(v)) {
        total += 2;
        for (const item of v) stack.push(item);
      } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          total += k.length * 2 + 2;
          stack.push(item);
        }
      } else return Infinity;
    } else return Infinity; // bigint, symbol, function
    if (total > cap) return Infinity;
  }
  return total;
}

/**
 * How deep a JSON value nests, measured with an explicit stack (no recursion), so that a value
 * nested 100 000 levels deep is refused instead of overflowing the stack in `JSON.stringify`.
 */

/**
 * The deepest the CLI prints. Its own results nest about 6 levels (decrypt-passport-data:
 * credentials.secure_data.TYPE.files[i].file_hash), and decrypted Passport data is an object of
 * short string fields; 64 leaves room for a service's own extensions and none for abuse.
 */
export const MAX_OUTPUT_DEPTH = 64;

/** True when `value` has objects or arrays nested more than `maxDepth` levels (the top one is level 1). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

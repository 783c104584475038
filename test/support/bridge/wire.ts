/**
 * TEST ONLY — how the bridge carries what Electron's structured clone carries natively: byte arrays.
 * JSON has no bytes, so Uint8Array/ArrayBuffer travel as `{ "__bytes": "<base64>" }` and come back as
 * Uint8Array on the other side (as they arrive in main through ipcRenderer.invoke). Used in the page and
 * in the host, so both ends agree.
 */
const TAG = '__bytes';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { [TAG]: toBase64(v) };
    if (v instanceof ArrayBuffer) return { [TAG]: toBase64(new Uint8Array(v)) };
    return v;
  });
}

export function decodeWire(text: string): unknown {
  // Most answers carry no bytes: parsed without the reviver, which visits every value (Electron's
  // structured clone has no such pass). Only a text holding the tag's key can hold tagged bytes.
  if (!text.includes(`"${TAG}"`)) return JSON.parse(text);
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const b64 = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof b64 === 'string') return fromBase64(b64);
    }
    return v;
  });
}

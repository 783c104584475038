/**
 * Which native modules the app ships, and whether each is N-API (ABI-stable: one build loads in Node and
 * in Electron alike). A module is N-API if its shared object exports `napi_register_module_v1`, read
 * here from the ELF dynamic symbol table (.dynsym) without any external tool. Electron-free, plain Node.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const NAPI_SYMBOL = 'napi_register_module_v1';

/** The folders of every package in the production dependency tree (`npm ls --omit=dev --all`). */
export function productionPackageDirs(root: string): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return [...new Set(out.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== root))].sort();
}

/** Every `.node` file inside the package folders (their own nested node_modules are packages of their own). */
export function nativeFiles(dirs: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(join(dir, e.name));
      } else if (e.name.endsWith('.node')) found.add(join(dir, e.name));
    }
  };
  for (const d of dirs) walk(d);
  return [...found].sort();
}

/** Names of the symbols an ELF shared object defines in its dynamic symbol table. Throws if it is not ELF. */
export function elfDynamicSymbols(bytes: Buffer): string[] {
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const u16 = (o: number): number => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
  const u32 = (o: number): number => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const word = (o: number): number => (is64 ? Number(le ? bytes.readBigUInt64LE(o) : bytes.readBigUInt64BE(o)) : u32(o));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const section = (i: number) => {
    const b = shoff + i * shentsize;
    return is64
      ? { type: u32(b + 4), offset: word(b + 24), size: word(b + 32), link: u32(b + 40), entsize: word(b + 56) }
      : { type: u32(b + 4), offset: u32(b + 16), size: u32(b + 20), link: u32(b + 24), entsize: u32(b + 36) };
  };
  const SHT_DYNSYM = 11;
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const sym = section(i);
    if (sym.type !== SHT_DYNSYM || sym.entsize === 0) continue;
    const strtab = section(sym.link);
    for (let off = sym.offset; off + sym.entsize <= sym.offset + sym.size; off += sym.entsize) {
      const nameOff = u32(off);
      const shndx = u16(off + (is64 ? 6 : 14));
      if (nameOff === 0 || shndx === 0) continue; // unnamed, or undefined here (imported)
      const start = strtab.offset + nameOff;
      const end = bytes.indexOf(0, start);
      names.push(bytes.toString('latin1', start, end < 0 ? undefined : end));
    }
  }
  return names;
}

export interface NativeModuleCheck {
  /** Path relative to the project root. */
  readonly file: string;
  /** The package folder it belongs to, e.g. node_modules/better-sqlite3. */
  readonly module: string;
  readonly napi: boolean;
  /** Why it could not be read as ELF, when it could not. */
  readonly error?: string;
}

export function checkNativeModules(root: string): NativeModuleCheck[] {
  const dirs = productionPackageDirs(root);
  return nativeFiles(dirs).map((abs) => {
    const module = relative(root, dirs.filter((d) => abs.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0] ?? abs);
    const file = relative(root, abs);
    try {
      return { file, module, napi: elfDynamicSymbols(readFileSync(abs)).includes(NAPI_SYMBOL) };
    } catch (e) {
      return { file, module, napi: false, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/**
 * The app archive (app.asar) packed from exactly the file set the builder config selects
 * (`PACKAGED_FILES`), with a fixed file order so two packs of the same tree are byte-identical.
 * asar stores no timestamps, so order is the only source of variation we have to pin.
 * Used by the packaging tests and `npm run verify-build`; Electron-free, runs in plain Node.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import asar from '@electron/asar';
import { minimatch } from 'minimatch';
import { PACKAGED_FILES } from './electron-builder.config';

/**
 * Above this the archive has grown by something we did not mean to ship. ~17 MB of it is the offline MRZ
 * reader (Tesseract's English data 10.4 MiB and its WebAssembly core 4.5 MiB), loaded only on the Scan screen;
 * ~1.7 MiB the password-strength dictionaries (zxcvbn-ts: common passwords, English words and names), loaded
 * only when a new password is typed, and 0.3 MiB the phone-number metadata (libphonenumber-js), on demand.
 */
export const APP_ARCHIVE_BUDGET_BYTES = 24 * 1024 * 1024;

/** Folders never walked: dependencies are packaged by electron-builder itself, the rest is not app code. */
const NEVER_WALK = new Set(['node_modules', '.git', 'dist', 'test-results']);

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NEVER_WALK.has(entry.name)) continue;
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, abs, out);
    else if (entry.isFile()) out.push(relative(root, abs).split(sep).join('/'));
  }
}

/** electron-builder semantics: a file is in if some pattern includes it and no later `!pattern` excludes it. */
export function selectPackagedFiles(root: string, patterns: readonly string[] = PACKAGED_FILES): string[] {
  const all: string[] = [];
  walk(root, root, all);
  return all
    .filter((file) => {
      let included = false;
      for (const p of patterns) {
        if (p.startsWith('!')) {
          if (minimatch(file, p.slice(1), { dot: true })) included = false;
        } else if (minimatch(file, p, { dot: true })) included = true;
      }
      return included;
    })
    .sort();
}

/** Packs the selected files into `dest`. Returns the archive-relative file list, in archive order. */
export async function packAppArchive(root: string, dest: string): Promise<string[]> {
  const files = selectPackagedFiles(root);
  if (files.length === 0) throw new Error(`nothing to pack under ${root} (run npm run build first)`);
  await asar.createPackageFromFiles(
    root,
    dest,
    files.map((f) => join(root, f)),
  );
  return files;
}

export interface ArchiveEntry {
  readonly path: string;
  readonly sha256: string;
}

/** Every file in an archive with the SHA-256 of its content, sorted by path. */
export function archiveDigest(archive: string): ArchiveEntry[] {
  return asar
    .listPackage(archive, { isPack: false })
    .map((p) => p.replace(/^[\\/]+/, '').split('\\').join('/'))
    // listPackage names directories too; only files (entries without `files`) have content.
    .filter((p) => !('files' in asar.statFile(archive, p, false)))
    .map((p) => ({ path: p, sha256: createHash('sha256').update(asar.extractFile(archive, p)).digest('hex') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

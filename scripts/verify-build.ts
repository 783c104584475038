/**
 * npm run verify-build -- PATH
 * Rebuilds this checkout and compares its app archive with the one in a downloaded package:
 * PATH is an app.asar, or a folder (an unpacked .deb/.AppImage/.app/installer) that contains one.
 * Every app file (the set build/electron-builder.config.ts ships) must be byte-identical. Dependencies
 * under node_modules/ are packaged by electron-builder from the lockfile and are listed, not compared.
 * Prints one JSON object; exit 0 when the app files match, 1 when they differ, 2 on bad usage.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { archiveDigest, packAppArchive } from '../build/app-archive';

const root = resolve(import.meta.dirname, '..');

function findAsar(path: string): string | null {
  if (!existsSync(path)) return null;
  if (statSync(path).isFile()) return path.endsWith('.asar') ? path : null;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const abs = join(path, entry.name);
    if (entry.isFile() && entry.name === 'app.asar') return abs;
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      const found = findAsar(abs);
      if (found !== null) return found;
    }
  }
  return null;
}

const target = process.argv[2];
const downloaded = target === undefined ? null : findAsar(resolve(target));
if (downloaded === null) {
  console.error(JSON.stringify({ error: { code: 'BAD_INPUT', message: 'usage: npm run verify-build -- PATH (an app.asar or a folder containing one)' } }));
  process.exit(2);
}

execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const dir = mkdtempSync(join(tmpdir(), 'pv-verify-'));
try {
  const rebuilt = join(dir, 'app.asar');
  await packAppArchive(root, rebuilt);
  const ours = new Map(archiveDigest(rebuilt).map((e) => [e.path, e.sha256]));
  const theirs = archiveDigest(downloaded);
  const dependencies = theirs.filter((e) => e.path.startsWith('node_modules/'));
  const theirApp = new Map(theirs.filter((e) => !e.path.startsWith('node_modules/')).map((e) => [e.path, e.sha256]));
  const differing = [...ours].filter(([p, h]) => theirApp.has(p) && theirApp.get(p) !== h).map(([p]) => p);
  const missing = [...ours.keys()].filter((p) => !theirApp.has(p));
  const extra = [...theirApp.keys()].filter((p) => !ours.has(p));
  const match = differing.length === 0 && missing.length === 0 && extra.length === 0;
  console.log(JSON.stringify({ match, archive: downloaded, compared: ours.size, differing, missing, extra, dependenciesNotCompared: dependencies.length }, null, 2));
  process.exitCode = match ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

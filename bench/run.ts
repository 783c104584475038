/**
 * `npm run bench` runs every bench in turn; `npm run bench -- NAME [NAME...]` runs the named ones.
 * Each runs in its own process (as before), so one bench's heap and loopback server do not disturb the
 * next one's figures.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, string> = {
  crypto: 'bench/index.ts',
  backup: 'bench/backup.ts',
  unlock: 'bench/unlock.ts',
  telegram: 'bench/telegram.ts',
  scan: 'bench/scan.ts',
  'scan-photos': 'bench/scan-photos.ts',
  render: 'bench/render.ts',
  cli: 'bench/cli.ts',
};

const root = fileURLToPath(new URL('..', import.meta.url));
const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of asked.length > 0 ? asked : Object.keys(BENCHES)) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', BENCHES[name] as string], { cwd: root, stdio: 'inherit', timeout: 90 * 60_000 });
  if (r.status !== 0) {
    console.error(`bench ${name} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);

#!/usr/bin/env node
// Runs @doyensec/electronegativity over the sources (electron/) and the build output (out/), and fails
// on any HIGH or MEDIUM finding that security/electronegativity-allowlist.json does not justify.
// electronegativity itself exits 0 whatever it finds, hence this wrapper. Stale allowlist entries fail too,
// so the list cannot silently outlive the code it excuses.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from './lib/csv.mjs';

const root = new URL('..', import.meta.url).pathname;
const allowlistPath = join(root, 'security/electronegativity-allowlist.json');
const inputs = ['electron', 'out'];
const GATING = new Set(['HIGH', 'MEDIUM']);

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const allowlist = JSON.parse(readFileSync(allowlistPath, 'utf8'));
for (const entry of allowlist) {
  if (typeof entry.check !== 'string' || typeof entry.file !== 'string' || typeof entry.reason !== 'string' || entry.reason.trim().length < 20) {
    console.error(`security-lint: allowlist entry needs check, file and a real one-line reason: ${JSON.stringify(entry)}`);
    process.exit(1);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'eneg-'));
const findings = [];
try {
  for (const input of inputs) {
    if (!existsSync(join(root, input))) {
      console.error(`security-lint: ${input}/ is missing (run npm run build first)`);
      process.exit(1);
    }
    // A scan that reports nothing at all for an input is not trusted. Seen here now and then: an empty CSV
    // with nothing on the tool's output but its complaints about having no network (a race in how it
    // writes results); a rerun reports everything. So: up to three attempts, then a hard failure.
    let rows = [];
    const ATTEMPTS = 3;
    for (let attempt = 1; attempt <= ATTEMPTS && rows.length === 0; attempt++) {
      const csv = join(tmp, `${input}-${attempt}.csv`);
      const bin = join(root, 'node_modules/.bin/electronegativity');
      const res = spawnSync(bin, ['-i', input, '-r', '-e', electronVersion, '-v', 'false', '-o', csv], {
        cwd: root,
        encoding: 'utf8',
        timeout: 300_000,
      });
      const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
      // The tool prints files it could not parse and carries on with exit 0: those files went unchecked.
      const unparsed = output.split('\n').filter((l) => /Error parsing /.test(l) && !/Tolerable error parsing/.test(l));
      if (unparsed.length > 0) {
        console.error(`security-lint: electronegativity could not parse, so did not check:\n${unparsed.join('\n')}`);
        process.exit(1);
      }
      if (res.status !== 0 || !existsSync(csv)) {
        console.error(`security-lint: electronegativity failed on ${input}/ (exit ${res.status})\n${output}`);
        process.exit(1);
      }
      const [header, ...data] = parseCsv(readFileSync(csv, 'utf8'));
      const col = (name) => header.findIndex((h) => h.trim() === name);
      const [iIssue, iSev, iConf, iFile, iLoc] = ['issue', 'severity', 'confidence', 'filename', 'location'].map(col);
      rows = data
        .filter((r) => r.length >= header.length)
        .map((r) => ({ check: r[iIssue], severity: r[iSev], confidence: r[iConf], file: `${input}/${r[iFile]}`, location: r[iLoc] }));
      if (rows.length === 0) console.error(`security-lint: no findings at all for ${input}/ (attempt ${attempt}); tool output:\n${output}`);
    }
    if (rows.length === 0) {
      console.error(`security-lint: electronegativity reported nothing for ${input}/ ${ATTEMPTS} times; it cannot have checked it.`);
      process.exit(1);
    }
    findings.push(...rows);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const used = new Set();
const failures = [];
for (const f of findings) {
  const gating = GATING.has(f.severity);
  const idx = allowlist.findIndex((a) => a.check === f.check && a.file === f.file);
  if (idx >= 0) used.add(idx);
  const verdict = !gating ? 'info' : idx >= 0 ? 'allowed' : 'FAIL';
  console.log(`${verdict.padEnd(7)} ${f.severity.padEnd(6)} ${f.confidence.padEnd(9)} ${f.check.padEnd(28)} ${f.file}:${f.location}${idx >= 0 ? `  — ${allowlist[idx].reason}` : ''}`);
  if (verdict === 'FAIL') failures.push(f);
}
const stale = allowlist.filter((_, i) => !used.has(i));
for (const s of stale) console.log(`STALE   allowlist entry matches nothing: ${s.check} ${s.file}`);

const gatingCount = findings.filter((f) => GATING.has(f.severity)).length;
console.log(`security-lint: ${findings.length} findings, ${gatingCount} HIGH/MEDIUM, ${failures.length} not allowlisted, ${stale.length} stale allowlist entries`);
process.exit(failures.length > 0 || stale.length > 0 ? 1 : 0);

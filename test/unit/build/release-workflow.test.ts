import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/paths';

const workflow = readFileSync(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8');
const releasing = readFileSync(join(REPO_ROOT, 'RELEASING.md'), 'utf8');

test('every secret the release workflow uses is documented in RELEASING.md, and vice versa', () => {
  const used = new Set([...workflow.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]));
  const documented = new Set([...releasing.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
  assert.ok(used.size >= 5);
  assert.deepEqual([...used].sort(), [...documented].sort());
});

test('the workflow builds all three platforms, publishes checksums and an SBOM, and only drafts', () => {
  for (const os of ['--mac', '--win', '--linux']) assert.ok(workflow.includes(`target: ${os}`), os);
  assert.match(workflow, /shasum -a 256/);
  assert.match(workflow, /cyclonedx-npm/);
  assert.match(workflow, /gh release create "\$GITHUB_REF_NAME" --draft/);
  assert.match(workflow, /--publish never/);
});

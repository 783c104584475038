// No import cycle anywhere in our code: each cycle is printed with the files in it.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cycles, findImportCycles } from './lib/import-cycles';

const root = new URL('..', import.meta.url).pathname;

test('no import cycle in electron/, renderer/, tools/, test/, scripts/', () => {
  const found = findImportCycles(root, ['electron', 'renderer', 'tools', 'test', 'scripts']);
  assert.deepEqual(found.map((c) => c.join(' <-> ')), []);
});

test('finds a two-file cycle, a longer one through .vue and @common, and a self-import; not a diamond', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  const put = (p: string, text: string): void => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  put('electron/a.ts', "import { b } from './b';\nexport const a = 1;\n");
  put('electron/b.ts', "export { a } from './a.js';\nexport const b = 2;\n");
  put('electron/common/x.ts', "import type { V } from '../../renderer/V.vue';\nexport type X = V;\n");
  put('renderer/V.vue', "<template><p/></template>\n<script setup lang=\"ts\">\nimport { y } from './y';\n</script>\n");
  put('renderer/y.ts', "import type { X } from '@common/x';\nexport const y = 1 as unknown as X;\n");
  put('tools/self.ts', "import './self';\n");
  put('tools/d1.ts', "import './d2';\nimport './d3';\n");
  put('tools/d2.ts', "import './d4';\n");
  put('tools/d3.ts', "import './d4';\n");
  put('tools/d4.ts', "import 'node:fs';\nconst later = () => import('./d1');\nexport { later };\n");
  assert.deepEqual(findImportCycles(dir, ['electron', 'renderer', 'tools']), [
    ['electron/a.ts', 'electron/b.ts'],
    ['electron/common/x.ts', 'renderer/V.vue', 'renderer/y.ts'],
    ['tools/self.ts'],
  ]);
});

test('a long chain does not overflow the stack', () => {
  const graph = new Map<string, string[]>();
  const n = 200_000;
  for (let i = 0; i < n; i++) graph.set(`f${i}`, [`f${(i + 1) % n}`]);
  const found = cycles(graph);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.length, n);
});

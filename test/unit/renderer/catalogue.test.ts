/**
 * The renderer's catalogue (renderer/src/i18n/messages.en.ts): every plural has the forms its language
 * needs (Intl.PluralRules), every form of a plural has the same placeholders, and no screen writes its
 * own words any more: visible text, placeholders, titles and labels, words in bound attributes and
 * interpolations, and sentences in the renderer's scripts all come from the catalogue.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from '../../support/paths';

const SRC = join(REPO_ROOT, 'renderer/src');
const PLURAL_CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** The catalogue as the renderer's bundler sees it (the @common alias), evaluated here. */
async function loadCatalogue(): Promise<Record<string, unknown>> {
  const out = buildSync({
    entryPoints: [join(SRC, 'i18n/messages.en.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    alias: { '@common': join(REPO_ROOT, 'electron/common') },
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { en: Record<string, unknown> };
  return mod.en;
}

function isPlural(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && 'other' in v && Object.keys(v).every((k) => PLURAL_CATEGORIES.has(k));
}

function* entries(node: unknown, path = ''): Generator<[string, unknown]> {
  if (typeof node === 'string' || isPlural(node)) {
    yield [path, node];
    return;
  }
  if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) yield* entries(v, path === '' ? k : `${path}.${k}`);
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

test('every plural has the forms English needs, with the same placeholders in each', async () => {
  const en = await loadCatalogue();
  const needed = new Intl.PluralRules('en').resolvedOptions().pluralCategories;
  let plurals = 0;
  for (const [key, value] of entries(en)) {
    if (!isPlural(value)) continue;
    plurals += 1;
    for (const c of needed) assert.equal(typeof value[c], 'string', `${key}: no "${c}" form`);
    // "1 fix requested" may spell the count out; every other placeholder must be in every form.
    const sets = Object.values(value).map((f) => placeholders(f).filter((p) => p !== 'count').join());
    assert.equal(new Set(sets).size, 1, `${key}: forms with different placeholders (${sets.join(' | ')})`);
  }
  assert.ok(plurals >= 20, `only ${plurals} plurals found: is the catalogue read?`);
});

test('no text is empty, and placeholders are well formed', async () => {
  for (const [key, value] of entries(await loadCatalogue())) {
    for (const text of typeof value === 'string' ? [value] : Object.values(value as Record<string, string>)) {
      assert.notEqual(text.trim(), '', `${key} is empty`);
      assert.doesNotMatch(text.replace(/\{\w+\}/g, ''), /[{}]/, `${key}: a brace that is not a placeholder`);
    }
  }
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** A quoted or template string that reads as words ("Move ${item} earlier", "Scan: ${label}"), not a key, class or path. */
const QUOTED = /`([^`]*)`|'([^']*)'/g;
const WORDS = /[A-Za-z]{2,}[:,.]? [A-Za-z$]/;

test('the screens take every word from the catalogue', () => {
  const found: string[] = [];
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    if (rel.startsWith('i18n/')) continue;
    const source = readFileSync(file, 'utf8');
    if (/\.ts$/.test(rel)) {
      // Sentences a script hands to a screen (not comments, nor a programming error's message: those are the code's own words).
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/new Error\((['`])[^'`]*\1/g, 'new Error(');
      for (const m of code.matchAll(/(['`])([A-Z][a-z]+ [^'`]*)\1/g)) found.push(`${rel}: script "${m[2] ?? ''}"`);
      continue;
    }
    if (!/\.vue$/.test(rel)) continue;
    const template = source.slice(source.indexOf('<template>')).replace(/<style[\s\S]*?<\/style>/g, '');
    // Text between tags, once interpolations and attribute values (which may hold a "<" or ">") are out.
    const text = template.replace(/\{\{[\s\S]*?\}\}/g, '').replace(/="[^"]*"/g, '=""');
    for (const m of text.matchAll(/>([^<>]*[A-Za-z]{2,}[^<>]*)</g)) found.push(`${rel}: text "${(m[1] ?? '').trim()}"`);
    for (const m of template.matchAll(/\s(placeholder|title|aria-label|alt)="[^"]*"/g)) found.push(`${rel}: attribute${m[0]}`);
    // Words inside expressions: interpolations and bound attributes (`:aria-label="`Move ${x} earlier`"`).
    for (const m of template.matchAll(/\{\{([\s\S]*?)\}\}|\s[:@][\w.-]+="([^"]*)"/g)) {
      for (const q of (m[1] ?? m[2] ?? '').matchAll(QUOTED)) {
        // A template string's `${…}` parts are code (one level of braces inside them is enough here).
        const words = (q[1] ?? q[2] ?? '').replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '$');
        if (WORDS.test(words)) found.push(`${rel}: expression ${q[0]}`);
      }
    }
    const script = source.slice(0, source.indexOf('<template>')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const m of script.matchAll(/(['`])([A-Z][a-z]+ [^'`]*)\1/g)) found.push(`${rel}: script "${m[2] ?? ''}"`);
  }
  assert.deepEqual(found, []);
});

// A compact reporter for `node --test`: one line per test file (passed or not, and its seconds), the
// full error of every failure as it happens, test diagnostics, and the totals. CI shows only part of a
// long log; the spec reporter's 800 lines buried where a run stopped. The spec output still goes to
// test-results/tests.log (scripts/run-tests.mjs asks for both).
import { relative } from 'node:path';

const root = process.env.PASSPORT_VAULT_ROOT ?? process.cwd();

function errorText(error) {
  const inner = error?.cause ?? error;
  const text = inner?.stack ?? String(inner);
  const lines = String(text).split('\n');
  return lines.slice(0, 40).join('\n') + (lines.length > 40 ? `\n… ${lines.length - 40} more lines` : '');
}

export default async function* compactReporter(source) {
  const names = new Map(); // file → the suite path of the test now reported there, by nesting
  let files = 0;
  for await (const event of source) {
    const data = event.data ?? {};
    // A test file is itself a test at nesting 0 named by its path. With files run side by side, a
    // file's own events can still arrive after its completion, so the line counts no tests.
    const isFile = data.file !== undefined && data.name === data.file && data.nesting === 0;
    switch (event.type) {
      case 'test:complete':
        if (isFile) {
          files += 1;
          const secs = ((data.details?.duration_ms ?? 0) / 1000).toFixed(1).padStart(6);
          yield `${data.details?.passed === false ? '✖' : '✔'} ${secs} s  ${relative(root, data.file)}\n`;
        }
        break;
      case 'test:start': {
        const path = names.get(data.file) ?? [];
        path[data.nesting] = data.name;
        path.length = data.nesting + 1;
        names.set(data.file, path);
        break;
      }
      case 'test:fail':
        // A suite fails because a test in it did, which was already shown.
        if (data.details?.type === 'suite') break;
        yield `\n✖ FAILED ${data.file ? relative(root, data.file) : ''}\n  ${isFile ? '(the file itself)' : [...(names.get(data.file) ?? []).slice(0, data.nesting), data.name].join(' › ')} (${Math.round(data.details?.duration_ms ?? 0)} ms)\n${errorText(data.details?.error)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n\n`;
        break;
      case 'test:diagnostic':
        // A test's own figures are indented; the file-less ones at the end are the run's totals.
        yield `${data.file ? '  ' : ''}# ${data.message}\n`;
        break;
      default:
        break;
    }
  }
  yield `# ${files} test files\n`;
}

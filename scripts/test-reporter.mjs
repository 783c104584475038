// A compact reporter for `node --test`: one line per test file (its tests, failures and seconds), the
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
  const running = new Map(); // file → { tests, failed }
  const names = []; // the suite path of the test now reported, by nesting
  let files = 0;
  for await (const event of source) {
    const data = event.data ?? {};
    const isFile = data.file !== undefined && data.name === data.file && data.nesting === 0;
    const stats = data.file === undefined ? undefined : running.get(data.file);
    switch (event.type) {
      case 'test:dequeue':
        if (isFile) running.set(data.file, { tests: 0, failed: 0 });
        break;
      case 'test:complete':
        if (isFile && stats) {
          files += 1;
          running.delete(data.file);
          const failed = stats.failed > 0 || data.details?.passed === false;
          const secs = ((data.details?.duration_ms ?? 0) / 1000).toFixed(1).padStart(6);
          yield `${failed ? '✖' : '✔'} ${secs} s  ${relative(root, data.file)}  (${stats.tests} tests${stats.failed ? `, ${stats.failed} failed` : ''})\n`;
        }
        break;
      case 'test:start':
        names[data.nesting] = data.name;
        names.length = data.nesting + 1;
        break;
      case 'test:pass':
        if (data.details?.type !== 'suite' && stats && !isFile) stats.tests += 1;
        break;
      case 'test:fail':
        // A suite fails because a test in it did, which was already shown.
        if (data.details?.type === 'suite') break;
        if (stats && !isFile) {
          stats.tests += 1;
          stats.failed += 1;
        }
        yield `\n✖ FAILED ${data.file ? relative(root, data.file) : ''}\n  ${[...names.slice(0, data.nesting), data.name].join(' › ')} (${Math.round(data.details?.duration_ms ?? 0)} ms)\n${errorText(data.details?.error)
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

/** npm run icons: regenerates build/icons/*.png, build/icon.ico and build/icon.icns from resources/icon.svg. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateIcons } from '../build/icons';

const root = resolve(import.meta.dirname, '..');
for (const [path, bytes] of await generateIcons(root)) {
  writeFileSync(join(root, path), bytes);
  console.log(`${path}  ${bytes.length} bytes`);
}

/** npx tsx scripts/make-ocrb-templates.ts: regenerates electron/common/scan/ocrb-templates.ts from the OCR-B font. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OCRB_TEMPLATES_PATH, ocrbTemplatesSource } from '../build/ocrb-templates';

const root = resolve(import.meta.dirname, '..');
const source = await ocrbTemplatesSource();
writeFileSync(join(root, OCRB_TEMPLATES_PATH), source);
console.log(`${OCRB_TEMPLATES_PATH}  ${source.length} bytes`);

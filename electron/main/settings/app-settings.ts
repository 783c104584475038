/**
 * The settings file: `<dataDir>/settings.json`, plain JSON (nothing in it is secret), replaced
 * atomically. Reading never fails for a missing or damaged file: every setting whose saved value is
 * absent or invalid takes its default, so one bad field (or a file from a newer version with fields
 * we do not know) does not reset the others. Electron-free.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppSettingsSchema, DEFAULT_APP_SETTINGS, type AppSettings } from '../../common/settings';
import { writeFileAtomic } from '../vault/fs/atomic-write';

export const SETTINGS_FILE = 'settings.json';
/** Written into the file so a later version can migrate; ignored when reading (fields are checked one by one). */
const FILE_VERSION = 1;

/** Each known setting from `raw`, or its default where `raw` lacks it or holds something invalid. */
export function settingsFrom(raw: unknown): AppSettings {
  const saved = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...DEFAULT_APP_SETTINGS };
  for (const [key, schema] of Object.entries(AppSettingsSchema.shape)) {
    const parsed = schema.safeParse(saved[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return AppSettingsSchema.parse(out);
}

export class AppSettingsFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, SETTINGS_FILE);
  }

  async read(): Promise<AppSettings> {
    // Missing, unreadable (a directory in its place, no permission) or not JSON: the defaults. Settings
    // are preferences; the app must start whatever happened to this file.
    try {
      return settingsFrom(JSON.parse(await readFile(this.path, 'utf8')));
    } catch {
      return { ...DEFAULT_APP_SETTINGS };
    }
  }

  async write(settings: AppSettings): Promise<void> {
    const valid = AppSettingsSchema.parse(settings);
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify({ version: FILE_VERSION, ...valid }, null, 2)}\n`, 'utf8'));
  }
}

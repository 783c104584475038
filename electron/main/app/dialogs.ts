/**
 * The OS file dialogs, as main needs them: the person picks where a backup goes and which backup to
 * read. The renderer never names a path: main asks here and keeps the answer. Electron's `dialog` in
 * the app (index.ts); the browser test rig answers with paths the test chose.
 */
import { AppError } from '../../common/errors';

export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

export interface DialogService {
  /** Where to write a new file; null = the person cancelled. */
  chooseSaveFile(options: { title: string; defaultName: string; filters: readonly FileFilter[] }): Promise<string | null>;
  /** One existing file to read; null = the person cancelled. */
  chooseOpenFile(options: { title: string; filters: readonly FileFilter[] }): Promise<string | null>;
}

export const BACKUP_FILE_FILTERS: readonly FileFilter[] = [{ name: 'Passport Vault backup', extensions: ['pvbackup'] }];

/** For wiring without a window (the CLI has its own paths): every call says why it cannot work. */
export const noDialogs: DialogService = {
  chooseSaveFile: () => Promise.reject(new AppError('BAD_INPUT', 'This app has no file dialog here.')),
  chooseOpenFile: () => Promise.reject(new AppError('BAD_INPUT', 'This app has no file dialog here.')),
};

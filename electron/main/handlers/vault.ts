/**
 * Handlers of the `vault.*` channels over the VaultService. Decrypted scans stay in main except as
 * previews the person asked to see; new scans come in by the id scan.prepare gave them.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { AppError } from '../../common/errors';
import { BACKUP_FILE_FILTERS, type DialogService } from '../app/dialogs';
import { inspectBackup } from '../vault/backup/format';
import type { RequestOf } from '../../common/ipc/api';
import type { NamespaceHandlers } from '../ipc/router';
import type { ScanStore } from '../scans/scan-store';
import type { FilePreviews } from '../vault/session/file-previews';
import type { VaultService } from '../vault/session/vault-service';
import type { FileChange, TelegramValueInput } from '../vault/telegram/value-edit';
import type { FileInfo } from '../vault/value-view';

type FileRef = { keep: string } | { scanId: string };

/** The save request's file references → the vault's FileChange: prepared scans are taken out of the ScanStore. */
function toEdit(req: RequestOf<'vault.save'>, scans: ScanStore): { input: TelegramValueInput; taken: Uint8Array[] } {
  const taken: Uint8Array[] = [];
  const change = (ref: FileRef): FileChange => {
    if ('keep' in ref) return { keep: ref.keep };
    const scan = scans.take(ref.scanId);
    if (scan === undefined) throw new AppError('BAD_INPUT', 'A new scan is no longer available (the vault locked meanwhile, or it was used already). Add it again.');
    taken.push(scan.jpeg);
    return scan.jpeg;
  };
  const input: TelegramValueInput = { type: req.type };
  if (req.data !== undefined) input.data = req.data;
  if (req.plain !== undefined) input.plain = req.plain;
  for (const key of ['frontSide', 'reverseSide', 'selfie'] as const) {
    const ref = req[key];
    if (ref !== undefined) input[key] = ref === null ? null : change(ref);
  }
  if (req.files !== undefined) input.files = req.files.map(change);
  if (req.translation !== undefined) input.translation = req.translation.map(change);
  return { input, taken };
}

const meta = (f: FileInfo | undefined): FileInfo | null => (f === undefined ? null : { fileHash: f.fileHash, size: f.size, date: f.date, uploaded: f.uploaded });

/** A default backup file name with the day in it (the person may change it in the dialog). */
function backupFileName(now: Date): string {
  return `passport-backup-${now.toISOString().slice(0, 10)}.pvbackup`;
}

export function createVaultHandlers(service: VaultService, scans: ScanStore, previews: FilePreviews, dialogs: DialogService): NamespaceHandlers<'vault'> {
  // Backups the person picked in the open dialog, by an opaque id: the renderer never names a path.
  const chosen = new Map<string, string>();
  return {
    status: () => service.status(),
    createLocal: ({ password }) => service.createLocal(password),
    // The list comes from this device's copy as soon as it opens; Telegram's check follows (whenChecked).
    unlock: ({ password, rememberDays }) => service.unlock(password, rememberDays, 'background'),
    whenChecked: () => service.whenChecked(),
    unlockWithSignInPassword: ({ rememberDays }) => service.unlockWithSignInPassword(rememberDays, 'background'),
    async lock() {
      service.lock();
      return service.status();
    },
    async read({ type }) {
      const v = await service.value(type);
      if (v === null) return null;
      return {
        type: v.type,
        data: v.data ?? null,
        plain: v.plain ?? null,
        frontSide: meta(v.frontSide),
        reverseSide: meta(v.reverseSide),
        selfie: meta(v.selfie),
        files: v.files.map((f) => meta(f) as FileInfo),
        translation: v.translation.map((f) => meta(f) as FileInfo),
        pending: v.pending,
        conflict: v.conflict,
        syncError: v.syncError?.message ?? null,
        problem: v.problem?.message ?? null,
        damaged: v.damaged,
        serviceErrors: v.serviceErrors,
        updatedAt: v.updatedAt,
      };
    },
    async file({ type, fileHash, size }) {
      const shown = await previews.get(fileHash, size, () => service.readFile(type, fileHash));
      const bytes = new Uint8Array(shown.bytes);
      shown.bytes.fill(0);
      return { bytes, width: shown.width, height: shown.height };
    },
    async save(req) {
      const { input, taken } = toEdit(req, scans);
      try {
        return await service.save(input);
      } finally {
        for (const b of taken) b.fill(0);
      }
    },
    progress: () => Promise.resolve(service.progress()),
    remove: ({ type }) => service.remove(type),
    async removeAll({ confirmation }) {
      await service.removeAll(confirmation);
      return {};
    },
    setupPassword: ({ password, hint, email }) => service.setupPassword(password, hint, email),
    async confirmRecoveryEmail({ code }) {
      await service.confirmRecoveryEmail(code);
      return {};
    },
    async changePassword({ current, next, hint }) {
      await service.changePassword(current, next, hint);
      return {};
    },
    async resetPassport({ password, confirmation }) {
      await service.resetPassport(password, confirmation);
      return {};
    },
    async exportBackup({ password }) {
      const path = await dialogs.chooseSaveFile({ title: 'Save an encrypted backup', defaultName: backupFileName(new Date()), filters: BACKUP_FILE_FILTERS });
      if (path === null) return null;
      const counts = await service.exportBackup(path, password);
      return { fileName: basename(path), counts };
    },
    async chooseBackup() {
      const path = await dialogs.chooseOpenFile({ title: 'Choose a backup', filters: BACKUP_FILE_FILTERS });
      if (path === null) return null;
      const info = await inspectBackup(path);
      const backupId = randomBytes(12).toString('hex');
      chosen.clear(); // only the latest choice can be restored
      chosen.set(backupId, path);
      return { backupId, fileName: basename(path), createdAt: info.createdAt, values: info.values, counts: info.counts };
    },
    async restoreBackup({ backupId, password }) {
      const path = chosen.get(backupId);
      if (path === undefined) throw new AppError('BAD_INPUT', 'Choose the backup again.');
      return service.restoreBackup(path, password);
    },
    localVault: () => service.localVaultInfo(),
    attachLocal: ({ password }) => service.attachLocal(password),
    requestRecovery: () => service.requestRecovery(),
    async recoverPassword({ code, password, hint }) {
      await service.recoverPassword(code, password === undefined ? undefined : { password, hint: hint ?? '' });
      return {};
    },
    sync: () => service.sync(),
    otherVersion: async ({ type }) => ({ version: await service.otherVersion(type) }),
    resolve: ({ type, choice, seen }) => service.resolve(type, choice, seen),
  };
}

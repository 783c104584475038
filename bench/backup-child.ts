/**
 * Run by bench/backup.ts in a fresh process: one backup operation, then prints
 * {"ms": time of the operation, "maxRssKiB": peak RSS of the process}.
 * Usage: backup-child.ts baseline|export|import VAULT_DIR BACKUP TARGET_DIR PASSWORD
 */
import { importBackup } from '../electron/main/vault/backup/import';
import { LocalVault } from '../electron/main/vault/local/local-vault';
import { peakRssKiB } from './peak-rss';

const [mode, vaultDir, backup, target, password] = process.argv.slice(2);
if (mode === undefined || vaultDir === undefined || backup === undefined || target === undefined || password === undefined) {
  throw new Error('usage: backup-child.ts MODE VAULT_DIR BACKUP TARGET_DIR PASSWORD');
}
let ms = 0;
const vault = await LocalVault.open(vaultDir, null);
switch (mode) {
  case 'baseline':
    await vault.unlock(Buffer.from(password));
    break;
  case 'export': {
    await vault.unlock(Buffer.from(password)); // PBKDF2, not part of the timed export
    const t = process.hrtime.bigint();
    await vault.backupTo(backup);
    ms = Number(process.hrtime.bigint() - t) / 1e6;
    break;
  }
  case 'import': {
    const t = process.hrtime.bigint();
    await importBackup(backup, Buffer.from(password), target, null); // includes one PBKDF2 (~0.1-0.3 s)
    ms = Number(process.hrtime.bigint() - t) / 1e6;
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
vault.close();
process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: peakRssKiB() })}\n`);

/**
 * `sessions` and `sessions end --hash H | --all-others`: the signed-in account's active sessions, as the
 * app's Security screen shows them (the SecurityService): `new` against the seen set the app keeps in
 * its data folder (`--mark-seen` records the listed ones as seen). The session is the one `login`
 * kept in the keychain. Telegram, mtcute and the services are imported only when the command runs.
 */
import { AppError } from '../../../common/errors';
import { SessionHashSchema, type SessionView } from '../../../common/security';
import type { SecurityService } from '../../account/security/security-service';
import type { OptionValues } from '../args';
import { optionalString } from '../args';
import { usageError } from '../output';


/** The signed-in account's SecurityService (no watcher: one command, one look), then everything closed. */
async function withSecurity<T>(values: OptionValues, fn: (security: SecurityService) => Promise<T>): Promise<T> {
  const [{ accountService }, { dataDir }, { SecurityService }, { SeenSessionsFile }] = await Promise.all([
    import('./account'),
    import('./passport'),
    import('../../account/security/security-service'),
    import('../../account/security/seen-sessions'),
  ]);
  const { service } = accountService(values);
  try {
    const status = await service.status();
    if (status.user === null) {
      if (status.unverified) throw new AppError('OFFLINE', 'Telegram cannot be reached to confirm which account is signed in. Try again when online.');
      throw new AppError('NOT_SIGNED_IN', 'Not signed in to Telegram: run passport-vault login first.');
    }
    return await fn(new SecurityService({ account: service, seen: new SeenSessionsFile(dataDir(values)), isUnlocked: () => false, checkEveryMs: 0 }));
  } finally {
    await service.close();
  }
}

/** One session in the CLI's snake_case JSON. */
function sessionJson(s: SessionView): object {
  return {
    hash: s.hash,
    current: s.current,
    new: s.new,
    device_model: s.deviceModel,
    platform: s.platform,
    system_version: s.systemVersion,
    app_name: s.appName,
    app_version: s.appVersion,
    api_id: s.apiId,
    official_app: s.officialApp,
    password_pending: s.passwordPending,
    ip: s.ip,
    country: s.country,
    region: s.region,
    created_at: s.createdAt,
    active_at: s.activeAt,
  };
}

export async function sessionsList(values: OptionValues): Promise<object> {
  return withSecurity(values, async (security) => {
    const list = await security.list();
    const shown = { sessions: list.sessions.map(sessionJson), stale: list.stale, fetched_at: list.fetchedAt };
    const fresh = list.sessions.filter((s) => s.new).map((s) => s.hash);
    // Marked as they were shown: new this time, seen from the next run on.
    if (values['mark-seen'] === true && fresh.length > 0) await security.acknowledge(fresh);
    return shown;
  });
}

export async function sessionsEnd(values: OptionValues): Promise<object> {
  const hash = optionalString(values, 'hash');
  const allOthers = values['all-others'] === true;
  if ((hash === undefined) === !allOthers) throw usageError('sessions end needs exactly one of --hash=H or --all-others.');
  if (hash !== undefined && !SessionHashSchema.safeParse(hash).success) throw usageError('--hash must be a session hash as `sessions` lists it (a signed decimal number).');
  return withSecurity(values, async (security) => {
    if (hash !== undefined) return await security.end(hash);
    await security.endOthers();
    return { ended_all_others: true };
  });
}

/**
 * Passport authorization requests in the main process, from link to callback. Electron-free.
 *
 *   open(link)        parse (common parser) + check the key with node:crypto; the request is kept here
 *                     under a random id — the renderer only ever names it, so the key it is encrypted
 *                     for and the callback that is opened are the ones parsed in main
 *   getForm(id)       account.getAuthorizationForm → what the person is shown (statuses, choices)
 *   authorize(id, …)  only now: credentials built, encrypted, account.acceptAuthorization, history,
 *                     callback `tg_passport=success` opened
 *   cancel(id)        callback `tg_passport=cancel`, or `error&error=CODE` when Telegram refused the
 *                     request with an error the service must hear (tdesktop ForwardServiceErrorRequired)
 *   takePending()     links that reached the app from the OS / command line / a second instance
 */
import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../common/errors';
import { callbackUrlFor, isForwardedServiceError, type AuthorizationOutcome } from '../../common/authorization/callback';
import type { FormView, HistoryEntry } from '../../common/authorization/form-view';
import { parseAuthorizationLink } from '../../common/authorization/link';
import { typesOfScope, type AuthorizationRequest } from '../../common/authorization/request';
import type { ServiceErrorCode } from '../../common/authorization/link';
import type { DeepLinkInbox } from '../app/deep-link-inbox';
import { parseRsaPublicKey } from '../passport/crypto/rsa';
import type { Logger } from '../log/logger';
import type { AuthorizationForm, AuthorizationParams, EncryptedCredentialsForBot, ServiceValueError } from '../telegram/authorization-api';
import type { SecureValueTypeName } from '../../common/passport/secure-value-types';
import { formItems } from './form-status';
import { prepareShare, type Choice, type PassportKeyring } from './share';

export type { PassportKeyring, Choice } from './share';

/** The two Telegram calls (authorization-api.ts over the app's connection; fakes in unit tests). */
export interface AuthorizationTelegram {
  getForm(p: AuthorizationParams): Promise<AuthorizationForm>;
  accept(p: AuthorizationParams & { valueHashes: { type: SecureValueTypeName; hash: Buffer }[]; credentials: EncryptedCredentialsForBot }): Promise<void>;
}

/** Where the history of shares lives (the encrypted vault in the app; memory in tests). */
export interface AuthorizationHistoryStore {
  append(entry: HistoryEntry): Promise<void>;
  list(): Promise<HistoryEntry[]>;
}

export class MemoryHistoryStore implements AuthorizationHistoryStore {
  readonly entries: HistoryEntry[] = [];
  append(entry: HistoryEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
  list(): Promise<HistoryEntry[]> {
    return Promise.resolve([...this.entries]);
  }
}

export interface AuthorizationServiceDeps {
  readonly telegram: AuthorizationTelegram;
  readonly keyring: PassportKeyring;
  readonly history: AuthorizationHistoryStore;
  readonly inbox?: DeepLinkInbox;
  /** Opens a vetted http(s) URL in the person's browser; a throw means it could not be opened. */
  readonly openInBrowser: (url: string) => Promise<void>;
  readonly now?: () => Date;
  /** Where a failure that must not change the outcome is noted (codes only, never data). */
  readonly logger?: Logger;
  /**
   * The errors a service left on the person's values (with every fetched form), so the vault can
   * show them on the documents themselves; replaces that bot's earlier list.
   */
  readonly onServiceErrors?: (botId: string, errors: ServiceValueError[]) => void;
}

interface Session {
  readonly id: string;
  readonly request: AuthorizationRequest;
  form: AuthorizationForm | null;
  /** Telegram refused the request with an error the service should be told. */
  serviceError: ServiceErrorCode | null;
  busy: boolean;
}

export interface OpenedRequest {
  requestId: string;
  request: AuthorizationRequest;
}

export interface Closed {
  callbackUrl: string | null;
  opened: boolean;
}

/** Requests open at once; the oldest is dropped beyond (a flood of links cannot grow memory). */
const MAX_OPEN = 8;

export class AuthorizationService {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: AuthorizationServiceDeps) {}

  /** Parses a link (pasted, dropped, or from the OS) and keeps the request open. */
  open(link: string): OpenedRequest {
    const request = parseAuthorizationLink(link);
    try {
      parseRsaPublicKey(request.publicKey);
    } catch {
      throw new AppError('AUTH_LINK_INVALID', 'The link’s public_key is not an RSA public key.', {
        parameter: 'public_key',
        reason: 'is not an RSA public key',
        serviceError: 'PUBLIC_KEY_INVALID',
        ...(request.callbackUrl !== null ? { callbackUrl: request.callbackUrl } : {}),
      });
    }
    const id = randomBytes(12).toString('hex');
    if (this.sessions.size >= MAX_OPEN) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(id, { id, request, form: null, serviceError: null, busy: false });
    return { requestId: id, request };
  }

  /** Links the OS handed over since the last call: opened requests, and the links that are not usable. */
  takePending(): { opened: OpenedRequest[]; invalid: AppError[] } {
    const opened: OpenedRequest[] = [];
    const invalid: AppError[] = [];
    for (const link of this.deps.inbox?.take() ?? []) {
      try {
        opened.push(this.open(link));
      } catch (e) {
        if (!isAppError(e)) throw e;
        invalid.push(e);
      }
    }
    return { opened, invalid };
  }

  openRequests(): OpenedRequest[] {
    return [...this.sessions.values()].map((s) => ({ requestId: s.id, request: s.request }));
  }

  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (s === undefined) throw new AppError('AUTH_REQUEST_UNKNOWN', 'This request is no longer open. Open the link again.', { requestId: id });
    return s;
  }

  private params(r: AuthorizationRequest): AuthorizationParams {
    return { botId: r.botId, scope: r.scopeText, publicKey: r.publicKey };
  }

  async getForm(id: string): Promise<FormView> {
    const s = this.session(id);
    try {
      s.form = await this.deps.telegram.getForm(this.params(s.request));
      s.serviceError = null;
      this.deps.onServiceErrors?.(s.request.botId, s.form.errors);
    } catch (e) {
      if (isAppError(e) && isForwardedServiceError(e.code)) s.serviceError = e.code;
      throw e;
    }
    return this.view(s, s.form);
  }

  private view(s: Session, form: AuthorizationForm): FormView {
    const items = formItems(form.required, form.values, form.errors);
    return {
      requestId: s.id,
      service: {
        botId: s.request.botId,
        name: form.bot?.name ?? `Bot ${s.request.botId}`,
        username: form.bot?.username ?? null,
      },
      privacyPolicyUrl: form.privacyPolicyUrl,
      callbackUrl: s.request.callbackUrl,
      items,
      complete: items.every((i) => i.options.some((o) => o.status === 'ready')),
    };
  }

  private async finish(s: Session, outcome: AuthorizationOutcome): Promise<Closed> {
    this.sessions.delete(s.id);
    if (s.request.callbackUrl === null) return { callbackUrl: null, opened: false };
    const url = callbackUrlFor(s.request.callbackUrl, outcome);
    try {
      await this.deps.openInBrowser(url);
      return { callbackUrl: url, opened: true };
    } catch {
      return { callbackUrl: url, opened: false };
    }
  }

  private async record(s: Session, outcome: HistoryEntry['outcome'], types: SecureValueTypeName[], errorCode: string | null): Promise<void> {
    await this.deps.history.append({
      at: (this.deps.now?.() ?? new Date()).toISOString(),
      botId: s.request.botId,
      service: s.form?.bot?.name ?? `Bot ${s.request.botId}`,
      username: s.form?.bot?.username ?? null,
      outcome,
      types,
      errorCode,
    });
  }

  /** The person pressed Authorize: share the chosen values, then send the service back to its page. */
  async authorize(id: string, choices: readonly Choice[]): Promise<Closed & { types: SecureValueTypeName[] }> {
    const s = this.session(id);
    if (s.busy) throw new AppError('BAD_INPUT', 'This request is already being sent.');
    if (s.form === null) throw new AppError('BAD_INPUT', 'Load the form before authorizing.');
    s.busy = true;
    try {
      const share = await prepareShare(s.request, s.form, choices, this.deps.keyring);
      try {
        await this.deps.telegram.accept({ ...this.params(s.request), valueHashes: share.valueHashes, credentials: share.credentials });
      } catch (e) {
        if (isAppError(e) && isForwardedServiceError(e.code)) s.serviceError = e.code;
        // The person must hear Telegram's refusal, not a history write error that followed it.
        await this.record(s, 'failed', share.types, isAppError(e) ? e.code : 'INTERNAL').catch((h: unknown) => {
          this.deps.logger?.warn('share history not written after a refused authorization', { code: isAppError(h) ? h.code : 'INTERNAL' });
        });
        throw e;
      }
      // Shared is shared: Telegram has the data now. A history that cannot be written (disk full, the
      // vault locked meanwhile) must not turn that into a reported failure, nor keep the callback closed.
      try {
        await this.record(s, 'shared', share.types, null);
      } catch (e) {
        this.deps.logger?.warn('share history not written after a successful authorization', { code: isAppError(e) ? e.code : 'INTERNAL' });
      }
      return { ...(await this.finish(s, { kind: 'success' })), types: share.types };
    } finally {
      s.busy = false;
    }
  }

  /** The person closed the request (or it cannot go on): tell the service. */
  async cancel(id: string): Promise<Closed> {
    const s = this.session(id);
    const outcome: AuthorizationOutcome = s.serviceError !== null ? { kind: 'error', code: s.serviceError } : { kind: 'cancel' };
    await this.record(s, 'declined', typesOfScope(s.request.scope), s.serviceError);
    return this.finish(s, outcome);
  }

  history(): Promise<HistoryEntry[]> {
    return this.deps.history.list();
  }
}

/** A keyring for when no vault is wired in: every secret stays closed. */
export const LOCKED_KEYRING: PassportKeyring = {
  decryptSecret: () => Promise.reject(new AppError('VAULT_LOCKED', 'Unlock your Passport to share it.')),
};

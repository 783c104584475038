/**
 * Option sets several commands share. Kept apart from the commands so the command table (main.ts) can
 * describe every command without loading one: the Telegram commands' modules pull in mtcute and keytar.
 */
export const serverOptions = { server: { type: 'string' }, 'server-key': { type: 'string' } } as const;

/** Options `list` and `set` take: where Telegram is, where the data folder is, the 2FA password. */
export const passportOptions = { ...serverOptions, 'data-dir': { type: 'string' }, 'password-file': { type: 'string' } } as const;

/** `sessions` and `sessions end`: where Telegram is and the data folder (the seen-sessions file). */
const sessionsOptions = { ...serverOptions, 'data-dir': { type: 'string' } } as const;
export const sessionsListOptions = { ...sessionsOptions, 'mark-seen': { type: 'boolean' } } as const;
export const sessionsEndOptions = { ...sessionsOptions, hash: { type: 'string' }, 'all-others': { type: 'boolean' } } as const;

/**
 * Option sets several commands share. Kept apart from the commands so the command table (main.ts) can
 * describe every command without loading one: the Telegram commands' modules pull in mtcute and keytar.
 */
export const serverOptions = { server: { type: 'string' }, 'server-key': { type: 'string' } } as const;

/** Options `list` and `set` take: where Telegram is, where the data folder is, the 2FA password. */
export const passportOptions = { ...serverOptions, 'data-dir': { type: 'string' }, 'password-file': { type: 'string' } } as const;

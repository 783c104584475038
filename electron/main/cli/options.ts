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

/**
 * The scan file options of `local set` and `set`, in the order of value-codec's slots (read by
 * value-input.ts). Here, not there, so the command table does not load value-input and its crypto.
 */
export const valueFileOptions = {
  'front-side': { type: 'string' },
  'reverse-side': { type: 'string' },
  selfie: { type: 'string' },
  file: { type: 'string', multiple: true },
  translation: { type: 'string', multiple: true },
} as const;

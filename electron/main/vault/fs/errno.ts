/** The errno code of a failed file system call (`ENOENT`, …), if it has one. */
export const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** The file or folder is not there. */
export const isMissing = (e: unknown): boolean => errnoOf(e) === 'ENOENT';

/**
 * The rule for the password of a Passport kept only on this device: main enforces it (createLocal), and
 * the renderer shows it under the field before anything is pressed. Counted in characters (code points),
 * as a person counts them.
 */
export const MIN_LOCAL_PASSWORD_LENGTH = 8;

export const passwordLength = (password: string): number => [...password].length;

/**
 * Telegram Passport crypto core. Electron-free, `node:crypto` only. Where things happen:
 *
 * - secret.ts          generate / validate (239 mod 255) / fingerprint (secure_secret_id)
 * - padding.ts         the 32..255-byte random prefix
 * - keys.ts            SHA512(secret ‖ hash) -> AES-256-CBC key/iv, raw CBC without PKCS#7
 * - data-encryption.ts value data and scans in memory (encrypt / decrypt, hash checked first)
 * - file-encryption.ts the same for files on disk, streamed
 * - value-secret.ts    a value's/file's secret under the passport secret
 * - passport-secret.ts the passport secret under the 2FA password (PBKDF2 / legacy SHA512)
 * - rsa.ts             service keys, RSA-OAEP with SHA-1
 * - credentials.ts     credentials JSON for a service, encrypted for its public key
 * - service-decrypt.ts the service side: PassportData -> credentials -> each element
 */
export * from './base64';
export * from './secret';
export * from './padding';
export * from './keys';
export * from './data-encryption';
export * from './file-encryption';
export * from './value-secret';
export * from './passport-secret';
export * from './rsa';
export * from './credentials';
export * from './service-decrypt';

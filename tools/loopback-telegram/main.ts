/**
 * `npm run dev:local`: runs the loopback Telegram server until interrupted.
 * Options (environment): LOOPBACK_TG_PORT (default 8443; 0 = any free port),
 * LOOPBACK_TG_STATE (state file, default .loopback-telegram/state.json),
 * LOOPBACK_TG_KEY (RSA private key PEM file, default .loopback-telegram/server-key.pem; created if missing).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateRsaKey } from './crypto/rsa';
import { DEMO_ACCOUNT, startLoopbackTelegram } from './index';

const port = Number(process.env.LOOPBACK_TG_PORT ?? 8443);
const stateFile = resolve(process.env.LOOPBACK_TG_STATE ?? '.loopback-telegram/state.json');
const keyFile = resolve(process.env.LOOPBACK_TG_KEY ?? '.loopback-telegram/server-key.pem');

for (const f of [stateFile, keyFile]) mkdirSync(dirname(f), { recursive: true });
if (!existsSync(keyFile)) writeFileSync(keyFile, generateRsaKey(), { mode: 0o600 });

const server = await startLoopbackTelegram({
  port,
  stateFile,
  rsaKey: keyFile,
  log: (line) => console.log(`[loopback-telegram] ${line}`),
  onCode: (to, code) => console.log(`[loopback-telegram] code for ${to.includes('@') ? to : `+${to}`}: ${code}`),
});

console.log(
  [
    '',
    `Loopback Telegram server on ${server.host}:${server.port} (DC ${server.dcId}, layer ${server.layer})`,
    `State: ${stateFile}`,
    `Server public key (PKCS#1), also in the app's dev:local configuration:`,
    server.publicKeyPem.trim(),
    '',
    'Demo account:',
    `  phone     ${DEMO_ACCOUNT.phone}`,
    `  code      ${DEMO_ACCOUNT.code}`,
    `  password  ${DEMO_ACCOUNT.password}  (2FA; hint "${DEMO_ACCOUNT.hint}")`,
    'Codes sent to any other number are printed here. Clients may use any api_id > 0 and any 32-hex-digit api_hash.',
    '',
  ].join('\n'),
);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

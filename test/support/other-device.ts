/**
 * Another device signing in to the same loopback account: a plain mtcute client (not the app's
 * TelegramConnection) that says what device it is in initConnection, as a phone would.
 */
import { MemoryStorage } from '@mtcute/core';
import { TelegramClient } from '@mtcute/core/client.js';
import { addPublicKey } from '@mtcute/core/utils.js';
import { NodeCryptoProvider } from '../../electron/main/telegram/crypto-provider';
import { NodePlatform, TcpTransport } from '../../electron/main/telegram/node-platform';
import type { LoopbackTelegram } from '../../tools/loopback-telegram/index';

export interface OtherDevice {
  readonly client: TelegramClient;
  /** users.getUsers(self): a call that needs the account (fails with AUTH_KEY_UNREGISTERED once ended). */
  whoAmI(): Promise<number>;
  close(): Promise<void>;
}

export const OTHER_DEVICE = { deviceModel: 'Pixel 8 Pro', systemVersion: 'Android 14', appVersion: '11.2.1', apiId: 6 } as const;

export async function signInOtherDevice(
  server: LoopbackTelegram,
  account: { phone: string; password?: string },
  device: { deviceModel: string; systemVersion: string; appVersion: string; apiId: number } = OTHER_DEVICE,
): Promise<OtherDevice> {
  addPublicKey(new NodeCryptoProvider(), server.publicKeyPem);
  const dc = { id: server.dcId, ipAddress: server.host, port: server.port };
  const client = new TelegramClient({
    apiId: device.apiId,
    apiHash: '0123456789abcdef0123456789abcdef',
    storage: new MemoryStorage(),
    crypto: new NodeCryptoProvider(),
    transport: new TcpTransport(),
    platform: new NodePlatform(),
    defaultDcs: { main: dc, media: dc },
    logLevel: 0,
    updates: false,
    initConnectionOptions: { deviceModel: device.deviceModel, systemVersion: device.systemVersion, appVersion: device.appVersion },
  });
  try {
    await client.connect();
    const sent = await client.sendCode({ phone: account.phone });
    if (!('phoneCodeHash' in sent)) throw new Error('unexpected: signed in without a code');
    const code = server.lastCode(account.phone);
    if (code === undefined) throw new Error('the server sent no code');
    try {
      await client.signIn({ phone: account.phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: code });
    } catch (e) {
      if (account.password === undefined || !(e instanceof Error) || !e.message.includes('SESSION_PASSWORD_NEEDED')) throw e;
      await client.checkPassword(account.password);
    }
  } catch (e) {
    await client.destroy();
    throw e;
  }
  return {
    client,
    async whoAmI() {
      const [me] = await client.call({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
      if (me?._ !== 'user') throw new Error('no user');
      return me.id;
    },
    close: () => client.destroy(),
  };
}

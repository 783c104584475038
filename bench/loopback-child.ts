/**
 * Run by bench/telegram.ts in its own process: the loopback Telegram server, as Telegram's servers are
 * for the app: somewhere else, with CPU of their own (in the bench's process, the server's work on
 * every byte — decrypting the client's messages — ran on the client's thread and was charged to it).
 * Beside it, the references on the same loopback path from the same process: a sink that discards what
 * it is sent (raw TCP upload) and a source that sends SIZE bytes to whoever connects (raw TCP download).
 *
 * To the parent (process IPC): {ready: {port, publicKeyPem, sinkPort, sourcePort}}, then answers
 *  - {op: 'file', size}: a secure file of `size` random bytes stored for the demo account (as an upload
 *    saved with a value would be), answered with {file: {id, accessHash, size, dcId, date}} (ids as strings);
 *  - {op: 'emailCode', email}: the last code sent to that address, answered with {emailCode: string | null};
 *  - {op: 'close'}: closes everything and exits.
 * The parent's side: bench/loopback-process.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { DEMO_ACCOUNT, startLoopbackTelegram } from '../tools/loopback-telegram/index';

const size = Number(process.argv[2] ?? 0);
const send = (m: unknown): void => {
  process.send?.(m);
};
const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

const server = await startLoopbackTelegram({ port: 0 });
const payload = randomBytes(size);
const sink = createServer((s) => s.on('data', () => undefined).on('end', () => s.end()));
// Written in 512 KiB pieces, the size of the parts the download asks for.
const source = createServer((s) => {
  for (let at = 0; at < payload.length; at += 512 * 1024) s.write(payload.subarray(at, at + 512 * 1024));
  s.end();
});
const sinkPort = await listen(sink);
const sourcePort = await listen(source);

process.on('message', (m: { op: string; size?: number; email?: string }) => {
  if (m.op === 'file') {
    const owner = server.state.userByPhone(DEMO_ACCOUNT.phoneDigits);
    if (owner === undefined) throw new Error('no demo account');
    const bytes = randomBytes(m.size ?? size);
    const file = {
      id: randomBytes(8).readBigInt64LE(0),
      accessHash: randomBytes(8).readBigInt64LE(0),
      ownerId: owner.id,
      size: bytes.length,
      dcId: server.dcId,
      date: Math.floor(Date.now() / 1000),
      fileHash: randomBytes(32),
      secret: randomBytes(32),
      bytes,
    };
    server.state.addSecureFile(file);
    send({ file: { id: file.id.toString(), accessHash: file.accessHash.toString(), size: file.size, dcId: file.dcId, date: file.date } });
  } else if (m.op === 'emailCode') {
    send({ emailCode: server.lastEmailCode(m.email ?? '') ?? null });
  } else if (m.op === 'close') {
    void Promise.all([server.close(), new Promise((r) => sink.close(r)), new Promise((r) => source.close(r))]).then(() => process.exit(0));
  }
});
send({ ready: { port: server.port, publicKeyPem: server.publicKeyPem, sinkPort, sourcePort } });

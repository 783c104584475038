export { TelegramConnection, type ConnectionStatus, type FloodWaitNotice } from './connection';
export { TelegramConfigSchema, loopbackConfig, parseHostPort, LOOPBACK_API, type TelegramConfig, type TelegramConfigInput } from './config';
export { MemorySessionStore, type SessionStore } from './session-store';
export { mapTelegramError } from './errors';
export * from './auth';

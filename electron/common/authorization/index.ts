/** Telegram Passport authorization requests: links, scopes, callbacks. Pure; shared by main and renderer. */
export * from './request';
export * from './scope';
export * from './link';
export * from './callback';
export * from './form-view';

/** Passport types shared by the main process and the renderer (no `node:` imports anywhere here). */
export * from './fields';
export * from './schemas';
export * from './secure-value-types';
export * from './credentials';

#!/usr/bin/env node
// The installed `passport-vault` command: registers tsx's ESM loader, then runs the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../electron/main/cli/index.ts', import.meta.url).href);

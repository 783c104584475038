import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/main/window/policy';

const common = resolve(__dirname, 'electron/common');

/** tesseract.js fetches `${langPath}/eng.traineddata.gz`, so that one asset keeps its name (in a hashed folder). */
/** pdf.js's worker fetches its WebAssembly image decoders as `${wasmUrl}jbig2.wasm` etc.: one folder, names kept. */
const PDFJS_WASM = ['jbig2.wasm', 'openjpeg.wasm', 'qcms_bg.wasm'];
const assetFileNames = (asset: { names: string[] }): string =>
  asset.names.includes('eng.traineddata.gz')
    ? 'assets/tessdata-[hash]/[name][extname]'
    : asset.names.some((n) => PDFJS_WASM.includes(n))
      ? 'assets/pdfjs-wasm/[name][extname]'
      : 'assets/[name]-[hash][extname]';

/** Writes the renderer's CSP <meta> from the one policy in policy.ts, so the page and the headers agree. */
function cspMeta(): Plugin {
  let dev = false;
  return {
    name: 'passport-vault-csp-meta',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml() {
      return [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ dev, meta: true }) }, injectTo: 'head-prepend' },
      ];
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      sourcemap: false,
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      sourcemap: false,
      // A sandboxed preload can require only 'electron': bundle everything else into one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias: { '@common': common } },
    plugins: [vue(), cspMeta()],
    // The scan worker (renderer/src/scanning/scan-worker.ts) bundles Tesseract's assets itself.
    worker: { rollupOptions: { output: { assetFileNames } } },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      sourcemap: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
        output: { assetFileNames },
      },
    },
  },
});

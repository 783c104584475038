/// <reference types="vite/client" />
// window.passportVault is declared in electron/common/ipc/window-global.d.ts (part of this tsconfig).

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

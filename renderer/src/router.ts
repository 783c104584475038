import { createRouter, createWebHashHistory } from 'vue-router';
import { t, type TextKey } from './i18n/i18n';
import DocumentEditor from './views/DocumentEditor.vue';
import DocumentsView from './views/DocumentsView.vue';
import RequestsView from './views/RequestsView.vue';
import SettingsView from './views/SettingsView.vue';
import LockView from './views/LockView.vue';
import SignInView from './views/SignInView.vue';
import SecurityView from './views/SecurityView.vue';

type TitleKey = Exclude<Extract<TextKey, `titles.${string}`>, 'titles.window'>;

declare module 'vue-router' {
  interface RouteMeta {
    /** The screen's name in the window title (what a screen reader announces on the way in). */
    title?: TitleKey;
    /** Shown without the sidebar (the lock screen). */
    bare?: boolean;
  }
}

// Hash history: the app is one document served from app://, so the path never changes on disk.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/documents' },
    { path: '/documents', component: DocumentsView, meta: { title: 'titles.documents' } },
    { path: '/documents/:type', component: DocumentEditor, meta: { title: 'titles.document' } },
    { path: '/requests', component: RequestsView, meta: { title: 'titles.requests' } },
    // Lazily loaded: the scanner's worker, Tesseract's WebAssembly and its data stay out of the first load.
    { path: '/scan', component: () => import('./scanning/ScanView.vue'), meta: { title: 'titles.scan' } },
    { path: '/settings', component: SettingsView, meta: { title: 'titles.settings' } },
    { path: '/settings/security', component: SecurityView, meta: { title: 'titles.security' } },
    { path: '/sign-in', component: SignInView, meta: { title: 'titles.signIn' } },
    { path: '/lock', component: LockView, meta: { title: 'titles.locked', bare: true } },
    { path: '/:pathMatch(.*)*', redirect: '/documents' },
  ],
});

router.afterEach((to) => {
  document.title = to.meta.title === undefined ? t('appName') : t('titles.window', { screen: t(to.meta.title) });
});

import { createRouter, createWebHashHistory } from 'vue-router';
import DocumentEditor from './views/DocumentEditor.vue';
import DocumentsView from './views/DocumentsView.vue';
import RequestsView from './views/RequestsView.vue';
import SettingsView from './views/SettingsView.vue';
import LockView from './views/LockView.vue';
import SignInView from './views/SignInView.vue';
import SecurityView from './views/SecurityView.vue';

// Hash history: the app is one document served from app://, so the path never changes on disk.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/documents' },
    { path: '/documents', component: DocumentsView, meta: { title: 'Documents' } },
    { path: '/documents/:type', component: DocumentEditor, meta: { title: 'Document' } },
    { path: '/requests', component: RequestsView, meta: { title: 'Requests' } },
    // Lazily loaded: the scanner's worker, Tesseract's WebAssembly and its data stay out of the first load.
    { path: '/scan', component: () => import('./scanning/ScanView.vue'), meta: { title: 'Scan' } },
    { path: '/settings', component: SettingsView, meta: { title: 'Settings' } },
    { path: '/settings/security', component: SecurityView, meta: { title: 'Security' } },
    { path: '/sign-in', component: SignInView, meta: { title: 'Sign in' } },
    { path: '/lock', component: LockView, meta: { title: 'Locked', bare: true } },
    { path: '/:pathMatch(.*)*', redirect: '/documents' },
  ],
});

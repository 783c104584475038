import { t } from './i18n/i18n';

/** A file's size as people read it: "640 KB", "12.8 MB". */
export function byteSize(n: number): string {
  return n < 1024 * 1024 ? t('size.kb', { n: Math.max(1, Math.round(n / 1024)) }) : t('size.mb', { n: (n / 1024 / 1024).toFixed(1) });
}

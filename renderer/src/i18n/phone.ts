/**
 * `formatPhone(digits)` for templates: the number grouped for reading (phone-format.ts). The formatter
 * is its own chunk, fetched on first use; until it arrives the number shows as "+digits", and the
 * screen re-renders once it is there (the formatter is reactive).
 */
import { shallowRef } from 'vue';

const formatter = shallowRef<((digits: string) => string) | null>(null);
let loading: Promise<void> | null = null;

export function formatPhone(digits: string | null | undefined): string {
  if (digits === null || digits === undefined || digits === '') return '';
  const f = formatter.value;
  if (f !== null) return f(digits);
  loading ??= import('./phone-format').then((m) => {
    formatter.value = m.formatPhoneNumber;
  });
  return `+${digits.replace(/\D/g, '')}`;
}

/**
 * Where the keyboard cursor goes. `v-focus` on a form's first field (or a step's one action) puts the
 * cursor there when it appears, so every step can be typed straight away. `focusFirstInvalid` runs after
 * a failed submit: the first field marked aria-invalid gets the cursor, and with it (aria-describedby)
 * its error is read out; the form's summary says it too, in a role="alert".
 */
import { nextTick, type Directive } from 'vue';

/** `v-focus` (or `v-focus="condition"`): focus the element when it is mounted, or when the condition turns true. */
export const vFocus: Directive<HTMLElement, boolean | undefined> = {
  mounted(el, binding) {
    if (binding.value !== false) el.focus();
  },
  updated(el, binding) {
    if (binding.value === true && binding.oldValue !== true) el.focus();
  },
};

/** After a failed submit: the cursor to the first invalid field under `root` (once the errors are rendered). */
export async function focusFirstInvalid(root: HTMLElement | null | undefined): Promise<void> {
  await nextTick();
  const field = root?.querySelector<HTMLElement>('[aria-invalid="true"]');
  field?.focus();
  if (field instanceof HTMLInputElement && field.type !== 'date') field.select();
}

/** The id of a field's error message, for aria-describedby. */
export const errorId = (field: string): string => `${field}-error`;

/**
 * `v-bind="invalid(when, describedBy)"` on a field: aria-invalid, and aria-describedby naming its error
 * (plus, always, `also`: a hint such as the password rule), so the error is read when the field is.
 */
export function invalid(when: boolean, describedBy: string, also?: string): Record<string, string> {
  const ids = [when ? describedBy : null, also ?? null].filter((x) => x !== null).join(' ');
  return { ...(when ? { 'aria-invalid': 'true' } : {}), ...(ids === '' ? {} : { 'aria-describedby': ids }) };
}

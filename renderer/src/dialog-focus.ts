/**
 * A modal dialog's keyboard behaviour, as the ARIA dialog pattern asks: the cursor moves into it when it
 * opens (its first control), Tab and Shift+Tab stay inside it, Escape closes it, and when it closes the
 * cursor goes back to the control that opened it.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

export function useDialogFocus(root: Ref<HTMLElement | null>, close: () => void): void {
  let opener: HTMLElement | null = null;

  function onKey(e: KeyboardEvent): void {
    const el = root.value;
    if (el === null) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = focusables(el);
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) {
      e.preventDefault();
      el.focus();
      return;
    }
    const inside = el.contains(document.activeElement);
    if (e.shiftKey && (document.activeElement === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  }

  onMounted(() => {
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.addEventListener('keydown', onKey);
    const el = root.value;
    if (el !== null) (focusables(el)[0] ?? el).focus();
  });
  onBeforeUnmount(() => {
    document.removeEventListener('keydown', onKey);
    // Back to where the person was, if that control is still there.
    if (opener !== null && opener.isConnected) opener.focus();
  });
}

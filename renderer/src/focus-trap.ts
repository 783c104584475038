/**
 * A modal dialog's keyboard focus: moved into the dialog when it appears, kept there (Tab and Shift+Tab
 * wrap around, focus that strays outside is brought back), Escape closes it, and on closing the focus
 * goes to `restoreTo()` when it names an element (what the dialog made may be where the person goes
 * next), else back where it was. `root` is the dialog's element: a `v-if` dialog traps while it is shown.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  // Rendered ones only (a `hidden` file input, a `display: none` block are not reachable).
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

export interface FocusTrapOptions {
  /** Escape pressed in the dialog. */
  readonly onEscape?: () => void;
  /** Where the focus goes first (a selector in the dialog); else its first control. */
  readonly initial?: string;
  /** Where the focus goes when the dialog closes; null or undefined: back where it was before. */
  readonly restoreTo?: () => HTMLElement | null | undefined;
}

export function useFocusTrap(root: Ref<HTMLElement | null>, options: FocusTrapOptions = {}): void {
  let before: HTMLElement | null = null;
  let active: HTMLElement | null = null;

  function onKey(e: KeyboardEvent): void {
    const el = active;
    if (el === null) return;
    if (e.key === 'Escape' && options.onEscape !== undefined) {
      e.preventDefault();
      options.onEscape();
      return;
    }
    if (e.key !== 'Tab') return;
    const all = focusables(el);
    if (all.length === 0) return;
    const first = all[0]!;
    const last = all[all.length - 1]!;
    const now = document.activeElement;
    if (!el.contains(now)) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    } else if (e.shiftKey && now === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && now === last) {
      e.preventDefault();
      first.focus();
    }
  }

  function onFocusIn(e: FocusEvent): void {
    const el = active;
    if (el !== null && e.target instanceof Node && !el.contains(e.target)) (focusables(el)[0] ?? el).focus();
  }

  function activate(el: HTMLElement): void {
    before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    active = el;
    if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
    const initial = options.initial === undefined ? null : el.querySelector<HTMLElement>(options.initial);
    (initial ?? focusables(el)[0] ?? el).focus();
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
  }

  function deactivate(): void {
    if (active === null) return;
    active = null;
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('focusin', onFocusIn);
    const back = options.restoreTo?.() ?? (before?.isConnected === true ? before : null);
    before = null;
    // After the DOM settles: the dialog's own close may re-render what the focus goes back to.
    queueMicrotask(() => back?.focus());
  }

  watch(root, (el, old) => {
    if (old !== null && old !== undefined) deactivate();
    if (el !== null) activate(el);
  }, { flush: 'post' });
  onBeforeUnmount(deactivate);
}

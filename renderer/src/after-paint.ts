/**
 * Resolves once the next frame has been drawn: for work a screen does not need to appear (calls to main
 * for a side bar, waiting on a background check), so it neither delays that frame nor competes with it.
 * Measured in bench/render.ts: on the Documents screen right after an unlock, these calls were about a
 * quarter of the script time between the unlock's answer and the list's frame.
 */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    // rAF runs just before the frame is drawn; the timeout's task runs after it. A hidden window draws
    // no frames (rAF waits until it is shown): the second timeout does not let the work wait for that.
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 200);
  });
}

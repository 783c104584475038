/**
 * Faults tests can inject: FLOOD_WAIT_N and arbitrary rpc errors (e.g. PHONE_MIGRATE_2) on the
 * next calls of a method, dropping the connection when a method arrives (the request is then
 * lost, as if the link died mid-request), dropping every open connection, and a slow link.
 */
export interface InjectedError {
  code: number;
  message: string;
  remaining: number;
}

export class Faults {
  /** Added before each incoming packet is processed (per connection, order preserved). */
  latencyMs = 0;
  private readonly errors = new Map<string, InjectedError[]>();
  private readonly drops = new Map<string, number>();

  injectError(method: string, code: number, message: string, times = 1): void {
    const list = this.errors.get(method) ?? [];
    list.push({ code, message, remaining: times });
    this.errors.set(method, list);
  }

  injectFloodWait(method: string, seconds: number, times = 1): void {
    this.injectError(method, 420, `FLOOD_WAIT_${seconds}`, times);
  }

  /** The next `times` requests for `method` kill their connection instead of being answered. */
  dropNext(method: string, times = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + times);
  }

  takeError(method: string): { code: number; message: string } | undefined {
    const list = this.errors.get(method);
    const first = list?.[0];
    if (!list || !first) return undefined;
    if (--first.remaining <= 0) list.shift();
    return { code: first.code, message: first.message };
  }

  takeDrop(method: string): boolean {
    const n = this.drops.get(method) ?? 0;
    if (n <= 0) return false;
    this.drops.set(method, n - 1);
    return true;
  }

  clear(): void {
    this.latencyMs = 0;
    this.errors.clear();
    this.drops.clear();
  }
}

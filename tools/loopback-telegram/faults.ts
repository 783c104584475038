/**
 * Faults tests can inject: FLOOD_WAIT_N and arbitrary rpc errors (e.g. NETWORK_MIGRATE_4) on the
 * next calls of a method (optionally on one DC only), dropping the connection when a method arrives (the request is then
 * lost, as if the link died mid-request), dropping every open connection, and a slow link.
 */
export interface InjectedError {
  code: number;
  message: string;
  remaining: number;
  /** Only on this DC (several-DC servers); absent: on any. */
  dc?: number | undefined;
}

export class Faults {
  /** Added before each incoming packet is processed (per connection, order preserved). */
  latencyMs = 0;
  private readonly errors = new Map<string, InjectedError[]>();
  private readonly drops = new Map<string, number>();

  injectError(method: string, code: number, message: string, times = 1, where: { dc?: number } = {}): void {
    const list = this.errors.get(method) ?? [];
    list.push({ code, message, remaining: times, dc: where.dc });
    this.errors.set(method, list);
  }

  injectFloodWait(method: string, seconds: number, times = 1): void {
    this.injectError(method, 420, `FLOOD_WAIT_${seconds}`, times);
  }

  /** The next `times` requests for `method` kill their connection instead of being answered. */
  dropNext(method: string, times = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + times);
  }

  /** The next injected error for `method` arriving at DC `dc`, used up. */
  takeError(method: string, dc?: number): { code: number; message: string } | undefined {
    const list = this.errors.get(method);
    const i = list?.findIndex((e) => e.dc === undefined || e.dc === dc) ?? -1;
    const first = list?.[i];
    if (!list || !first) return undefined;
    if (--first.remaining <= 0) list.splice(i, 1);
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

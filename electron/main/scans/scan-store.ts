/**
 * Normalised scans waiting to be attached to a document, in memory only and bounded: the renderer gets
 * an opaque id, the bytes stay in main (the vault takes them from here when the document is saved).
 * Oldest entries go first when either bound is reached; nothing is ever written to disk from here.
 */
import { randomBytes } from 'node:crypto';
import type { NormalizedScan } from './normalize-scan';

export interface ScanStoreLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
}

/** A few documents' worth of pages: each scan is at most 10 MiB (SCAN_LIMITS), typically ~0.5 MiB. */
export const DEFAULT_SCAN_STORE_LIMITS: ScanStoreLimits = { maxEntries: 16, maxTotalBytes: 64 * 1024 * 1024 };

export class ScanStore {
  private readonly entries = new Map<string, NormalizedScan>();
  private bytes = 0;

  constructor(private readonly limits: ScanStoreLimits = DEFAULT_SCAN_STORE_LIMITS) {}

  /** Keeps the scan; returns its id (24 hex characters). */
  put(scan: NormalizedScan): string {
    const id = randomBytes(12).toString('hex');
    this.entries.set(id, scan);
    this.bytes += scan.jpeg.byteLength;
    // Map iteration is insertion order: the first key is the oldest.
    while (this.entries.size > this.limits.maxEntries || (this.bytes > this.limits.maxTotalBytes && this.entries.size > 1)) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
    return id;
  }

  get(id: string): NormalizedScan | undefined {
    return this.entries.get(id);
  }

  /** Hands the scan over (to the vault) and forgets it. */
  take(id: string): NormalizedScan | undefined {
    const scan = this.entries.get(id);
    if (scan === undefined) return undefined;
    // Handed over, not wiped: the new holder zeroes it when done.
    this.entries.delete(id);
    this.bytes -= scan.jpeg.byteLength;
    return scan;
  }

  /** Forgets everything (e.g. when the vault locks). */
  clear(): void {
    for (const scan of this.entries.values()) scan.jpeg.fill(0);
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  private drop(id: string): void {
    const scan = this.entries.get(id);
    if (scan === undefined) return;
    scan.jpeg.fill(0);
    this.entries.delete(id);
    this.bytes -= scan.jpeg.byteLength;
  }
}

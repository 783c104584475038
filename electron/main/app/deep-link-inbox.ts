/**
 * Deep links that reached the app (command line, a second instance, the OS) and wait for the UI.
 * Bounded, so a flood of links cannot grow memory; parsing and handling come with authorization requests.
 */
export class DeepLinkInbox {
  private readonly links: string[] = [];
  constructor(private readonly capacity = 16) {}

  push(link: string | null): void {
    if (link === null) return;
    if (this.links.length >= this.capacity) this.links.shift();
    this.links.push(link);
  }

  take(): string[] {
    return this.links.splice(0, this.links.length);
  }

  get size(): number {
    return this.links.length;
  }
}

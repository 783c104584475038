/**
 * The updater of the browser test rig. The rig has no Electron binary, and electron-updater needs one
 * (and a packaged app, and GitHub); like the other Electron-only services (the tg: registration, the
 * browser that opens links), it is replaced by a fake here, while the UpdateController, the settings
 * and the IPC handlers in front of it are the production ones. Checks wait until the test answers them,
 * so the e2e can see "Checking…"; the download reports progress, then is done.
 */
import type { UpdaterPort } from '../../../electron/main/update/update-controller';

export class FakeUpdater implements UpdaterPort {
  checks = 0;
  installs = 0;
  private waiting: (() => void)[] = [];

  /** The version the "release feed" offers (null: this copy is the newest). */
  constructor(public latest: string | null = '0.2.0') {}

  check(): Promise<{ version: string } | null> {
    this.checks++;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.latest === null ? null : { version: this.latest })));
  }

  /** Answers every check waiting; true if there was one. */
  answer(): boolean {
    const all = this.waiting.splice(0);
    for (const a of all) a();
    return all.length > 0;
  }

  async download(onProgress: (percent: number) => void): Promise<void> {
    for (const p of [10, 55, 100]) {
      onProgress(p);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  install(): void {
    this.installs++;
  }
}

/**
 * The Python that runs tools/mrz-photos: the first of $MRZ_PHOTOS_PYTHON, `python3` on PATH and /usr/bin/python3
 * that imports Pillow and numpy (Debian: python3-pil, python3-numpy). A pyenv or venv python3 first on PATH
 * often lacks them while the system one has them. score.py needs only the standard library.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MRZ_PHOTOS_DIR = fileURLToPath(new URL('.', import.meta.url));

export function findPhotoPython(): { python: string } | { error: string } {
  const candidates = [process.env['MRZ_PHOTOS_PYTHON'], 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const said: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import PIL, numpy'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0) return { python };
    said.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`}`);
  }
  return { error: `no python3 with Pillow and numpy (Debian: apt-get install python3-pil python3-numpy). Tried ${said.join('; ')}` };
}

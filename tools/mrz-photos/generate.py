#!/usr/bin/env python3
"""Generates a set of phone photos of passports and ID cards with their truth.

    python3 tools/mrz-photos/generate.py --out DIR --count N --seed S --split tune|holdout [--severity mild|hard|mix] [--jobs J]

Writes DIR/<split>-<seed>-<index>.jpg and DIR/truth.json (written last, so its presence means the set is complete).
Everything is a function of (split, seed, index) and the generator's source: the same command gives the same
bytes, and `generator_version` (a hash of this folder's .py files) says when a cached set is stale.
"""
import argparse
import hashlib
import json
import os
import sys
import time

try:
    import numpy as np
    from PIL import Image  # noqa: F401
except ImportError as e:  # the usual cause: a python3 (pyenv, venv) without Debian's python3-pil/python3-numpy
    sys.exit(f"generate.py needs Pillow and numpy ({e}); Debian: apt-get install python3-pil python3-numpy, "
             f"and run it with that python (e.g. /usr/bin/python3); this is {sys.executable}")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import capture  # noqa: E402
import document  # noqa: E402
import identity  # noqa: E402
import mrz  # noqa: E402
from plan import Plan  # noqa: E402

SPLITS = {"tune": 1, "holdout": 2}
KINDS = (("TD1", 0.45), ("TD2", 0.10), ("TD3", 0.45))


def generator_version():
    h = hashlib.sha256()
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".py") and not name.startswith("test_") and name != "score.py":
            with open(os.path.join(HERE, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:12]


def severity_of(mode, index):
    if mode == "mix":
        return "mild" if index % 2 == 0 else "hard"
    return mode


def make_one(args):
    split, seed, index, severity, out_dir, sizes = args
    t0 = time.perf_counter()
    rng = np.random.default_rng(np.random.SeedSequence([seed, SPLITS[split], index]))
    kind = str(rng.choice([k for k, _ in KINDS], p=[p for _, p in KINDS]))
    holder = identity.holder(rng, kind)
    lines = identity.mrz_lines(holder)
    plan = Plan(rng, kind, severity, sizes)
    page, mask, info = document.render(rng, holder, lines, plan.px_per_mm(), severity, split)
    jpeg, truth = capture.photograph(rng, plan, page, mask, info, split)
    name = f"{split}-{seed}-{index:04d}.jpg"
    tmp = os.path.join(out_dir, name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(jpeg)
    os.replace(tmp, os.path.join(out_dir, name))
    entry = {"file": name, "kind": kind, "severity": severity, "mrz": lines, "fields": mrz.fields(kind, lines)}
    entry.update(truth)
    entry["document"] = {
        "doc_code": holder["doc_code"], "printed_surname": holder["surname"], "printed_given_names": holder["given"],
        "print": info["print"], "style": info["style"], "hologram": info["hologram"], "mrz_box_mm": info["mrz_box_mm"],
    }
    entry["ms"] = round((time.perf_counter() - t0) * 1000)
    return entry


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--split", choices=sorted(SPLITS), required=True)
    ap.add_argument("--severity", choices=["mild", "hard", "mix"], default="mix")
    ap.add_argument("--start", type=int, default=0, help="first index (to extend or regenerate part of a set)")
    ap.add_argument("--sizes", help="photo sizes to draw from, e.g. 3000x2200,2200x3000 (default: 1600x1200 .. 4000x3000, both orientations)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="regenerate even if DIR/truth.json matches")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.count < 1 or a.seed < 0 or a.start < 0:
        ap.error("--count must be >= 1, --seed and --start >= 0")
    sizes = None
    if a.sizes:
        try:
            sizes = [tuple(int(v) for v in s.lower().split("x")) for s in a.sizes.split(",")]
            if any(len(s) != 2 or min(s) < 400 or max(s) > 8000 for s in sizes):
                raise ValueError
        except ValueError:
            ap.error("--sizes: WxH[,WxH...] with sides from 400 to 8000")
    version = generator_version()
    os.makedirs(a.out, exist_ok=True)
    truth_path = os.path.join(a.out, "truth.json")
    header = {"generator": "mrz-photos", "generator_version": version, "split": a.split, "seed": a.seed, "severity": a.severity,
              "start": a.start, "count": a.count, "sizes": a.sizes}
    if not a.force and os.path.exists(truth_path):
        try:
            with open(truth_path) as f:
                old = json.load(f)
            if all(old.get(k) == v for k, v in header.items()):
                if not a.quiet:
                    print(f"{truth_path}: up to date (generator {version})", file=sys.stderr)
                return 0
        except (OSError, ValueError):
            pass
    jobs = [(a.split, a.seed, i, severity_of(a.severity, i), a.out, sizes) for i in range(a.start, a.start + a.count)]
    t0 = time.perf_counter()
    photos = []
    if a.jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            for e in pool.imap(make_one, jobs):
                photos.append(e)
                if not a.quiet:
                    print(f"{e['file']} {e['kind']} {e['severity']} {e['width']}x{e['height']} {e['ms']} ms", file=sys.stderr)
    else:
        for j in jobs:
            e = make_one(j)
            photos.append(e)
            if not a.quiet:
                print(f"{e['file']} {e['kind']} {e['severity']} {e['width']}x{e['height']} {e['ms']} ms", file=sys.stderr)
    wall = time.perf_counter() - t0
    doc = dict(header)
    doc["seconds"] = round(wall, 2)
    doc["photos"] = photos
    tmp = truth_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
    os.replace(tmp, truth_path)
    if not a.quiet:
        print(f"{a.count} photos in {wall:.1f} s ({wall / a.count * 1000:.0f} ms each, {a.jobs} job(s)) -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A contact sheet of a generated set, to look at it: thumbnails in a grid, labelled with file, kind, severity.

    python3 tools/mrz-photos/contact_sheet.py --truth DIR/truth.json --out sheet.png [--severity hard] [--limit 24] [--cols 6] [--thumb 480]
"""
import argparse
import json
import os
import sys

from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fonts  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--severity")
    ap.add_argument("--kind")
    ap.add_argument("--limit", type=int, default=24)
    ap.add_argument("--cols", type=int, default=6)
    ap.add_argument("--thumb", type=int, default=480)
    a = ap.parse_args(argv)
    with open(a.truth) as f:
        truth = json.load(f)
    base = os.path.dirname(os.path.abspath(a.truth))
    photos = [p for p in truth["photos"] if (not a.severity or p["severity"] == a.severity) and (not a.kind or p["kind"] == a.kind)][: a.limit]
    if not photos:
        sys.exit("no photos match")
    t = a.thumb
    rows = (len(photos) + a.cols - 1) // a.cols
    sheet = Image.new("RGB", (a.cols * t, rows * (t + 18)), (255, 255, 255))
    d = ImageDraw.Draw(sheet)
    f = fonts.font("DejaVuSans.ttf", 12)
    for i, p in enumerate(photos):
        im = Image.open(os.path.join(base, p["file"]))
        im.draft("RGB", (t, t))
        im = im.convert("RGB")
        im.thumbnail((t, t))
        x, y = (i % a.cols) * t, (i // a.cols) * (t + 18)
        sheet.paste(im, (x + (t - im.width) // 2, y + (t - im.height) // 2))
        c = p["capture"]
        label = f"{p['file']} {p['kind']} {p['severity']} {c['surface']} blur {c['blur_sigma_at_3000']} q{c['jpeg_quality']}"
        d.text((x + 3, y + t + 2), label, font=f, fill=(0, 0, 0))
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    sheet.save(a.out)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

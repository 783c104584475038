"""Surfaces the document lies on, drawn in table coordinates (so the camera sees them in the same perspective as
the card). Two disjoint families: the tune split gets wood, linen, paper, gingham and a cluttered desk with a
printed letter; the holdout split gets granite, denim, leather, a floral cloth, newspaper and a cutting mat.
Each returns an RGB image of (w, h) pixels at `px` pixels per mm."""
import math

import numpy as np
from PIL import Image, ImageDraw

import fonts
import patterns
from identity import pick

TUNE = ["wood", "linen", "paper", "gingham", "desk"]
HOLDOUT = ["granite", "denim", "leather", "floral", "newspaper", "cutting_mat"]


def _rgb(a):
    a = np.asarray(a, np.float32)
    return Image.fromarray(np.clip(a, 0, 255, out=a if a.flags.writeable else None).astype(np.uint8), "RGB")


def _colour(base, jitter, rng):
    return np.clip(np.asarray(base, np.float32) + rng.normal(0, jitter, 3), 0, 255)


def _aniso_noise(rng, h, w, cells_along, cells_across):
    """Noise stretched along x (grain, streaks): generated small and resized anisotropically."""
    gh, gw = max(2, int(cells_across)), max(2, int(cells_along))
    grid = rng.integers(0, 256, (gh, gw), dtype=np.uint8)
    return np.asarray(Image.fromarray(grid, "L").resize((w, h), Image.BICUBIC), np.float32) * (1.0 / 255.0)


def wood(rng, w, h, px):
    """Planks with long, nearly straight growth rings (dark latewood lines), fine pore streaks along the grain,
    a different tone per plank, and a varnish sheen."""
    base = _colour(pick(rng, [(196, 150, 100), (160, 110, 70), (120, 78, 48), (90, 58, 38), (210, 180, 140), (70, 45, 32)]), 10, rng)
    y = np.arange(h, dtype=np.float32)[:, None] / px
    plank = float(rng.uniform(70, 180))
    idx = np.floor((y + rng.uniform(0, plank)) / plank)
    # Displacement across the grain: slow along it (tens of mm), a few mm in size.
    warp = _aniso_noise(rng, h, w, max(3, w / (px * 60)), max(3, h / (px * 12))) * float(rng.uniform(2, 7))
    period = float(rng.uniform(1.5, 4.5))
    phase = (y + warp + idx * 17.3) / period
    frac = phase - np.floor(phase)
    late = np.clip((frac - 0.78) / 0.22, 0, 1) ** 2  # the dark band at the end of each ring
    pores = _aniso_noise(rng, h, w, max(3, w / (px * 25)), max(3, h / (px * 0.25)))
    shade = 1.0 - 0.22 * late - 0.12 * pores
    shade *= 0.95 + 0.1 * patterns.smooth_noise(rng, h, w, 2, octaves=2)
    shade *= 1.0 + 0.09 * np.sin(idx * 12.9898 + 1.3)
    seam = np.abs(((y + rng.uniform(0, plank)) % plank)) < 0.5
    shade = np.where(seam, shade * 0.55, shade)
    return _rgb(base * shade[..., None])


def linen(rng, w, h, px):
    base = _colour(pick(rng, [(225, 215, 195), (180, 190, 200), (150, 40, 45), (60, 80, 110), (200, 200, 200), (120, 130, 90)]), 8, rng)
    pitch = rng.uniform(0.35, 0.9)
    y = np.arange(h, dtype=np.float32)[:, None] / px
    x = np.arange(w, dtype=np.float32)[None, :] / px
    threads = 0.5 + 0.25 * np.sin(x * 2 * math.pi / pitch) + 0.25 * np.sin(y * 2 * math.pi / (pitch * rng.uniform(0.9, 1.1)))
    slub = _aniso_noise(rng, h, w, w / (px * 15), h / (px * 0.6))
    folds = patterns.smooth_noise(rng, h, w, 3, octaves=2)
    shade = (0.82 + 0.14 * threads + 0.06 * slub) * (0.8 + 0.3 * folds)
    return _rgb(base * shade[..., None])


def paper(rng, w, h, px):
    base = _colour(pick(rng, [(238, 236, 228), (245, 245, 240), (200, 170, 130), (230, 222, 200)]), 5, rng)
    fib = patterns.smooth_noise(rng, h, w, max(4, w / (px * 2)))
    mott = patterns.smooth_noise(rng, h, w, 5, octaves=3)
    shade = 0.9 + 0.06 * fib + 0.08 * mott
    return _rgb(base * shade[..., None])


def gingham(rng, w, h, px):
    c1 = _colour(pick(rng, [(200, 40, 45), (40, 80, 160), (30, 120, 60), (30, 30, 30), (230, 150, 40)]), 10, rng)
    white = _colour((240, 238, 232), 4, rng)
    sq = rng.uniform(4, 14)
    y = np.arange(h, dtype=np.float32)[:, None] / px
    x = np.arange(w, dtype=np.float32)[None, :] / px
    a = ((np.floor(x / sq) % 2) == 0).astype(np.float32)
    b = ((np.floor(y / sq) % 2) == 0).astype(np.float32)
    cover = (a + b) * 0.5  # 0, 0.5, 1: white, tint, full colour
    img = white * (1 - cover[..., None]) + c1 * cover[..., None]
    weave = 0.92 + 0.08 * np.sin(x * 2 * math.pi / 0.5) * np.sin(y * 2 * math.pi / 0.5)
    folds = 0.82 + 0.3 * patterns.smooth_noise(rng, h, w, 3, octaves=2)
    return _rgb(img * (weave * folds)[..., None])


def _sheet_with_text(draw, rng, cx, cy, wmm, hmm, angle, px, font_file, paper_col=(246, 246, 240)):
    """A printed sheet (letter, receipt) lying on the table: a rotated rectangle with lines of text."""
    ca, sa = math.cos(angle), math.sin(angle)

    def at(u, v):
        return (cx + (u * ca - v * sa) * px, cy + (u * sa + v * ca) * px)

    draw.polygon([at(-wmm / 2, -hmm / 2), at(wmm / 2, -hmm / 2), at(wmm / 2, hmm / 2), at(-wmm / 2, hmm / 2)], fill=paper_col)
    size = max(5, int(rng.uniform(2.0, 3.2) * px))
    f = fonts.font(font_file, size)
    words = ["THE", "AND", "PASSPORT", "2024", "INVOICE", "TOTAL", "DEAR", "SIR", "OF", "TO", "CARD", "NUMBER", "REF", "<<", "PAYMENT",
             "DATE", "ACCOUNT", "Lorem", "ipsum", "dolor", "amet", "1234", "No.", "ID"]
    v = -hmm / 2 + 8
    while v < hmm / 2 - 6:
        line = ""
        for _ in range(int(rng.integers(3, 14))):
            nxt = (line + " " + pick(rng, words)).strip()
            if f.getlength(nxt) > (wmm - 16) * px:
                break
            line = nxt
        tw = f.getlength(line)
        tmp = Image.new("L", (int(tw) + 4, size + 6), 0)
        ImageDraw.Draw(tmp).text((2, 2), line, font=f, fill=255)
        tmp = tmp.rotate(-math.degrees(angle), expand=True, resample=Image.BILINEAR)
        cx_, cy_ = at(-wmm / 2 + 8 + tw / 2 / px, v)
        draw.bitmap((int(cx_ - tmp.width / 2), int(cy_ - tmp.height / 2)), tmp, fill=(40, 40, 45))
        v += rng.uniform(4.5, 7)


def desk(rng, w, h, px):
    base = _colour(pick(rng, [(230, 230, 228), (90, 90, 95), (160, 140, 110), (40, 42, 48), (200, 205, 210)]), 8, rng)
    img = _rgb(base * (0.9 + 0.1 * patterns.smooth_noise(rng, h, w, 4, octaves=2))[..., None])
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 9))):
        kind = rng.random()
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        ang = rng.uniform(0, math.pi)
        ca, sa = math.cos(ang), math.sin(ang)
        if kind < 0.3:  # pen
            L, R = rng.uniform(120, 150) * px / 2, rng.uniform(4, 6) * px
            col = tuple(int(v) for v in _colour(pick(rng, [(20, 40, 140), (20, 20, 20), (200, 30, 30), (240, 240, 240)]), 10, rng))
            d.line([(cx - L * ca, cy - L * sa), (cx + L * ca, cy + L * sa)], fill=col, width=int(R))
        elif kind < 0.55:  # coin
            r = rng.uniform(9, 14) * px
            col = tuple(int(v) for v in _colour(pick(rng, [(190, 160, 90), (170, 170, 175), (150, 100, 60)]), 10, rng))
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col, outline=tuple(int(v * 0.7) for v in col), width=max(1, int(px)))
        elif kind < 0.75:  # sticky note
            s = rng.uniform(60, 76) * px / 2
            col = tuple(int(v) for v in _colour(pick(rng, [(250, 235, 110), (250, 170, 190), (150, 220, 240), (180, 240, 150)]), 6, rng))
            d.polygon([(cx + s * (ca - sa), cy + s * (sa + ca)), (cx + s * (-ca - sa), cy + s * (-sa + ca)), (cx + s * (-ca + sa), cy + s * (-sa - ca)),
                       (cx + s * (ca + sa), cy + s * (sa - ca))], fill=col)
        else:  # a printed letter
            _sheet_with_text(d, rng, cx, cy, 210, 297, ang, px, "DejaVuSans.ttf")
    return img


def granite(rng, w, h, px):
    base = _colour(pick(rng, [(120, 120, 118), (200, 195, 185), (60, 60, 62), (170, 150, 140)]), 10, rng)
    out = np.broadcast_to(base, (h, w, 3)).astype(np.float32).copy()
    for _ in range(3):
        n = patterns.smooth_noise(rng, h, w, max(4, w / (px * rng.uniform(1.0, 4.0))))
        sel = n > rng.uniform(0.72, 0.86)
        col = _colour(pick(rng, [(20, 20, 20), (240, 240, 235), (150, 110, 90), (90, 90, 100)]), 15, rng)
        out[sel] = col
    out *= (0.92 + 0.12 * patterns.smooth_noise(rng, h, w, 3))[..., None]
    return _rgb(out)


def denim(rng, w, h, px):
    base = _colour(pick(rng, [(50, 70, 110), (70, 95, 140), (35, 45, 70), (110, 130, 160)]), 8, rng)
    y = np.arange(h, dtype=np.float32)[:, None] / px
    x = np.arange(w, dtype=np.float32)[None, :] / px
    twill = np.sin((x + y) * 2 * math.pi / rng.uniform(0.6, 1.1)) * 0.5 + 0.5
    weft = _aniso_noise(rng, h, w, w / (px * 0.8), h / (px * 30))
    shade = (0.78 + 0.22 * twill) * (0.85 + 0.25 * weft) * (0.8 + 0.3 * patterns.smooth_noise(rng, h, w, 3, octaves=2))
    white = 0.25 * np.clip(weft - 0.7, 0, 1)
    return _rgb(base * shade[..., None] + 255 * white[..., None])


def leather(rng, w, h, px):
    base = _colour(pick(rng, [(90, 50, 30), (40, 30, 28), (140, 90, 50), (20, 20, 22), (110, 30, 30)]), 8, rng)
    n1 = patterns.smooth_noise(rng, h, w, max(4, w / (px * 1.5)))
    crease = np.abs(n1 - 0.5) < 0.03
    sheen = patterns.smooth_noise(rng, h, w, 2, octaves=2)
    shade = (0.85 + 0.25 * sheen) * np.where(crease, 0.75, 1.0) * (0.95 + 0.05 * patterns.smooth_noise(rng, h, w, max(4, w / (px * 0.4))))
    return _rgb(base * shade[..., None])


def floral(rng, w, h, px):
    bg = tuple(int(v) for v in _colour(pick(rng, [(245, 240, 225), (30, 50, 90), (200, 220, 200), (240, 220, 220)]), 6, rng))
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    step = rng.uniform(18, 40) * px
    petal = tuple(int(v) for v in _colour(pick(rng, [(220, 60, 80), (240, 180, 40), (120, 60, 160), (250, 250, 250)]), 10, rng))
    leaf = tuple(int(v) for v in _colour((60, 130, 70), 12, rng))
    r = step * rng.uniform(0.12, 0.22)
    for j, yy in enumerate(np.arange(-step, h + step, step)):
        for xx in np.arange(-step, w + step, step):
            cx, cy = xx + (step / 2 if j % 2 else 0), yy
            d.ellipse([cx + r * 0.8, cy - r * 0.3, cx + r * 2.2, cy + r * 0.3], fill=leaf)
            for k in range(5):
                a = k * 2 * math.pi / 5
                px_, py_ = cx + r * math.cos(a), cy + r * math.sin(a)
                d.ellipse([px_ - r * 0.6, py_ - r * 0.6, px_ + r * 0.6, py_ + r * 0.6], fill=petal)
            d.ellipse([cx - r * 0.4, cy - r * 0.4, cx + r * 0.4, cy + r * 0.4], fill=(250, 210, 60))
    a = np.asarray(img, np.float32) * (0.82 + 0.28 * patterns.smooth_noise(rng, h, w, 3, octaves=2))[..., None]
    return _rgb(a)


def newspaper(rng, w, h, px):
    paper_col = tuple(int(v) for v in _colour((228, 224, 210), 6, rng))
    img = Image.new("RGB", (w, h), paper_col)
    d = ImageDraw.Draw(img)
    col_w = rng.uniform(45, 60) * px
    size = max(5, int(rng.uniform(2.2, 3.0) * px))
    f = fonts.font("DejaVuSerif.ttf", size)
    fh = fonts.font("DejaVuSerif-Bold.ttf", size * 3)
    x = rng.uniform(-col_w, 0)
    words = ["the", "minister", "said", "on", "Tuesday", "that", "new", "rules", "for", "travel", "documents", "will", "apply", "from",
             "next", "year", "and", "border", "checks", "at", "airports", "passport", "holders", "must", "renew", "within", "months"]
    while x < w:
        y = rng.uniform(-size, size * 2)
        if rng.random() < 0.4:
            head = " ".join(pick(rng, words).upper() for _ in range(3))
            while fh.getlength(head) > col_w * 0.92 and " " in head:
                head = head.rsplit(" ", 1)[0]
            d.text((x, y), head, font=fh, fill=(20, 20, 20))
            y += size * 4
        if rng.random() < 0.3:
            d.rectangle([x, y, x + col_w * 0.92, y + col_w * 0.6], fill=tuple(int(v) for v in rng.integers(70, 160, 3)))
            y += col_w * 0.65
        while y < h:
            line = pick(rng, words).capitalize()
            while True:
                nxt = line + " " + pick(rng, words)
                if f.getlength(nxt) > col_w * 0.9:
                    break
                line = nxt
            d.text((x, y), line, font=f, fill=(30, 30, 30))
            y += size * 1.35
        d.rectangle([x + col_w * 0.95, 0, x + col_w * 0.95 + max(1, px * 0.2), h], fill=(120, 120, 120))
        x += col_w
    img = img.crop((0, 0, w, h))
    a = np.asarray(img, np.float32) * (0.9 + 0.12 * patterns.smooth_noise(rng, h, w, 3))[..., None]
    return _rgb(a)


def cutting_mat(rng, w, h, px):
    base = tuple(int(v) for v in _colour(pick(rng, [(40, 110, 80), (60, 60, 65), (30, 70, 120)]), 8, rng))
    img = Image.new("RGB", (w, h), base)
    d = ImageDraw.Draw(img)
    line = tuple(min(255, int(v * 1.6 + 60)) for v in base)
    ox, oy = rng.uniform(0, 10) * px, rng.uniform(0, 10) * px
    for k in range(int(w / (10 * px)) + 2):
        d.line([(ox + k * 10 * px, 0), (ox + k * 10 * px, h)], fill=line, width=max(1, int(px * (0.35 if k % 5 == 0 else 0.18))))
    for k in range(int(h / (10 * px)) + 2):
        d.line([(0, oy + k * 10 * px), (w, oy + k * 10 * px)], fill=line, width=max(1, int(px * (0.35 if k % 5 == 0 else 0.18))))
    f = fonts.font("DejaVuSans.ttf", max(5, int(2.5 * px)))
    for k in range(int(w / (10 * px)) + 2):
        d.text((ox + k * 10 * px + px, oy + px), str(k), font=f, fill=line)
    a = np.asarray(img, np.float32) * (0.9 + 0.14 * patterns.smooth_noise(rng, h, w, 3, octaves=2))[..., None]
    return _rgb(a)


MAKERS = {f.__name__: f for f in (wood, linen, paper, gingham, desk, granite, denim, leather, floral, newspaper, cutting_mat)}


def surface(rng, split, w, h, px):
    name = pick(rng, TUNE if split == "tune" else HOLDOUT)
    return name, MAKERS[name](rng, w, h, px)

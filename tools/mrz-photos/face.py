"""Synthetic holder portraits: shapes and gradients only, no real faces. Two styles, one per split, so a
recogniser tuned on one never sees the other's portraits: "soft" (tune: smooth shaded ellipses) and "cut"
(holdout: flat polygons, posterised, glasses and beards, coloured studio backgrounds)."""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SKIN = [(255, 224, 196), (241, 194, 160), (224, 172, 130), (198, 134, 90), (160, 104, 66), (120, 76, 48), (88, 56, 38)]
HAIR = [(20, 16, 14), (45, 30, 20), (90, 60, 35), (150, 110, 60), (210, 180, 120), (160, 70, 35), (170, 170, 170), (230, 230, 225)]
CLOTH = [(30, 35, 50), (60, 60, 65), (20, 20, 22), (120, 30, 40), (40, 80, 120), (200, 200, 205), (90, 110, 70)]


def _c(rng, palette, jitter=12):
    base = np.asarray(palette[int(rng.integers(0, len(palette)))], np.float32)
    return tuple(int(v) for v in np.clip(base + rng.normal(0, jitter, 3), 0, 255))


def portrait(rng, w, h, style, grey=False):
    ss = 2
    W, H = w * ss, h * ss
    skin, hair, cloth = _c(rng, SKIN), _c(rng, HAIR), _c(rng, CLOTH)
    if style == "soft":
        bg_top = tuple(int(v) for v in rng.integers(200, 246, 3))
        bg_bot = tuple(int(min(255, v + rng.integers(0, 20))) for v in bg_top)
    else:
        bg_top = _c(rng, [(170, 200, 230), (230, 230, 230), (200, 215, 200), (235, 220, 200), (150, 170, 190)], 8)
        bg_bot = bg_top
    y = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    bg = (np.asarray(bg_top, np.float32) * (1 - y) + np.asarray(bg_bot, np.float32) * y)
    img = Image.fromarray(np.broadcast_to(bg, (H, W, 3)).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    cx = W * (0.5 + rng.normal(0, 0.03))
    hw = W * rng.uniform(0.26, 0.33)  # head half width
    hh = hw * rng.uniform(1.22, 1.42)
    cy = H * rng.uniform(0.40, 0.47)
    long_hair = rng.random() < 0.35
    if long_hair and hair:
        d.rounded_rectangle([cx - hw * 1.25, cy - hh * 0.9, cx + hw * 1.25, cy + hh * rng.uniform(1.2, 1.8)], radius=int(hw * 0.6), fill=hair)
    # shoulders and neck
    sh_y = cy + hh * 1.05
    if style == "soft":
        d.ellipse([cx - W * 0.62, sh_y, cx + W * 0.62, sh_y + H * 0.7], fill=cloth)
    else:
        d.polygon([(cx - W * 0.6, H), (cx - W * 0.45, sh_y + H * 0.04), (cx + W * 0.45, sh_y + H * 0.04), (cx + W * 0.6, H)], fill=cloth)
    d.rectangle([cx - hw * 0.42, cy + hh * 0.5, cx + hw * 0.42, sh_y + H * 0.06], fill=tuple(int(v * 0.88) for v in skin))
    collar = (235, 235, 235) if rng.random() < 0.6 else cloth
    d.polygon([(cx - hw * 0.5, sh_y + H * 0.03), (cx, sh_y + H * 0.16), (cx + hw * 0.5, sh_y + H * 0.03)], fill=collar)
    # ears, head
    for sx in (-1, 1):
        d.ellipse([cx + sx * hw * 0.98 - hw * 0.16, cy - hh * 0.1, cx + sx * hw * 0.98 + hw * 0.16, cy + hh * 0.25], fill=skin)
    if style == "soft":
        d.ellipse([cx - hw, cy - hh, cx + hw, cy + hh], fill=skin)
    else:
        pts = []
        for a in np.linspace(0, 2 * np.pi, 11, endpoint=False):
            r = 1.0 + rng.normal(0, 0.025)
            ry = hh * (1.0 if np.sin(a) < 0 else 0.95)
            pts.append((cx + hw * r * np.cos(a), cy + ry * r * np.sin(a)))
        d.polygon(pts, fill=skin)
    # hair on top
    bald = rng.random() < 0.1
    if not bald:
        top = cy - hh * rng.uniform(1.02, 1.15)
        if style == "soft":
            d.chord([cx - hw * 1.04, top, cx + hw * 1.04, cy + hh * rng.uniform(0.0, 0.5)], 180, 360, fill=hair)
        else:
            fringe = cy - hh * rng.uniform(0.35, 0.6)
            d.polygon([(cx - hw * 1.02, cy - hh * 0.1), (cx - hw * 0.9, top + hh * 0.2), (cx, top), (cx + hw * 0.9, top + hh * 0.2),
                       (cx + hw * 1.02, cy - hh * 0.1), (cx + hw * 0.6, fringe), (cx - hw * 0.3, fringe + hh * 0.08)], fill=hair)
    # eyes, brows, nose, mouth
    ey = cy - hh * rng.uniform(0.02, 0.12)
    ex = hw * rng.uniform(0.36, 0.46)
    er = hw * rng.uniform(0.11, 0.15)
    iris = _c(rng, [(60, 40, 25), (40, 70, 110), (70, 90, 60), (30, 25, 20)], 10)
    dark = tuple(int(v * 0.35) for v in hair) if not bald else (40, 30, 25)
    for sx in (-1, 1):
        x0 = cx + sx * ex
        d.ellipse([x0 - er, ey - er * 0.55, x0 + er, ey + er * 0.55], fill=(240, 238, 235))
        d.ellipse([x0 - er * 0.5, ey - er * 0.5, x0 + er * 0.5, ey + er * 0.5], fill=iris)
        d.ellipse([x0 - er * 0.22, ey - er * 0.22, x0 + er * 0.22, ey + er * 0.22], fill=(10, 10, 10))
        bw = max(2, int(er * rng.uniform(0.3, 0.55)))
        d.line([(x0 - er * 1.2, ey - er * 1.3), (x0, ey - er * 1.6 - sx * 0), (x0 + er * 1.2, ey - er * 1.35)], fill=dark, width=bw)
    nose_c = tuple(int(v * 0.78) for v in skin)
    d.line([(cx + hw * 0.02, ey + er), (cx - hw * 0.06, cy + hh * 0.3), (cx + hw * 0.1, cy + hh * 0.33)], fill=nose_c, width=max(2, int(hw * 0.04)))
    my = cy + hh * rng.uniform(0.5, 0.6)
    mw = hw * rng.uniform(0.3, 0.42)
    lip = tuple(int(v) for v in np.clip(np.asarray(skin) * np.asarray([0.8, 0.55, 0.55]), 0, 255))
    d.chord([cx - mw, my - hh * 0.06, cx + mw, my + hh * 0.08], 0, 180, fill=lip)
    if style == "cut":
        if rng.random() < 0.3:
            d.polygon([(cx - hw * 0.85, cy + hh * 0.2), (cx + hw * 0.85, cy + hh * 0.2), (cx + hw * 0.5, cy + hh * 0.95), (cx, cy + hh * 1.02),
                       (cx - hw * 0.5, cy + hh * 0.95)], fill=tuple(int(v * 0.8) for v in hair))
            d.chord([cx - mw, my - hh * 0.06, cx + mw, my + hh * 0.08], 0, 180, fill=lip)
        if rng.random() < 0.35:
            fw = max(2, int(hw * 0.05))
            for sx in (-1, 1):
                x0 = cx + sx * ex
                d.rectangle([x0 - er * 1.7, ey - er * 1.2, x0 + er * 1.7, ey + er * 1.2], outline=(25, 25, 25), width=fw)
            d.line([(cx - ex + er * 1.7, ey), (cx + ex - er * 1.7, ey)], fill=(25, 25, 25), width=fw)
    img = img.resize((w, h), Image.BOX)
    if style == "soft":
        img = img.filter(ImageFilter.GaussianBlur(max(0.6, w / 260)))
        a = np.asarray(img, np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        light = 1.08 - 0.25 * (((xx / w - 0.5 - rng.normal(0, 0.1)) ** 2) * 2.2 + ((yy / h - 0.4) ** 2) * 1.2)
        img = Image.fromarray(np.clip(a * light[..., None], 0, 255).astype(np.uint8), "RGB")
    else:
        img = img.quantize(int(rng.integers(10, 24)), method=Image.Quantize.MEDIANCUT).convert("RGB").filter(ImageFilter.SMOOTH)
    if grey:
        img = img.convert("L").convert("RGB")
    return img

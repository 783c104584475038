"""The scene in front of the lens: the table surface seen in perspective, the document (and the open booklet
around a passport's data page) warped through the camera with its contact shadow, and a thumb over an edge.
The scene is kept as three full-resolution bands (Pillow's single-band operations are several times faster)."""
import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

import camera
import document
import fonts
import textures
from identity import pick


def finger(rng, plan, mrz_box_mm):
    """A thumb over one edge of the card, away from its corners and the MRZ; returns a polygon in photo px."""
    wm, hm = plan.page_mm
    mrz_top = mrz_box_mm[1] - hm / 2
    side = int(rng.integers(1, 3)) if plan.booklet else int(rng.integers(0, 3))  # 0 top (not the spine), 1 left, 2 right
    width = float(rng.uniform(18, 24))
    inside = float(rng.uniform(3, 9))
    if side == 0:
        px_, py_ = float(rng.uniform(-wm / 2 + 18, wm / 2 - 18)), -hm / 2 + inside
        direction = (0.0, -1.0)
    else:
        lo, hi = -hm / 2 + 16, mrz_top - width / 2 - 5
        if hi <= lo:
            return None
        py_ = float(rng.uniform(lo, hi))
        px_ = (-wm / 2 + inside) if side == 1 else (wm / 2 - inside)
        direction = (-1.0, 0.0) if side == 1 else (1.0, 0.0)
    # Pointing out and, on the sides, upwards: a hand holding the card does not reach across its MRZ.
    turn = float(rng.uniform(-0.4, 0.4)) if side == 0 else float(rng.uniform(0.0, 0.4)) * (1 if side == 1 else -1)
    ang = math.atan2(direction[1], direction[0]) + turn
    dx, dy = math.cos(ang), math.sin(ang)
    nx, ny = -dy, dx
    length = 40.0
    pts = []
    for k in range(13):  # the rounded tip, from one side of the finger round to the other
        a = math.pi / 2 + k * math.pi / 12
        pts.append((px_ + width / 2 * (math.cos(a) * dx + math.sin(a) * nx), py_ + width / 2 * (math.cos(a) * dy + math.sin(a) * ny)))
    pts += [(px_ + dx * length - nx * width * 0.65, py_ + dy * length - ny * width * 0.65),
            (px_ + dx * length + nx * width * 0.65, py_ + dy * length + ny * width * 0.65)]
    arr = np.array(pts)
    # The finger is ~10 mm above the table: a flat approximation at the card's plane is close enough at this size.
    q = plan.cam.project(arr[:, 0], arr[:, 1])
    # Beyond 40 mm the hand goes on out of the frame: extend in the image, widening a little.
    tip = plan.cam.project(np.array([px_]), np.array([py_]))[0]
    base = (q[13] + q[14]) / 2
    out = (base - tip) / max(1e-6, float(np.hypot(*(base - tip))))
    far = float(plan.w + plan.h)
    side_v = (q[14] - q[13]) * 0.15
    # Polygon: the tip's arc (+n side round to -n side), base -n, far -n, far +n, base +n.
    q = np.vstack([q[:14], q[13] + out * far - side_v, q[14] + out * far + side_v, q[14]])
    nail = plan.cam.project(np.array([px_ + dx * width * 0.15]), np.array([py_ + dy * width * 0.15]))[0]
    nail_r = float(np.hypot(*(q[0] - q[12]))) * 0.32
    return {"side": ["top", "left", "right"][side], "polygon": q, "tip_mm": [px_, py_], "nail": nail, "nail_r": nail_r, "width_mm": width}


def booklet(rng, px):
    """The open passport around the data page: the facing page above the spine and the cover's edge, drawn at
    `px` (lower than the data page's: it only has to look right). Returns the RGB canvas, its mask, the data
    page's top-left in it (mm), and the gutter shading (depth, reach, spine distance in mm) for the page too."""
    wm, hm = document.SIZE_MM["TD3"]
    cover_m, gap = float(rng.uniform(1.2, 3.0)), float(rng.uniform(0.8, 2.0))
    W = wm + 2 * cover_m
    H = 2 * hm + gap + 2 * cover_m
    cover = tuple(int(v) for v in pick(rng, [(110, 20, 35), (20, 35, 80), (15, 60, 40), (25, 25, 28), (90, 25, 25)]))
    canvas = Image.new("RGB", (int(W * px), int(H * px)), cover)
    facing = document.background(rng, wm, hm, px)
    d = ImageDraw.Draw(facing)
    if rng.random() < 0.6:  # an entry stamp
        cx, cy, r = rng.uniform(25, 100) * px, rng.uniform(20, 60) * px, rng.uniform(10, 16) * px
        ink = tuple(int(v) for v in pick(rng, [(40, 60, 150), (150, 40, 60), (40, 110, 60)]))
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=ink, width=max(1, int(0.5 * px)))
        d.ellipse([cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8], outline=ink, width=max(1, int(0.3 * px)))
        f = fonts.font("DejaVuSans-Bold.ttf", 2.5 * px)
        d.text((cx, cy), f"{int(rng.integers(1, 28)):02d} {pick(rng, document.MONTHS)} {int(rng.integers(2010, 2026))}", font=f, fill=ink, anchor="mm")
    fmask = Image.new("L", facing.size, 0)
    ImageDraw.Draw(fmask).rounded_rectangle([0, 0, facing.width - 1, facing.height - 1], radius=3.5 * px, fill=255)
    canvas.paste(facing, (int(cover_m * px), int(cover_m * px)), fmask)
    spine_y = (cover_m + hm + gap / 2) * px
    depth, reach = float(rng.uniform(0.15, 0.4)), float(rng.uniform(2.0, 5.0))
    ys = np.arange(canvas.height, dtype=np.float32)
    shade = 1.0 - depth * np.exp(-np.abs(ys - spine_y) / (reach * px))
    canvas = Image.fromarray((np.asarray(canvas, np.float32) * shade[:, None, None]).astype(np.uint8), "RGB")
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, canvas.width - 1, canvas.height - 1], radius=4 * px, fill=255)
    return canvas, mask, (cover_m, cover_m + hm + gap), (depth, reach, gap / 2)


def gutter_on_page(page, px, depth, reach, dist0):
    """The same gutter shading on the data page's top strip (the spine is dist0 mm above its top edge)."""
    rows = int(min(page.height, reach * 6 * px))
    strip = np.asarray(page.crop((0, 0, page.width, rows)), np.float32)
    ys = np.arange(rows, dtype=np.float32) / px + dist0
    strip *= (1.0 - depth * np.exp(-ys / reach))[:, None, None]
    page = page.copy()
    page.paste(Image.fromarray(strip.astype(np.uint8), "RGB"), (0, 0))
    return page


def _warp(plan, canvas, mask, px, off_mm, region, resample=Image.BICUBIC):
    """Renders the canvas (document pixels; off_mm = where the data page's top-left is in it) into the photo
    region (x0, y0, x1, y1) through the camera: one homography for a flat document, a mesh for a bent one."""
    x0, y0, x1, y1 = region
    wm, hm = plan.page_mm
    ox, oy = off_mm[0] + wm / 2, off_mm[1] + hm / 2  # canvas px -> document mm: X = cx/px - ox
    size = (x1 - x0, y1 - y0)
    if plan.bend is None:
        H = plan.cam.homography_doc_to_photo() @ np.array([[1 / px, 0, -ox], [0, 1 / px, -oy], [0, 0, 1]])
        Hi = np.linalg.inv(H) @ np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]])
        coeffs = tuple((Hi / Hi[2, 2]).ravel()[:8])
        return canvas.transform(size, Image.PERSPECTIVE, coeffs, resample), mask.transform(size, Image.PERSPECTIVE, coeffs, Image.BILINEAR), "perspective"
    step = 64
    gx = np.unique(np.append(np.arange(0, size[0], step), size[0]))
    gy = np.unique(np.append(np.arange(0, size[1], step), size[1]))
    U, V = np.meshgrid(gx + x0, gy + y0)
    X, Y = plan.cam.unproject(U, V)
    SX = ((X + ox) * px).reshape(U.shape)
    SY = ((Y + oy) * px).reshape(U.shape)
    mesh = []
    for j in range(len(gy) - 1):
        for i in range(len(gx) - 1):
            box = (int(gx[i]), int(gy[j]), int(gx[i + 1]), int(gy[j + 1]))
            quad = (SX[j, i], SY[j, i], SX[j + 1, i], SY[j + 1, i], SX[j + 1, i + 1], SY[j + 1, i + 1], SX[j, i + 1], SY[j, i + 1])
            mesh.append((box, quad))
    return canvas.transform(size, Image.MESH, mesh, resample), mask.transform(size, Image.MESH, mesh, Image.BILINEAR), "mesh"


def table(rng, plan, split, scale_px_mm):
    """The table surface as three full-resolution bands: drawn in table mm, seen through the same camera at half
    resolution, then upscaled band by band."""
    hw, hh = max(8, plan.w // 2), max(8, plan.h // 2)
    flat = camera.Camera(plan.w, plan.h, plan.hfov, plan.R, plan.T)  # the table is flat; the bend is the document's
    X, Y = flat.unproject(np.array([0, plan.w, plan.w, 0]), np.array([0, 0, plan.h, plan.h]))
    pad = 10.0
    xmin, xmax, ymin, ymax = X.min() - pad, X.max() + pad, Y.min() - pad, Y.max() + pad
    tpx = scale_px_mm / 2
    while (xmax - xmin) * (ymax - ymin) * tpx * tpx > 2.0e6:
        tpx *= 0.85
    tw, th = int((xmax - xmin) * tpx) + 1, int((ymax - ymin) * tpx) + 1
    name, tex = textures.surface(rng, split, tw, th, tpx)
    H = flat.homography_doc_to_photo() @ np.array([[1 / tpx, 0, xmin], [0, 1 / tpx, ymin], [0, 0, 1]])
    Hi = np.linalg.inv(np.diag([0.5, 0.5, 1.0]) @ H)
    half = tex.transform((hw, hh), Image.PERSPECTIVE, tuple((Hi / Hi[2, 2]).ravel()[:8]), Image.BILINEAR)
    return name, [b.resize((plan.w, plan.h), Image.BILINEAR) for b in half.split()]


def _region_of(points, w, h, pad):
    x0, y0 = int(max(0, math.floor(points[:, 0].min() - pad))), int(max(0, math.floor(points[:, 1].min() - pad)))
    x1, y1 = int(min(w, math.ceil(points[:, 0].max() + pad))), int(min(h, math.ceil(points[:, 1].max() + pad)))
    return x0, y0, x1, y1


def _outline(plan, canvas_mm, off_mm):
    """The canvas's border in the photo, sampled along its edges (so a bend is included)."""
    wm, hm = plan.page_mm
    cw, ch = canvas_mm
    t = np.linspace(0, 1, 24)
    bx = np.concatenate([t * cw, np.full(24, cw), (1 - t) * cw, np.zeros(24)]) - off_mm[0] - wm / 2
    by = np.concatenate([np.zeros(24), t * ch, np.full(24, ch), (1 - t) * ch]) - off_mm[1] - hm / 2
    return plan.cam.project(bx, by)


def _paste_rgb(bands, rgb, xy, mask):
    for band, part in zip(bands, rgb.split()):
        band.paste(part, xy, mask)


def lay_down(rng, plan, bands, layers, scale):
    """Warps each (canvas, mask, px, page offset mm) into the scene bands, with a soft contact shadow under the
    first. Returns the document's mask in the photo (where the laminate can reflect) and the warp used."""
    card_mask = Image.new("L", (plan.w, plan.h), 0)
    warp_kind = None
    for n, (canvas, mask, px, off) in enumerate(layers):
        region = _region_of(_outline(plan, (canvas.width / px, canvas.height / px), off), plan.w, plan.h, 2)
        x0, y0, x1, y1 = region
        if x1 <= x0 or y1 <= y0:
            continue
        # The booklet around the data page is drawn coarser; bilinear is enough for it.
        resample = Image.BILINEAR if n < len(layers) - 1 else Image.BICUBIC
        warped, alpha, warp_kind = _warp(plan, canvas, mask, px, off, region, resample)
        if n == 0:
            # Contact shadow: the outline blurred and nudged, darkening the table (padded: no wrap-around).
            sh_r = scale * (1.2 if plan.booklet else 0.5)
            sdx, sdy = int(rng.normal(0, 0.6) * scale), int(rng.normal(0.4, 0.4) * scale)
            pad = int(3 * sh_r + abs(sdx) + abs(sdy) + 4)
            big = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), 0)
            big.paste(alpha, (pad + sdx, pad + sdy))
            k = 4
            small = big.resize((max(1, big.width // k), max(1, big.height // k)), Image.BILINEAR).filter(ImageFilter.GaussianBlur(max(0.5, sh_r / k)))
            dark = float(rng.uniform(0.25, 0.5))
            shade = small.resize(big.size, Image.BILINEAR).point(lambda v: 255 - int(v * dark))
            sx0, sy0 = x0 - pad, y0 - pad
            box = (max(0, sx0), max(0, sy0), min(plan.w, sx0 + big.width), min(plan.h, sy0 + big.height))
            shade = shade.crop((box[0] - sx0, box[1] - sy0, box[2] - sx0, box[3] - sy0))
            for b in bands:
                b.paste(ImageChops.multiply(b.crop(box), shade), box[:2])
        _paste_rgb(bands, warped, (x0, y0), alpha)
        card_mask.paste(alpha, (x0, y0), alpha)
    return card_mask, warp_kind


def draw_finger(rng, bands, plan, finger, scale):
    """A thumb: tapered, shaded towards its sides, a paler nail near the tip, defocused (it is nearer the lens)."""
    poly = finger["polygon"]
    x0, y0, x1, y1 = _region_of(poly, plan.w, plan.h, scale * 6)
    if x1 <= x0 or y1 <= y0:
        return
    m = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(m).polygon([(x - x0, y - y0) for x, y in poly], fill=255)
    nail = Image.new("L", m.size, 0)
    tip = finger["nail"] - np.array([x0, y0])
    r = finger["nail_r"]
    ImageDraw.Draw(nail).ellipse([tip[0] - r, tip[1] - r, tip[0] + r, tip[1] + r], fill=255)
    nail = ImageChops.multiply(nail, m).filter(ImageFilter.GaussianBlur(max(1.0, r * 0.25)))
    # Rounded: darker towards the sides over the whole width, a soft sheen along the middle.
    shade = np.asarray(m.filter(ImageFilter.GaussianBlur(max(1.0, scale * finger["width_mm"] * 0.3))), np.float32)[..., None] / 255.0
    skin = np.asarray(pick(rng, [(222, 180, 160), (205, 160, 135), (170, 120, 95), (118, 82, 64), (236, 200, 184)]), np.float32)
    col = skin * (0.3 + 0.8 * shade ** 0.8) + 40.0 * np.clip(shade - 0.75, 0, 1)
    nv = np.asarray(nail, np.float32)[..., None] / 255.0
    col = col * (1 - 0.5 * nv) + 0.5 * nv * np.array([240, 205, 200], np.float32)
    defocus = scale * float(rng.uniform(0.5, 1.5))
    rgb = Image.fromarray(np.clip(col, 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(defocus))
    _paste_rgb(bands, rgb, (x0, y0), m.filter(ImageFilter.GaussianBlur(max(1.0, defocus))))

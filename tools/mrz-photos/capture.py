"""Photographs a printed document the way a phone does.

Order of the physical chain: scene (table surface in perspective, clutter, the document with its contact shadow,
a finger) -> light (exposure, gradient, vignette, a cast shadow, a lamp's colour, specular glare on the laminate)
-> lens (defocus, a depth-of-field gradient, hand shake) -> sensor (shot + read noise, stronger when
under-exposed; blotchy chroma noise) -> phone processing (tone curve, saturation, sharpening) -> JPEG.
Parameters per severity are in SEVERITY (documented in README.md); each photo's actual draws go into the truth.
"""
import io
import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

import camera
import fonts
import document
import textures
from identity import pick

# Ranges are uniform draws unless said otherwise; blur is sigma in px at 3000 px image width (scaled with width).
SEVERITY = {
    "mild": {
        "fill": (0.55, 0.85), "tilt_deg": (0.0, 8.0), "roll_deg": 5.0, "upside_down_p": 0.10, "hfov_deg": (50.0, 75.0),
        "blur": (0.3, 0.9), "motion_p": 0.10, "motion_px": (0.5, 1.5), "dof_p": 0.15,
        "exposure": (0.82, 1.08), "gradient": (0.0, 0.2), "vignette": (0.05, 0.2), "shadow_p": 0.10, "shadow_depth": (0.12, 0.3),
        "warm_p": 0.2, "glare_p": 0.35, "glare_mrz_p": 0.0, "sheen_p": 0.15, "sheen": (0.05, 0.14), "noise": (0.4, 1.0), "jpeg": (75, 90), "crop_p": 0.03,
        "finger_p": 0.08, "booklet_p": 0.5, "card_bow_mm": (0.0, 0.3), "spine_lift_mm": (0.5, 2.0),
    },
    "hard": {
        "fill": (0.40, 0.75), "tilt_deg": (5.0, 20.0), "roll_deg": 15.0, "upside_down_p": 0.10, "hfov_deg": (45.0, 78.0),
        "blur": (0.8, 1.8), "motion_p": 0.30, "motion_px": (1.0, 3.0), "dof_p": 0.35,
        "exposure": (0.55, 1.05), "gradient": (0.15, 0.45), "vignette": (0.15, 0.4), "shadow_p": 0.40, "shadow_depth": (0.2, 0.5),
        "warm_p": 0.4, "glare_p": 0.70, "glare_mrz_p": 0.45, "sheen_p": 0.35, "sheen": (0.08, 0.22), "noise": (1.0, 2.5), "jpeg": (55, 80), "crop_p": 0.08,
        "finger_p": 0.20, "booklet_p": 0.5, "card_bow_mm": (0.0, 0.8), "spine_lift_mm": (1.0, 4.0),
    },
}
SIZES = [(1600, 1200), (2048, 1536), (2304, 1728), (2592, 1944), (2560, 1440), (3000, 2250), (3264, 2448), (3200, 1800),
         (3840, 2160), (4000, 3000)]


def _u(rng, r):
    return float(rng.uniform(r[0], r[1]))


class Plan:
    """The geometry of one photo, decided before the document is printed (its resolution depends on it)."""

    def __init__(self, rng, kind, severity, sizes=None):
        p = SEVERITY[severity]
        self.p = p
        self.kind = kind
        self.severity = severity
        choices = sizes or SIZES
        w, h = choices[int(rng.integers(0, len(choices)))]
        if rng.random() < 0.3 and not sizes:
            w, h = h, w  # portrait (a size given explicitly is used as given)
        self.w, self.h = w, h
        self.hfov = _u(rng, p["hfov_deg"])
        self.upside_down = bool(rng.random() < p["upside_down_p"])
        self.roll = float(rng.uniform(-p["roll_deg"], p["roll_deg"]))
        self.tilt = _u(rng, p["tilt_deg"])
        self.tilt_axis = float(rng.uniform(0, 2 * math.pi))
        self.fill = _u(rng, p["fill"])
        self.booklet = kind == "TD3" and bool(rng.random() < p["booklet_p"])
        wm, hm = document.SIZE_MM[kind]
        self.page_mm = (wm, hm)
        if self.booklet:
            lift, L = _u(rng, p["spine_lift_mm"]), float(rng.uniform(6, 16))
            spine = -hm / 2 - 0.8
            # Height above the table grows from the spine, peaks about L mm away, then flattens out.
            self.bend_params = {"type": "spine", "lift_mm": lift, "reach_mm": L}
            self.bend = lambda Y: -lift * (np.abs(Y - spine) / L) * np.exp(1 - np.abs(Y - spine) / L)
        else:
            bow = _u(rng, p["card_bow_mm"])
            self.bend_params = {"type": "bow", "bow_mm": bow}
            self.bend = (lambda Y: -bow * (1 - (2 * Y / hm) ** 2)) if bow > 0.05 else None
        R = camera.rotation((math.cos(self.tilt_axis), math.sin(self.tilt_axis), 0), math.radians(self.tilt)) @ \
            camera.rotation((0, 0, 1), math.radians(self.roll + (180.0 if self.upside_down else 0.0)))
        self.R = R
        self.crop = bool(rng.random() < p["crop_p"])
        self._place(rng)

    def corners_mm(self):
        wm, hm = self.page_mm
        return np.array([[-wm / 2, -hm / 2], [wm / 2, -hm / 2], [wm / 2, hm / 2], [-wm / 2, hm / 2]])

    def _cam(self, T):
        return camera.Camera(self.w, self.h, self.hfov, self.R, T, self.bend)

    def _place(self, rng):
        c = self.corners_mm()
        wm = self.page_mm[0]
        f = (max(self.w, self.h) / 2) / math.tan(math.radians(self.hfov) / 2)
        T = np.array([0.0, 0.0, f * wm / (self.fill * self.w)])
        for _ in range(4):
            q = self._cam(T).project(c[:, 0], c[:, 1])
            bw, bh = np.ptp(q[:, 0]), np.ptp(q[:, 1])
            T[2] *= max(bw / self.w, bh / self.h) / self.fill
        q = self._cam(T).project(c[:, 0], c[:, 1])
        bw, bh = np.ptp(q[:, 0]), np.ptp(q[:, 1])
        margin = 0.015 * min(self.w, self.h)
        free_x, free_y = max(0.0, self.w - bw - 2 * margin), max(0.0, self.h - bh - 2 * margin)
        # People centre the document roughly: a triangular spread around the middle.
        tx = margin + bw / 2 + free_x * (rng.random() + rng.random()) / 2
        ty = margin + bh / 2 + free_y * (rng.random() + rng.random()) / 2
        def centre_at(T, tx, ty):
            T = T.copy()
            for _ in range(3):
                q = self._cam(T).project(c[:, 0], c[:, 1])
                T[0] += (tx - (q[:, 0].min() + q[:, 0].max()) / 2) * T[2] / f
                T[1] += (ty - (q[:, 1].min() + q[:, 1].max()) / 2) * T[2] / f
            return T

        self.crop_shift = None
        placed = centre_at(T, tx, ty)
        if self.crop:
            # Push the card partly out of the frame across one side, keeping the MRZ (a generous box around where
            # any print variation puts it) inside; try smaller shifts, then the other sides, else do not crop.
            wm_, hm_ = self.page_mm
            mrz_h = 17.5 if self.kind == "TD1" else 12.5
            zone = np.array([[-wm_ / 2 + 2.5, hm_ / 2 - mrz_h], [wm_ / 2 - 2.5, hm_ / 2 - mrz_h], [wm_ / 2 - 2.5, hm_ / 2 - 1.5], [-wm_ / 2 + 2.5, hm_ / 2 - 1.5]])
            first = int(rng.integers(0, 4))
            amount = float(rng.uniform(0.03, 0.12))
            m = 0.005 * min(self.w, self.h)
            for side in [first] + [s for s in range(4) if s != first]:
                for frac in (amount, amount / 2, amount / 4):
                    cx_, cy_ = tx, ty
                    if side == 0:
                        cx_ = bw / 2 - frac * bw
                    elif side == 1:
                        cx_ = self.w - bw / 2 + frac * bw
                    elif side == 2:
                        cy_ = bh / 2 - frac * bh
                    else:
                        cy_ = self.h - bh / 2 + frac * bh
                    Tc = centre_at(T, cx_, cy_)
                    z = self._cam(Tc).project(zone[:, 0], zone[:, 1])
                    if np.all((z[:, 0] >= m) & (z[:, 0] <= self.w - m) & (z[:, 1] >= m) & (z[:, 1] <= self.h - m)):
                        placed = Tc
                        self.crop_shift = {"side": ["left", "right", "top", "bottom"][side], "fraction": round(frac, 4)}
                        break
                if self.crop_shift:
                    break
        T = placed
        self.T = T
        self.cam = self._cam(T)

    def px_per_mm(self):
        """Print resolution: the largest magnification along the page's edges, so nothing is upsampled."""
        c = self.corners_mm()
        q = self.cam.project(c[:, 0], c[:, 1])
        best = 0.0
        for i in range(4):
            a, b = i, (i + 1) % 4
            best = max(best, np.hypot(*(q[a] - q[b])) / np.hypot(*(c[a] - c[b])))
        return float(np.clip(best * 1.08, 4.0, 36.0))


def _finger(rng, plan, mrz_box_mm):
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


def _light_field(rng, plan, p):
    """Multiplicative light at 1/8 resolution: exposure, gradient, vignette, a soft cast shadow."""
    sw, sh = max(4, plan.w // 8), max(4, plan.h // 8)
    y = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, sw, dtype=np.float32)[None, :]
    info = {}
    g = _u(rng, p["gradient"])
    ang = rng.uniform(0, 2 * math.pi)
    t = (x - 0.5) * math.cos(ang) + (y - 0.5) * math.sin(ang)
    field = 1.0 + g * t * 1.4
    v = _u(rng, p["vignette"])
    ar = plan.w / plan.h
    r2 = ((x - 0.5) * ar) ** 2 + (y - 0.5) ** 2
    field = field * (1.0 - v * r2 / (0.25 * ar * ar + 0.25))
    info.update(gradient=round(g, 3), vignette=round(v, 3))
    if rng.random() < p["shadow_p"]:
        depth = _u(rng, p["shadow_depth"])
        # A shadow edge (the phone or a hand between lamp and card) crossing the frame, with a soft penumbra.
        a2 = rng.uniform(0, 2 * math.pi)
        c = rng.uniform(-0.25, 0.2)
        wav = 0.05 * np.sin((x * math.sin(a2) - y * math.cos(a2)) * rng.uniform(3, 9) + rng.uniform(0, 6))
        s = (x - 0.5) * math.cos(a2) + (y - 0.5) * math.sin(a2) + wav - c
        pen = rng.uniform(0.02, 0.1)
        field = field * (1.0 - depth * np.clip(s / pen + 0.5, 0, 1))
        info["shadow"] = {"depth": round(depth, 3), "penumbra": round(float(pen), 3)}
    return field.astype(np.float32), info


def _glare(rng, p, mrz_quad, card_quad):
    """Additive specular glare (full-res field computed from a small one): a soft lobe plus, away from the MRZ,
    a saturating core. On the MRZ the peak stays below saturation (a lamp's diffuse reflection; a fully burnt-out
    MRZ is a retake, not a reading problem)."""
    if rng.random() >= p["glare_p"]:
        return None, {"where": "none"}
    mq = np.asarray(mrz_quad)
    cq = np.asarray(card_quad)
    card_w = np.hypot(*(cq[1] - cq[0]))
    mrz_h = np.hypot(*(mq[3] - mq[0]))
    r = rng.random()
    if r < p["glare_mrz_p"] * 0.5:
        where = "on_mrz"
        a, b = rng.random(), rng.random()
        centre = mq[0] + a * (mq[1] - mq[0]) + b * (mq[3] - mq[0])
        peak, core = float(rng.uniform(0.2, 0.42)), 0.0
    elif r < p["glare_mrz_p"]:
        where = "near_mrz"
        a = rng.random()
        up = (mq[0] - mq[3]) / max(1e-6, np.hypot(*(mq[0] - mq[3])))
        centre = mq[0] + a * (mq[1] - mq[0]) + up * mrz_h * rng.uniform(1.2, 2.5)
        peak, core = float(rng.uniform(0.3, 0.7)), float(rng.uniform(0.3, 0.9))
    else:
        where = "card"
        # Anywhere in the card's upper two thirds (the visual zone).
        a, b = rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.55)
        centre = cq[0] + a * (cq[1] - cq[0]) + b * (cq[3] - cq[0])
        peak, core = float(rng.uniform(0.3, 0.9)), float(rng.uniform(0.2, 1.2))
    rx = card_w * rng.uniform(0.04, 0.13)
    ry = rx * rng.uniform(0.35, 1.0)
    if where == "near_mrz":
        ry = min(ry, mrz_h * 0.6)
    ang = rng.uniform(0, math.pi)
    info = {"where": where, "centre": [round(float(centre[0]), 1), round(float(centre[1]), 1)], "radius_px": [round(float(rx), 1), round(float(ry), 1)],
            "peak": round(peak, 3), "core": round(core, 3)}
    return (centre, rx, ry, ang, peak, core), info


def _sheen(rng, p, card_quad):
    """A broad, faint reflection of a window or the ceiling across the laminate: lowers contrast over a large area."""
    if rng.random() >= p["sheen_p"]:
        return None, None
    cq = np.asarray(card_quad)
    card_w = float(np.hypot(*(cq[1] - cq[0])))
    a, b = rng.uniform(0.0, 1.0), rng.uniform(0.0, 1.0)
    centre = cq[0] + a * (cq[1] - cq[0]) + b * (cq[3] - cq[0])
    rx = card_w * rng.uniform(0.3, 0.6)
    ry = rx * rng.uniform(0.3, 0.8)
    peak = _u(rng, p["sheen"])
    return (centre, rx, ry, float(rng.uniform(0, math.pi)), peak, 0.0), {"centre": [round(float(centre[0]), 1), round(float(centre[1]), 1)],
                                                                     "radius_px": [round(float(rx), 1), round(float(ry), 1)], "peak": round(peak, 3)}


def _glare_field(params, w, h, region_pad=3.2, step=1):
    """The glare's additive field (fraction of white) over its bounding region; `step` > 1 computes it on a
    coarser grid and interpolates (for broad, smooth ones)."""
    centre, rx, ry, ang, peak, core = params
    R = max(rx, ry) * region_pad
    x0, y0 = int(max(0, centre[0] - R)), int(max(0, centre[1] - R))
    x1, y1 = int(min(w, centre[0] + R)), int(min(h, centre[1] + R))
    if x1 <= x0 or y1 <= y0:
        return None, (0, 0)
    yy, xx = np.mgrid[y0:y1:step, x0:x1:step].astype(np.float32)
    dx, dy = xx - centre[0], yy - centre[1]
    ca, sa = math.cos(ang), math.sin(ang)
    u, v = (dx * ca + dy * sa) / rx, (-dx * sa + dy * ca) / ry
    d2 = u * u + v * v
    g = peak * np.exp(-d2 / 2)
    if core > 0:
        g += core * np.exp(-d2 / (2 * 0.3 * 0.3))
    if step > 1:
        g = np.asarray(Image.fromarray(g.astype(np.float32), "F").resize((x1 - x0, y1 - y0), Image.BILINEAR), np.float32)
    return g, (x0, y0)


def _booklet(rng, px):
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


def _gutter_on_page(page, px, depth, reach, dist0):
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


def _table(rng, plan, split, scale_px_mm):
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


def _lay_down(rng, plan, bands, layers, scale):
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


def _draw_finger(rng, bands, plan, finger, scale):
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


def _blur(img, sigma):
    return img if sigma < 0.05 else img.filter(ImageFilter.GaussianBlur(sigma))


def _shift_sum(a, length, ang):
    """Hand shake: the average of copies of `a` along a short segment (integer shifts; edges repeat)."""
    n = max(2, int(math.ceil(length)) + 1)
    h, w = a.shape
    pad = int(math.ceil(length / 2)) + 1
    big = np.pad(a, pad, mode="edge")
    acc = np.zeros((h, w), np.float32)
    for k in range(n):
        s = k / (n - 1) * length - length / 2
        dx, dy = int(round(s * math.cos(ang))), int(round(s * math.sin(ang)))
        acc += big[pad + dy:pad + dy + h, pad + dx:pad + dx + w]
    acc *= 1.0 / n
    return acc


_NORMAL_Q = None


def _normal_q():
    """256 quantiles of the standard normal: Gaussian noise from random bytes (cheaper than standard_normal)."""
    global _NORMAL_Q
    if _NORMAL_Q is None:
        from statistics import NormalDist

        nd = NormalDist()
        _NORMAL_Q = np.array([nd.inv_cdf((i + 0.5) / 256) for i in range(256)], np.float32)
    return _NORMAL_Q


def _u8(a):
    np.clip(a, 0, 255, out=a)
    return Image.fromarray(a.astype(np.uint8), "L")


def develop(rng, plan, bands, card_mask, mrz_quad, corners):
    """Light, lens, sensor and the phone's processing, on luminance at full resolution and chroma at half (as the
    sensor's Bayer pattern and 4:2:0 JPEG do anyway). Mostly Pillow single-band operations, which are fast;
    numpy where arithmetic is needed. Returns the JPEG and what was drawn."""
    p = plan.p
    W, H = plan.w, plan.h
    hw, hh = (W + 1) // 2, (H + 1) // 2
    info = {}
    light_small, info["light"] = _light_field(rng, plan, p)
    exposure = _u(rng, p["exposure"])
    warm = bool(rng.random() < p["warm_p"])
    wb = np.array([rng.uniform(1.04, 1.12), 1.0, rng.uniform(0.72, 0.88)] if warm else
                  [rng.uniform(0.96, 1.04), 1.0, rng.uniform(0.95, 1.08)], np.float32)
    glare_params, info["glare"] = _glare(rng, p, mrz_quad, corners)
    sheen_params, info["sheen"] = _sheen(rng, p, corners)
    # Scene -> Y (full resolution) and Cb, Cr (half), JPEG's BT.601 definitions, in C.
    rgb = Image.merge("RGB", bands)
    Yimg = rgb.convert("L")
    _, Cb_img, Cr_img = Image.merge("RGB", [b.reduce(2) for b in bands]).convert("YCbCr").split()
    hw, hh = Cb_img.size
    del rgb
    # Lens: hand shake, defocus, a depth-of-field gradient.
    ref = max(W, H) / 3000.0
    sigma = _u(rng, p["blur"])
    info["motion"] = None
    if rng.random() < p["motion_p"]:
        length = _u(rng, p["motion_px"]) * ref
        ang = float(rng.uniform(0, math.pi))
        Yimg = _u8(_shift_sum(np.asarray(Yimg, np.float32), length, ang))
        info["motion"] = {"length_px": round(length, 2), "angle_deg": round(math.degrees(ang), 1)}
    Yb = _blur(Yimg, sigma * ref)
    info["depth_of_field"] = None
    dof_mask = None
    if rng.random() < p["dof_p"]:
        s2 = sigma * float(rng.uniform(1.4, 1.9))
        a = float(rng.uniform(0, 2 * math.pi))
        yy = np.linspace(-0.5, 0.5, max(2, H // 16), dtype=np.float32)[:, None]
        xx = np.linspace(-0.5, 0.5, max(2, W // 16), dtype=np.float32)[None, :]
        m = np.clip((xx * math.cos(a) + yy * math.sin(a)) * 1.6 + 0.5, 0, 1)
        dof_mask = Image.fromarray((m * 255).astype(np.uint8), "L").resize((W, H), Image.BILINEAR)
        far = _blur(Yb, math.sqrt(max(0.0, s2 * s2 - sigma * sigma)) * ref)  # blurs compose in quadrature
        Yb = Image.composite(far, Yb, dof_mask)
        info["depth_of_field"] = {"far_sigma_at_3000": round(s2, 3), "angle_deg": round(math.degrees(a), 1)}
    Cb = np.asarray(_blur(Cb_img, sigma * ref / 2), np.float32) - 128.0
    Cr = np.asarray(_blur(Cr_img, sigma * ref / 2), np.float32) - 128.0
    # Light: smooth field x exposure; the lamp's colour as a chroma cast proportional to brightness.
    lmax = float(light_small.max())
    lf8 = Image.fromarray(np.clip(light_small / lmax * 255.0, 0, 255).astype(np.uint8), "L")
    k = exposure * lmax / 255.0
    Y = np.asarray(Yb, np.float32) * np.asarray(lf8.resize((W, H), Image.BILINEAR), np.float32)
    Y *= k
    Lh = np.asarray(lf8.resize((hw, hh), Image.BILINEAR), np.float32) * k
    Yh = np.asarray(Yb.resize((hw, hh), Image.BOX), np.float32) * Lh
    Cb *= Lh
    Cr *= Lh
    # White balance gains on R, G, B, approximated around the grey axis as a chroma cast.
    Cb += 0.564 * (wb[2] - 1.0) * Yh
    Cr += 0.713 * (wb[0] - 1.0) * Yh
    del Yh, Lh
    # Glare on the laminate (weaker on the table), added before the sensor clips.
    for params, step in ((glare_params, 1), (sheen_params, 8)):
        if params is None:
            continue
        gfield, (gx, gy) = _glare_field(params, W, H, step=step)
        if gfield is not None:
            gh_, gw_ = gfield.shape
            cm = np.asarray(card_mask.crop((gx, gy, gx + gw_, gy + gh_)), np.float32) * (1.0 / 255.0)
            Y[gy:gy + gh_, gx:gx + gw_] += gfield * (0.25 + 0.75 * cm) * 255.0
    # Sensor noise: shot noise grows with the signal, read noise does not; both scale with the gain an
    # under-exposed shot needs. Luminance noise per pixel; chroma noise in soft blotches.
    noise_level = _u(rng, p["noise"])
    gain = 1.0 / max(0.3, exposure)
    shot = 0.0009 * noise_level * gain * 255.0
    read = 0.0035 * noise_level * gain * 255.0
    np.clip(Y, 0, 255, out=Y)
    sd = Y * shot
    sd += read * read
    np.sqrt(sd, out=sd)
    sd *= _normal_q()[rng.integers(0, 256, (H, W), dtype=np.uint8)]
    Y += sd
    del sd
    cq = rng.standard_normal((2, max(2, hh // 2), max(2, hw // 2)), dtype=np.float32) * (2.2 * noise_level * gain)
    Cb += np.asarray(Image.fromarray(cq[0], "F").resize((hw, hh), Image.BILINEAR), np.float32)
    Cr += np.asarray(Image.fromarray(cq[1], "F").resize((hw, hh), Image.BILINEAR), np.float32)
    # Phone processing: sharpening and a tone curve on luminance, saturation on chroma, JPEG.
    usm_r = float(rng.uniform(0.8, 2.2)) * ref
    usm_p = int(rng.uniform(30, 140))
    thr = int(rng.integers(0, 4))
    Yimg = _u8(Y).filter(ImageFilter.UnsharpMask(radius=usm_r, percent=usm_p, threshold=thr))
    del Y
    contrast = float(rng.uniform(0.0, 0.35))
    gamma = float(rng.uniform(0.85, 1.1))
    xs = np.arange(256, dtype=np.float64) / 255.0
    ys = xs ** gamma
    ys = ys + contrast * (ys - 0.5) * (1 - np.abs(2 * ys - 1))
    Yimg = Yimg.point([int(v) for v in np.clip(ys * 255.0 + 0.5, 0, 255)])
    sat = float(rng.uniform(1.0, 1.25))
    Cb *= sat
    Cr *= sat
    Cb += 128.0
    Cr += 128.0
    cb = _u8(Cb).resize((W, H), Image.BILINEAR)
    cr = _u8(Cr).resize((W, H), Image.BILINEAR)
    q = int(rng.integers(p["jpeg"][0], p["jpeg"][1] + 1))
    sub = int(rng.choice([2, 2, 2, 2, 1, 0]))  # Pillow: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0
    buf = io.BytesIO()
    Image.merge("YCbCr", [Yimg, cb, cr]).save(buf, "JPEG", quality=q, subsampling=sub)
    info.update({
        "blur_sigma_at_3000": round(sigma, 3), "blur_sigma_px": round(sigma * ref, 3), "exposure": round(exposure, 3),
        "white_balance": [round(float(v), 3) for v in wb], "warm_lamp": warm, "noise": round(noise_level, 3), "saturation": round(sat, 3),
        "tone": {"gamma": round(gamma, 3), "contrast": round(contrast, 3)}, "sharpen": {"radius_px": round(usm_r, 2), "percent": usm_p, "threshold": thr},
        "jpeg_quality": q, "chroma_subsampling": {2: "4:2:0", 1: "4:2:2", 0: "4:4:4"}[sub],
    })
    return buf.getvalue(), info


def photograph(rng, plan, page, page_mask, page_info, split):
    """page: the printed data page (RGB at page_info['px_per_mm']) and its mask. Returns (JPEG bytes, truth)."""
    px = page_info["px_per_mm"]
    wm, hm = plan.page_mm
    c = plan.corners_mm()
    corners = plan.cam.project(c[:, 0], c[:, 1])
    mb = page_info["mrz_box_mm"]
    mx = np.array([mb[0], mb[2], mb[2], mb[0]]) - wm / 2
    my = np.array([mb[1], mb[1], mb[3], mb[3]]) - hm / 2
    mrz_quad = plan.cam.project(mx, my)
    scale = float(np.hypot(*(corners[1] - corners[0])) / wm)  # photo px per mm along the top edge
    surface_name, bands = _table(rng, plan, split, scale)
    layers = []
    if plan.booklet:
        bpx = max(3.0, px / 2)
        surround, smask, off, (depth, reach, dist0) = _booklet(rng, bpx)
        layers.append((surround, smask, bpx, (off[0], off[1])))
        page = _gutter_on_page(page, px, depth, reach, dist0)
    layers.append((page, page_mask, px, (0.0, 0.0)))
    card_mask, warp_kind = _lay_down(rng, plan, bands, layers, scale)
    finger = None
    if rng.random() < plan.p["finger_p"]:
        finger = _finger(rng, plan, mb)
        if finger is not None:
            _draw_finger(rng, bands, plan, finger, scale)
            finger = {"side": finger["side"], "tip_mm": [round(v, 1) for v in finger["tip_mm"]]}
    jpeg, dev = develop(rng, plan, bands, card_mask, mrz_quad, corners)
    inside = bool(np.all((corners[:, 0] >= 0) & (corners[:, 0] <= plan.w) & (corners[:, 1] >= 0) & (corners[:, 1] <= plan.h)))
    mrz_inside = bool(np.all((mrz_quad[:, 0] >= 0) & (mrz_quad[:, 0] <= plan.w) & (mrz_quad[:, 1] >= 0) & (mrz_quad[:, 1] <= plan.h)))
    capture = {
        "surface": surface_name, "booklet": plan.booklet, "hfov_deg": round(plan.hfov, 1), "tilt_deg": round(plan.tilt, 2),
        "tilt_axis_deg": round(math.degrees(plan.tilt_axis), 1), "roll_deg": round(plan.roll, 2), "fill": round(plan.fill, 3),
        "crop": plan.crop_shift, "bend": plan.bend_params, "warp": warp_kind, "print_px_per_mm": round(px, 2),
        "card_px_per_mm": round(scale, 2), "finger": finger,
    }
    capture.update(dev)
    truth = {
        "width": plan.w,
        "height": plan.h,
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in corners],
        "mrz_quad": [[round(float(x), 1), round(float(y), 1)] for x, y in mrz_quad],
        "whole_card_visible": inside,
        "mrz_inside": mrz_inside,
        "upside_down": plan.upside_down,
        "capture": capture,
    }
    return jpeg, truth

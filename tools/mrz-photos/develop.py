"""Light, lens, sensor and the phone's processing, from the scene's bands to the JPEG: exposure, light gradient,
vignette, a cast shadow, a lamp's colour, specular glare and a broad sheen on the laminate; hand shake, defocus,
a depth-of-field gradient; shot and read noise, chroma noise; sharpening, tone curve, saturation, JPEG."""
import io
import math

import numpy as np
from PIL import Image, ImageFilter

from plan import uniform


def _light_field(rng, plan, p):
    """Multiplicative light at 1/8 resolution: exposure, gradient, vignette, a soft cast shadow."""
    sw, sh = max(4, plan.w // 8), max(4, plan.h // 8)
    y = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, sw, dtype=np.float32)[None, :]
    info = {}
    g = uniform(rng, p["gradient"])
    ang = rng.uniform(0, 2 * math.pi)
    t = (x - 0.5) * math.cos(ang) + (y - 0.5) * math.sin(ang)
    field = 1.0 + g * t * 1.4
    v = uniform(rng, p["vignette"])
    ar = plan.w / plan.h
    r2 = ((x - 0.5) * ar) ** 2 + (y - 0.5) ** 2
    field = field * (1.0 - v * r2 / (0.25 * ar * ar + 0.25))
    info.update(gradient=round(g, 3), vignette=round(v, 3))
    if rng.random() < p["shadow_p"]:
        depth = uniform(rng, p["shadow_depth"])
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
    peak = uniform(rng, p["sheen"])
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
    exposure = uniform(rng, p["exposure"])
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
    sigma = uniform(rng, p["blur"])
    info["motion"] = None
    if rng.random() < p["motion_p"]:
        length = uniform(rng, p["motion_px"]) * ref
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
    noise_level = uniform(rng, p["noise"])
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

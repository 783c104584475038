"""Procedural fields shared by the document and the scene: smooth noise, fine-line guilloche, rosettes.

Everything is numpy float32 in [0, 1] (or ink coverage), sized (h, w); fine lines are anti-aliased by their
distance to the line, so they need no supersampling."""
import numpy as np
from PIL import Image


def smooth_noise(rng, h, w, cells, octaves=1, persistence=0.5):
    """Value noise: random grids upscaled bicubically (Pillow does the interpolation in C, on 8-bit grids, which
    is plenty for shading and displacement), summed over octaves; normalised to [0, 1]."""
    out = None
    amp = 1.0
    for o in range(octaves):
        gh = max(2, int(round(cells * (2 ** o) * h / max(h, w))) + 2)
        gw = max(2, int(round(cells * (2 ** o) * w / max(h, w))) + 2)
        grid = rng.integers(0, 256, (gh, gw), dtype=np.uint8)
        layer = np.asarray(Image.fromarray(grid, "L").resize((w, h), Image.BICUBIC), np.float32)
        if out is None:
            out = layer * amp
        else:
            out += layer * amp
        amp *= persistence
    lo, hi = float(out.min()), float(out.max())
    out -= lo
    out *= 1.0 / max(1e-6, hi - lo)
    return out


def _aa(d, half):
    # d: distance to the nearest line centre in periods; `half` = (line half width, one pixel) in periods.
    lw, px = half
    d *= -1.0 / px
    d += (lw + 0.5 * px) / px
    return np.clip(d, 0.0, 1.0, out=d)


def wave_lines(rng, h, w, px_mm, period_mm, line_mm, amp_mm, wavelength_mm, angle=0.0, harmonics=2):
    """A family of parallel sinusoidal lines (the classic guilloche band), as ink coverage (h, w)."""
    y = np.arange(h, dtype=np.float32)[:, None] / px_mm
    x = np.arange(w, dtype=np.float32)[None, :] / px_mm
    ca, sa = np.cos(angle), np.sin(angle)
    u = x * ca + y * sa
    v = -x * sa + y * ca
    disp = np.zeros_like(u)
    for k in range(harmonics):
        f = (k + 1) * (1 + 0.7 * rng.random())
        disp = disp + (amp_mm / (k + 1)) * np.sin(2 * np.pi * u * f / wavelength_mm + rng.random() * 6.283)
    phase = (v + disp) / period_mm
    d = np.abs(phase - np.round(phase))
    return _aa(d, (line_mm * 0.5 / period_mm, 1.0 / (px_mm * period_mm))).astype(np.float32)


def rosette(size, px_mm, petals, lines, r0_mm, r1_mm, line_mm):
    """A spirograph rosette in a square of `size` px: `lines` closed curves r = r(θ) with `petals` lobes,
    each shifted in phase, as ink coverage."""
    c = (size - 1) / 2
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    dx, dy = (xx - c) / px_mm, (yy - c) / px_mm
    r = np.sqrt(dx * dx + dy * dy)
    th = np.arctan2(dy, dx)
    ink = np.zeros((size, size), np.float32)
    amp = (r1_mm - r0_mm) * 0.5
    mid = (r1_mm + r0_mm) * 0.5
    lobes = mid + amp * np.sin(petals * th)
    period = max(line_mm * 3, (r1_mm - r0_mm) / lines)
    # Two interlaced families (phase +/-) give the woven look.
    for sign in (1, -1):
        phase = (r - lobes * 0 - amp * np.sin(petals * th + sign * np.pi / petals)) / period
        d = np.abs(phase - np.round(phase))
        ink = np.maximum(ink, _aa(d, (line_mm * 0.5 / period, 1.0 / (px_mm * period))))
    ring = np.clip((r1_mm + amp - r) * px_mm, 0, 1) * np.clip((r - max(0.0, r0_mm - amp)) * px_mm, 0, 1)
    return ink * ring


def gradient(h, w, colours, angle):
    """A smooth multi-stop colour gradient (rainbow printing), (h, w, 3) float32 0..1."""
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    t = np.clip(x * np.cos(angle) + y * np.sin(angle), 0, None)
    t = t / max(1e-6, float(t.max()))
    stops = np.linspace(0, 1, len(colours))
    cols = np.asarray(colours, np.float32) / 255.0
    out = np.empty((h, w, 3), np.float32)
    for ch in range(3):
        out[..., ch] = np.interp(t, stops, cols[:, ch])
    return out

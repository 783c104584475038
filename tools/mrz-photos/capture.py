"""Photographs a printed document the way a phone does.

Order of the physical chain: scene (table surface in perspective, clutter, the document with its contact shadow,
a finger) -> light (exposure, gradient, vignette, a cast shadow, a lamp's colour, specular glare on the laminate)
-> lens (defocus, a depth-of-field gradient, hand shake) -> sensor (shot + read noise, stronger when
under-exposed; blotchy chroma noise) -> phone processing (tone curve, saturation, sharpening) -> JPEG.
The geometry is decided first (plan.py: Plan, SEVERITY), then the scene (scene.py) and the development (develop.py);
each photo's actual draws go into the truth.
"""
import math

import numpy as np

import develop as dev
import scene


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
    surface_name, bands = scene.table(rng, plan, split, scale)
    layers = []
    if plan.booklet:
        bpx = max(3.0, px / 2)
        surround, smask, off, (depth, reach, dist0) = scene.booklet(rng, bpx)
        layers.append((surround, smask, bpx, (off[0], off[1])))
        page = scene.gutter_on_page(page, px, depth, reach, dist0)
    layers.append((page, page_mask, px, (0.0, 0.0)))
    card_mask, warp_kind = scene.lay_down(rng, plan, bands, layers, scale)
    finger = None
    if rng.random() < plan.p["finger_p"]:
        finger = scene.finger(rng, plan, mb)
        if finger is not None:
            scene.draw_finger(rng, bands, plan, finger, scale)
            finger = {"side": finger["side"], "tip_mm": [round(v, 1) for v in finger["tip_mm"]]}
    jpeg, developed = dev.develop(rng, plan, bands, card_mask, mrz_quad, corners)
    inside = bool(np.all((corners[:, 0] >= 0) & (corners[:, 0] <= plan.w) & (corners[:, 1] >= 0) & (corners[:, 1] <= plan.h)))
    mrz_inside = bool(np.all((mrz_quad[:, 0] >= 0) & (mrz_quad[:, 0] <= plan.w) & (mrz_quad[:, 1] >= 0) & (mrz_quad[:, 1] <= plan.h)))
    capture = {
        "surface": surface_name, "booklet": plan.booklet, "hfov_deg": round(plan.hfov, 1), "tilt_deg": round(plan.tilt, 2),
        "tilt_axis_deg": round(math.degrees(plan.tilt_axis), 1), "roll_deg": round(plan.roll, 2), "fill": round(plan.fill, 3),
        "crop": plan.crop_shift, "bend": plan.bend_params, "warp": warp_kind, "print_px_per_mm": round(px, 2),
        "card_px_per_mm": round(scale, 2), "finger": finger,
    }
    capture.update(developed)
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

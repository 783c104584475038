"""The geometry of one photo, decided before the document is printed (its resolution depends on it): frame size,
lens, pose (tilt, roll, upside down), how much of the frame the document fills and where, a crop, a bend.
SEVERITY holds every range of the capture, per severity (README.md has the table)."""
import math

import numpy as np

import camera
import document


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


def uniform(rng, r):
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
        self.hfov = uniform(rng, p["hfov_deg"])
        self.upside_down = bool(rng.random() < p["upside_down_p"])
        self.roll = float(rng.uniform(-p["roll_deg"], p["roll_deg"]))
        self.tilt = uniform(rng, p["tilt_deg"])
        self.tilt_axis = float(rng.uniform(0, 2 * math.pi))
        self.fill = uniform(rng, p["fill"])
        self.booklet = kind == "TD3" and bool(rng.random() < p["booklet_p"])
        wm, hm = document.SIZE_MM[kind]
        self.page_mm = (wm, hm)
        if self.booklet:
            lift, L = uniform(rng, p["spine_lift_mm"]), float(rng.uniform(6, 16))
            spine = -hm / 2 - 0.8
            # Height above the table grows from the spine, peaks about L mm away, then flattens out.
            self.bend_params = {"type": "spine", "lift_mm": lift, "reach_mm": L}
            self.bend = lambda Y: -lift * (np.abs(Y - spine) / L) * np.exp(1 - np.abs(Y - spine) / L)
        else:
            bow = uniform(rng, p["card_bow_mm"])
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

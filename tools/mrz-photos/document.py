"""Lays out and prints one document at a given resolution: TD3 passport data page, TD1 card back, TD2 card.

Sizes follow Doc 9303 (TD1 85.6x54, TD2 105x74, TD3 125x88 mm); the MRZ is OCR-B at a 2.54 mm pitch with about
4.2 mm between lines, at the bottom. The security background is drawn at a coarser resolution (fine lines come out
soft, as they do through a phone lens) and everything printed over it at full resolution. The print varies:
stroke weight (blur + threshold), letter pitch, baseline wobble, row offsets and tilt, ink bleed, toner grain and
near-black ink colours. Returns the RGB print, the card's rounded shape as a mask, and where things are, in mm.
"""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

import face
import fonts
import patterns
from identity import pick

SIZE_MM = {"TD1": (85.6, 54.0), "TD2": (105.0, 74.0), "TD3": (125.0, 88.0)}
CORNER_RADIUS_MM = {"TD1": 3.18, "TD2": 3.18, "TD3": 3.5}
MRZ_PITCH_MM = 2.54
MRZ_LINE_MM = 4.23
OCRB_ADVANCE_EM = 0.7229  # OCR-B's advance width in ems (43.375/60 at 60 px)
OCRB_CAP_EM = 0.733

PASTELS = [(236, 226, 240), (222, 236, 246), (232, 243, 226), (248, 236, 220), (246, 226, 230), (228, 238, 238), (240, 240, 222),
           (226, 230, 248), (250, 244, 232)]
INKS_DARK = [(24, 52, 110), (120, 30, 40), (20, 90, 70), (70, 40, 100), (40, 40, 40), (130, 70, 20), (10, 80, 120)]
TITLES = {
    "TD3": ["PASSPORT", "PASSPORT / PASSEPORT", "REISEPASS / PASSPORT / PASSEPORT", "PASAPORTE / PASSPORT", "PASSAPORTO", "PASSEPORT"],
    "TD1": ["IDENTITY CARD", "CARTE D'IDENTITÉ / IDENTITY CARD", "PERSONALAUSWEIS", "RESIDENCE PERMIT", "DOCUMENTO DE IDENTIDAD"],
    "TD2": ["IDENTITY CARD", "CARTE NATIONALE D'IDENTITÉ", "RESIDENCE PERMIT / TITRE DE SÉJOUR", "TRAVEL DOCUMENT"],
}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MONTHS_FR = ["JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC"]
CITIES = ["ZENITH", "STOCKHOLM", "MÜNCHEN", "LYON", "PORTO", "KRAKÓW", "NAIROBI", "OSAKA", "CÓRDOBA", "GENÈVE", "AUCKLAND", "DUBLIN",
          "TAMPERE", "BRNO", "İZMİR", "LAGOS", "PUNE", "QUÉBEC", "VALPARAÍSO", "TARTU"]


def date_text(d, fmt):
    if fmt == 0:
        return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"
    if fmt == 1:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if fmt == 2:
        return f"{d.day:02d} {MONTHS_FR[d.month - 1]}/{MONTHS[d.month - 1]} {d.year % 100:02d}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class Sheet:
    """A document being printed at `px` pixels per mm."""

    def __init__(self, img, px, rng, style):
        self.img = img
        self.px = px
        self.rng = rng
        self.style = style
        self.draw = ImageDraw.Draw(img)

    def text(self, x_mm, y_mm, s, font_file, cap_mm, fill, anchor="ls", spacing_mm=0.0, fit_mm=None):
        """Text with its baseline at y_mm (anchor 'ls'); cap height cap_mm (DejaVu caps are ~0.73 em). Shrunk to
        fit in fit_mm, and always inside the page (as a designer would set a long name)."""
        page_w = self.img.width / self.px
        room = (page_w - x_mm - 1.5) if anchor[0] == "l" else (x_mm - 1.5)
        if fit_mm is not None:
            room = min(room, fit_mm)
        f = fonts.font(font_file, cap_mm / 0.73 * self.px)
        width = f.getlength(s) / self.px
        if width > room > 0:
            f = fonts.font(font_file, cap_mm / 0.73 * self.px * room / width)
        if spacing_mm == 0.0:
            self.draw.text((x_mm * self.px, y_mm * self.px), s, font=f, fill=fill, anchor=anchor)
            return
        x = x_mm * self.px
        for ch in s:
            self.draw.text((x, y_mm * self.px), ch, font=f, fill=fill, anchor=anchor)
            x += f.getlength(ch) + spacing_mm * self.px

    def field(self, x, y, label, value, label_cap=1.25, value_cap=2.1, value_font=None):
        st = self.style
        self.text(x, y, label, st["label_font"], label_cap, st["label_ink"])
        self.text(x, y + value_cap + 1.0, value, value_font or st["value_font"], value_cap, st["value_ink"])

    def paste(self, im, x_mm, y_mm, mask=None):
        self.img.paste(im, (int(round(x_mm * self.px)), int(round(y_mm * self.px))), mask)


def hologram(rng, gw, gh, g):
    """The holographic laminate's faint iridescent pattern at g px/mm: (hue RGB 0..1, alpha 0..1) or None."""
    if rng.random() >= 0.5:
        return None
    strength = float(rng.uniform(0.05, 0.14))
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32) / g
    k = rng.uniform(0.05, 0.15)
    phase = k * (xx * rng.uniform(0.5, 1.5) + yy) + 0.8 * np.sin(xx * 0.3 + rng.random() * 6) * np.cos(yy * 0.25)
    hue = np.stack([np.sin(6.283 * phase), np.sin(6.283 * phase + 2.09), np.sin(6.283 * phase + 4.19)], -1) * 0.5 + 0.5
    patt = (np.sin(xx * rng.uniform(0.4, 1.2)) * np.sin(yy * rng.uniform(0.4, 1.2)) > 0.2).astype(np.float32)
    patt = patterns.smooth_noise(rng, gh, gw, 3) * 0.6 + 0.4 * patt
    return hue.astype(np.float32), (patt * strength).astype(np.float32), strength


def upscale(img, size):
    """Band by band: Pillow resizes single-band images several times faster than RGB ones."""
    return Image.merge(img.mode, [b.resize(size, Image.BILINEAR) for b in img.split()])


def background(rng, w_mm, h_mm, px, holo=None):
    """Security background at <= 10 px/mm: rainbow gradient, wave guilloche, rosettes, emblem, microprint,
    and the hologram (laminated over everything; applied here, at low resolution, and over the MRZ again)."""
    g = min(px, 10.0)
    gw, gh = max(8, int(round(w_mm * g))), max(8, int(round(h_mm * g)))
    cols = [pick(rng, PASTELS) for _ in range(int(rng.integers(2, 4)))]
    base = patterns.gradient(gh, gw, cols, float(rng.uniform(-0.6, 0.9)))
    base *= (1.0 - 0.04 * patterns.smooth_noise(rng, gh, gw, 5))[..., None]
    families = int(rng.integers(1, 4))
    for _ in range(families):
        ink = np.asarray(pick(rng, INKS_DARK), np.float32) / 255.0
        strength = float(rng.uniform(0.10, 0.28))
        cov = patterns.wave_lines(rng, gh, gw, g, period_mm=float(rng.uniform(0.45, 1.3)), line_mm=float(rng.uniform(0.06, 0.16)),
                                  amp_mm=float(rng.uniform(0.6, 4.0)), wavelength_mm=float(rng.uniform(6, 30)),
                                  angle=float(rng.uniform(-0.5, 0.5)), harmonics=int(rng.integers(1, 3)))
        if rng.random() < 0.5:  # a band rather than the whole page
            y = np.linspace(0, 1, gh, dtype=np.float32)[:, None]
            c, wband = rng.uniform(0.1, 0.9), rng.uniform(0.15, 0.45)
            cov = cov * np.clip(1.0 - np.abs(y - c) / wband, 0, 1) ** 0.5
        cov *= strength * 0.5
        base += cov[..., None] * (ink - base)
    for _ in range(int(rng.integers(1, 3))):
        r_mm = float(rng.uniform(8, min(w_mm, h_mm) * 0.42))
        size = int(2 * (r_mm * 1.15) * g) | 1
        ros = patterns.rosette(size, g, petals=int(rng.integers(5, 19)), lines=int(rng.integers(6, 16)), r0_mm=r_mm * rng.uniform(0.2, 0.6),
                               r1_mm=r_mm, line_mm=float(rng.uniform(0.05, 0.12)))
        cx, cy = int(rng.uniform(0.15, 0.85) * gw), int(rng.uniform(0.1, 0.7) * gh)
        x0, y0 = cx - size // 2, cy - size // 2
        xs, ys = max(0, x0), max(0, y0)
        xe, ye = min(gw, x0 + size), min(gh, y0 + size)
        if xe <= xs or ye <= ys:
            continue
        sub = ros[ys - y0:ye - y0, xs - x0:xe - x0][..., None]
        ink = np.asarray(pick(rng, INKS_DARK), np.float32) / 255.0
        s = float(rng.uniform(0.12, 0.3))
        base[ys:ye, xs:xe] = base[ys:ye, xs:xe] * (1 - s * sub) + s * sub * ink
    img = Image.fromarray((np.clip(base, 0, 1) * 255).astype(np.uint8), "RGB")
    # Emblem watermark: concentric rings and a star, faint.
    lay = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(lay)
    ex, ey = rng.uniform(0.45, 0.8) * gw, rng.uniform(0.3, 0.6) * gh
    er = rng.uniform(0.18, 0.3) * gh
    for k in range(3):
        d.ellipse([ex - er * (1 - 0.12 * k), ey - er * (1 - 0.12 * k), ex + er * (1 - 0.12 * k), ey + er * (1 - 0.12 * k)], outline=255,
                  width=max(1, int(g * 0.25)))
    n = int(rng.integers(5, 9))
    pts = [(ex + (er * (0.7 if i % 2 == 0 else 0.3)) * math.cos(math.pi * i / n - math.pi / 2),
            ey + (er * (0.7 if i % 2 == 0 else 0.3)) * math.sin(math.pi * i / n - math.pi / 2)) for i in range(2 * n)]
    d.polygon(pts, fill=255)
    lay = lay.filter(ImageFilter.GaussianBlur(g * 0.15)).point(lambda v: int(v * rng.uniform(0.06, 0.14)))
    img = Image.composite(Image.new("RGB", img.size, pick(rng, INKS_DARK)), img, lay)
    # Microprint lines (a row of tiny repeated text), in some documents.
    if rng.random() < 0.6:
        d = ImageDraw.Draw(img)
        f = fonts.font("DejaVuSans.ttf", max(5, g * 0.7))
        word = ("UTOPIA" if rng.random() < 0.5 else "SECURITY") + " "
        for _ in range(int(rng.integers(1, 4))):
            y = rng.uniform(0.15, 0.7) * gh
            d.text((0, y), word * 80, font=f, fill=tuple(int(v * 0.85) for v in img.getpixel((int(gw / 2), int(min(gh - 1, y))))))
    if holo is not None:
        hue, alpha, _ = holo
        a = np.asarray(img, np.float32) / 255.0
        hue_g = np.asarray(Image.fromarray((hue * 255).astype(np.uint8), "RGB").resize((gw, gh), Image.BILINEAR), np.float32) / 255.0
        al = np.asarray(Image.fromarray((alpha * 255).astype(np.uint8), "L").resize((gw, gh), Image.BILINEAR), np.float32)[..., None] / 255.0
        img = Image.fromarray(((a * (1 - al) + hue_g * al) * 255).astype(np.uint8), "RGB")
    return upscale(img, (max(8, int(round(w_mm * px))), max(8, int(round(h_mm * px)))))


def _signature(sheet, x, y, w, h):
    rng = sheet.rng
    pts = []
    n = int(rng.integers(5, 10))
    for i in range(n * 6):
        t = i / (n * 6 - 1)
        pts.append(((x + w * t + w * 0.05 * math.sin(t * n * 6.28 + rng.random())) * sheet.px,
                    (y + h * 0.5 + h * 0.45 * math.sin(t * n * 3.1 + rng.uniform(0, 0.6))) * sheet.px))
    sheet.draw.line(pts, fill=(20, 30, 80), width=max(1, int(sheet.px * 0.25)), joint="curve")


def _barcode(sheet, x, y, w, h):
    rng = sheet.rng
    xx = x
    while xx < x + w:
        bw = float(rng.choice([0.25, 0.5, 0.75])) * 0.6
        if rng.random() < 0.55:
            sheet.draw.rectangle([xx * sheet.px, y * sheet.px, (xx + bw) * sheet.px, (y + h) * sheet.px], fill=(25, 25, 25))
        xx += bw


def render_mrz(sheet, lines, w_mm, h_mm, pv, holo=None):
    """Prints the MRZ at the bottom with the print variation `pv` (dict); returns its box in mm."""
    rng, px = sheet.rng, sheet.px
    n = len(lines[0])
    cap = pv["cap_mm"]
    em_px = cap / OCRB_CAP_EM * px
    f = fonts.font(pv["ocrb"], em_px)
    pitch = MRZ_PITCH_MM * pv["pitch_scale"]
    left = (w_mm - n * pitch) / 2 + pv["left_mm"]
    bottom_base = h_mm - pv["bottom_mm"]
    nl = len(lines)
    top_mm = bottom_base - (nl - 1) * MRZ_LINE_MM * pv["line_scale"] - cap - 1.0
    # Work in a strip covering the MRZ, at full resolution.
    x0, y0 = max(0, int((left - 3) * px)), max(0, int(top_mm * px))
    x1, y1 = min(sheet.img.width, int((left + n * pitch + 3) * px)), min(sheet.img.height, int((bottom_base + 2.0) * px))
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    d = ImageDraw.Draw(mask)
    for r, line in enumerate(lines):
        base = bottom_base - (nl - 1 - r) * MRZ_LINE_MM * pv["line_scale"]
        dx_row = rng.normal(0, pv["row_shift_mm"])
        tilt = rng.normal(0, pv["row_tilt_deg"]) * math.pi / 180
        wob_amp, wob_len, wob_ph = pv["wobble_mm"], rng.uniform(15, 60), rng.uniform(0, 6.28)
        for i, ch in enumerate(line):
            cx = left + dx_row + i * pitch + rng.normal(0, pv["jitter_mm"])
            cy = base + (cx - left) * math.tan(tilt) + wob_amp * math.sin(cx / wob_len * 6.28 + wob_ph) + rng.normal(0, pv["jitter_mm"] * 0.6)
            d.text(((cx - x0 / px) * px, (cy - y0 / px) * px), ch, font=f, fill=255, anchor="ls")
    # Stroke weight: blur, then re-threshold at a level below (bolder) or above (thinner) one half.
    r_w = max(0.6, pv["weight_blur_mm"] * px)
    m = np.asarray(mask.filter(ImageFilter.GaussianBlur(r_w)), np.float32) / 255.0
    ramp = max(0.04, 0.5 / r_w)
    m = np.clip((m - pv["threshold"]) / ramp + 0.5, 0, 1)
    if pv["bleed_mm"] > 0:
        m = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(max(0.3, pv["bleed_mm"] * px))), np.float32) / 255.0
        m = np.clip(m * 1.15, 0, 1)
    if pv["grain"] > 0:
        m *= 1.0 - pv["grain"] * rng.random(m.shape, dtype=np.float32)
    strip = np.asarray(sheet.img.crop((x0, y0, x1, y1)), np.float32)
    ink = np.asarray(pv["ink"], np.float32)
    strip = strip * (1 - m[..., None]) + ink * m[..., None]
    if holo is not None:  # the laminate lies over the ink too
        hue, alpha, _ = holo
        hh, hw = alpha.shape
        sx0, sy0 = x0 / sheet.img.width * hw, y0 / sheet.img.height * hh
        sx1, sy1 = x1 / sheet.img.width * hw, y1 / sheet.img.height * hh
        box = (int(sx0), int(sy0), min(hw, int(math.ceil(sx1)) + 1), min(hh, int(math.ceil(sy1)) + 1))
        hs = Image.fromarray((hue * 255).astype(np.uint8), "RGB").crop(box).resize((x1 - x0, y1 - y0), Image.BILINEAR)
        al = Image.fromarray((alpha * 255).astype(np.uint8), "L").crop(box).resize((x1 - x0, y1 - y0), Image.BILINEAR)
        a = np.asarray(al, np.float32)[..., None] / 255.0
        strip = strip * (1 - a) + np.asarray(hs, np.float32) * a
    sheet.img.paste(Image.fromarray(np.clip(strip, 0, 255, out=strip).astype(np.uint8), "RGB"), (x0, y0))
    return [left, top_mm, left + n * pitch, bottom_base + 0.8]


def print_variation(rng, severity, split):
    """How the MRZ was printed. Hard documents vary more (older printers, worn laser engraving)."""
    hard = severity != "mild"
    ocrb = "OCRB.otf"
    if split == "holdout" and rng.random() < 0.5:
        ocrb = "OCRBS.otf"  # a second digitisation of OCR-B (sharp joins): issuers' OCR-B differ slightly
    engraved = rng.random() < 0.35
    ink = (np.array([60, 60, 62]) + rng.normal(0, 8, 3)) if engraved else (np.array([22, 22, 26]) + rng.normal(0, 10, 3))
    return {
        "ocrb": ocrb,
        "cap_mm": float(rng.uniform(2.25, 2.6)),
        "pitch_scale": float(1 + rng.uniform(-0.035, 0.035) * (1.0 if hard else 0.5)),
        "line_scale": float(rng.uniform(0.93, 1.05)),
        "left_mm": float(rng.normal(0, 0.6)),
        "bottom_mm": 0.0,  # set per kind
        "row_shift_mm": float(0.35 if hard else 0.12),
        "row_tilt_deg": float(0.35 if hard else 0.1),
        "wobble_mm": float(rng.uniform(0.0, 0.16 if hard else 0.06)),
        "jitter_mm": float(0.06 if hard else 0.025),
        "weight_blur_mm": float(rng.uniform(0.04, 0.08)),
        "threshold": float(rng.uniform(0.25, 0.72) if hard else rng.uniform(0.36, 0.62)),
        "bleed_mm": float(rng.uniform(0.0, 0.07 if hard else 0.03)),
        "grain": float(rng.uniform(0.0, 0.35 if engraved else 0.15)),
        "ink": [float(v) for v in np.clip(ink, 0, 120)],
        "engraved": bool(engraved),
    }


def make_style(rng, split):
    serif = split == "holdout" and rng.random() < 0.6
    return {
        "label_font": pick(rng, ["DejaVuSansCondensed.ttf", "DejaVuSans.ttf"] if not serif else ["DejaVuSerifCondensed.ttf", "DejaVuSerif.ttf"]),
        "value_font": pick(rng, ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"] if not serif else
                           ["DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"]),
        "title_font": pick(rng, ["DejaVuSans-Bold.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"]),
        "label_ink": pick(rng, INKS_DARK),
        "value_ink": tuple(int(v) for v in rng.integers(5, 45, 3)),
        "face": "soft" if split == "tune" else "cut",
    }


def render(rng, h, lines, px, severity, split):
    """The document side that carries the MRZ, printed at px pixels per mm. Returns (RGB image, its shape as an
    L mask with the rounded corners, info)."""
    kind = h["kind"]
    w_mm, h_mm = SIZE_MM[kind]
    style = make_style(rng, split)
    holo = hologram(rng, int(w_mm * 6), int(h_mm * 6), 6.0)
    bg = background(rng, w_mm, h_mm, px, holo)
    sheet = Sheet(bg, px, rng, style)
    pv = print_variation(rng, severity, split)
    date_fmt = int(rng.integers(0, 4))
    sex_vz = {"M": "M", "F": "F", "<": "X"}[h["sex"]]
    title = pick(rng, TITLES[kind])
    ink_title = style["label_ink"]
    grey_face = pv["engraved"] or rng.random() < 0.3
    if kind == "TD3":
        if rng.random() < 0.5:
            band = Image.new("RGB", (int(w_mm * px), int(9 * px)), tuple(int(c * 0.25 + 190) for c in ink_title))
            sheet.img.paste(band, (0, int(1.5 * px)))
        sheet.text(5, 7.2, h["country_name"].upper(), style["title_font"], 2.6, ink_title, fit_mm=w_mm / 2 - 8)
        sheet.text(w_mm - 5, 7.2, title, style["title_font"], 2.2, ink_title, anchor="rs", fit_mm=w_mm / 2 - 8)
        pw, ph = 32.0, 41.0
        portrait = face.portrait(rng, int(pw * px), int(ph * px), style["face"], grey=grey_face)
        sheet.paste(portrait, 4.5, 12.5)
        x, y = 41.0, 13.0
        sheet.field(x, y, "Type / Type", h["doc_code"].rstrip("<"))
        sheet.field(x + 22, y, "Code / Code", h["issuing"].replace("<", ""))
        sheet.field(x + 46, y, "Passport No. / N° du passeport", h["number"], value_font="DejaVuSans-Bold.ttf")
        rows = [("Surname / Nom", h["surname"].upper()), ("Given names / Prénoms", h["given"].upper() or "—"),
                ("Nationality / Nationalité", h["country_name"].upper() if h["nationality"] == h["issuing"] else h["nationality"].replace("<", "")),
                ("Date of birth / Date de naissance", date_text(h["birth"], date_fmt))]
        for i, (lab, val) in enumerate(rows):
            sheet.field(x, y + 6.3 * (i + 1), lab, val)
        sheet.field(x + 50, y + 6.3 * 4, "Sex / Sexe", sex_vz)
        sheet.field(x + 62, y + 6.3 * 4, "Place of birth / Lieu de naissance", pick(rng, CITIES))
        sheet.field(x, y + 6.3 * 5, "Date of issue / Date de délivrance", date_text(h["issue"], date_fmt))
        sheet.field(x + 45, y + 6.3 * 5, "Authority / Autorité", pick(rng, CITIES))
        sheet.field(x, y + 6.3 * 6, "Date of expiry / Date d'expiration", date_text(h["expiry"], date_fmt))
        sheet.text(x + 45, y + 6.3 * 6, "Holder's signature / Signature du titulaire", style["label_font"], 1.2, style["label_ink"])
        _signature(sheet, x + 46, y + 6.3 * 6 + 0.8, 28, 5)
        if rng.random() < 0.6:
            ghost = portrait.convert("L").resize((int(16 * px), int(20 * px)), Image.BILINEAR).convert("RGB")
            ghost = Image.blend(sheet.img.crop((int(104 * px), int(36 * px), int(104 * px) + ghost.width, int(36 * px) + ghost.height)), ghost, 0.28)
            sheet.paste(ghost, 104, 36)
        pv["bottom_mm"] = float(rng.uniform(4.3, 6.2))
    elif kind == "TD2":
        sheet.text(4, 6.0, h["country_name"].upper(), style["title_font"], 2.2, ink_title, fit_mm=w_mm / 2 - 7)
        sheet.text(w_mm - 4, 6.0, title, style["title_font"], 1.8, ink_title, anchor="rs", fit_mm=w_mm / 2 - 7)
        portrait = face.portrait(rng, int(25 * px), int(32 * px), style["face"], grey=grey_face)
        sheet.paste(portrait, 4, 9.5)
        x, y = 32.0, 9.5
        sheet.field(x, y, "Surname / Nom", h["surname"].upper(), value_cap=2.0)
        sheet.field(x, y + 5.8, "Given names / Prénoms", h["given"].upper() or "—", value_cap=2.0)
        sheet.field(x, y + 11.6, "Sex", sex_vz, value_cap=2.0)
        sheet.field(x + 12, y + 11.6, "Nationality", h["nationality"].replace("<", ""), value_cap=2.0)
        sheet.field(x + 36, y + 11.6, "Date of birth", date_text(h["birth"], date_fmt), value_cap=2.0)
        sheet.field(x, y + 17.4, "Document No.", h["number"], value_cap=2.0, value_font="DejaVuSans-Bold.ttf")
        sheet.field(x + 36, y + 17.4, "Date of expiry", date_text(h["expiry"], date_fmt), value_cap=2.0)
        sheet.text(x, y + 26.5, "Signature", style["label_font"], 1.1, style["label_ink"])
        _signature(sheet, x + 12, y + 24, 24, 4.5)
        pv["bottom_mm"] = float(rng.uniform(3.8, 5.5))
    else:  # TD1 back
        sheet.text(4, 5.5, title, style["title_font"], 1.9, ink_title)
        y = 10.0
        addr = f"{int(rng.integers(1, 300))} {pick(rng, ['RUE DES LILAS', 'HAUPTSTRASSE', 'MAIN STREET', 'CALLE MAYOR', 'VIA ROMA', 'ULICA DŁUGA'])}"
        sheet.field(4, y, "Address / Adresse", addr, value_cap=1.8)
        sheet.text(4, y + 6.0, f"{int(rng.integers(10000, 99999))} {pick(rng, CITIES)}", style["value_font"], 1.8, style["value_ink"])
        sheet.field(4, y + 9.5, "Height / Taille", f"{int(rng.integers(150, 200))} cm", value_cap=1.8)
        sheet.field(26, y + 9.5, "Eyes / Yeux", pick(rng, ["BROWN", "BLUE", "GREEN", "GREY"]), value_cap=1.8)
        sheet.field(4, y + 15.5, "Authority / Autorité", pick(rng, CITIES), value_cap=1.8)
        sheet.field(40, y + 15.5, "Date of issue", date_text(h["issue"], date_fmt), value_cap=1.8)
        r = rng.random()
        if r < 0.45:
            _barcode(sheet, 50, 3.5, 31, 9)
        elif r < 0.8:
            portrait = face.portrait(rng, int(14 * px), int(18 * px), style["face"], grey=True)
            ghost = Image.blend(sheet.img.crop((int(66 * px), int(8 * px), int(66 * px) + portrait.width, int(8 * px) + portrait.height)), portrait, 0.35)
            sheet.paste(ghost, 66, 8)
        pv["bottom_mm"] = float(rng.uniform(3.0, 4.4))
    mrz_box = render_mrz(sheet, lines, w_mm, h_mm, pv, holo)
    img = sheet.img
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, img.width - 1, img.height - 1], radius=CORNER_RADIUS_MM[kind] * px, fill=255)
    info = {"size_mm": [w_mm, h_mm], "px_per_mm": px, "mrz_box_mm": [round(v, 2) for v in mrz_box], "print": pv, "style": style,
            "hologram": None if holo is None else round(holo[2], 3), "grey_portrait": bool(grey_face)}
    return img, mask, info

#!/usr/bin/env python3
"""Scores `passport-vault scan` output against a generated set's truth. Standard library only, and independent
of the recognizer's code.

    python3 tools/mrz-photos/score.py --truth DIR/truth.json [--truth DIR2/truth.json] --results results.json [--json]

results.json is exactly what `passport-vault scan FILE...` prints: {"results": [{"file", "status", "kind", "mrz",
"fields", "confirm", "values", "ms"}, ...]}, optionally with "corners": [[x, y] x 4] (photo pixels, clockwise from
the document's top-left as printed). Results are matched to the truth by file name (basename). Several --results
files may be given (e.g. one per batch).

Per group (all, each severity, each kind, each severity x kind) it reports:
  docs          photos in the truth
  all_right     status ok or confirm and all eight fields equal to the truth
  wrong_silent  fields whose value differs from the truth and is not listed in `confirm` (the goal is 0), and the
                number of documents with at least one
  wrong_flagged fields that differ but are listed in `confirm` (what confirmation is for)
  not_found, error, missing (no result for the photo), ok, confirm
  ms            median and max of the results' `ms`
  corners       photos with the whole card visible whose four corners are all within --corner-tol (default 2%) of
                the card's diagonal (best of the four cyclic orders; `oriented` = in the right order)
Field comparison: dates, sex and names exactly (names with runs of spaces collapsed); document_number, nationality
and issuing_country after stripping trailing `<` on both sides (so `D<<` equals `D`).
"""
import argparse
import json
import math
import os
import statistics
import sys

FIELDS = ("document_number", "surname", "given_names", "nationality", "birth_date", "sex", "expiry_date", "issuing_country")
CODES = ("document_number", "nationality", "issuing_country")
NAMES = ("surname", "given_names")


def norm(field, value):
    if value is None:
        return None
    v = str(value).strip()
    if field in CODES:
        return v.rstrip("<").strip()
    if field in NAMES:
        return " ".join(v.split())
    return v


def diag(q):
    return max(math.dist(q[0], q[2]), math.dist(q[1], q[3]))


def corners_match(truth_q, found_q, tol):
    """(found, oriented): all four corners within tol x diagonal, for the best cyclic order / the given order."""
    if not isinstance(found_q, list) or len(found_q) != 4:
        return False, False
    try:
        f = [(float(p[0]), float(p[1])) for p in found_q]
    except (TypeError, ValueError, IndexError):
        return False, False
    lim = tol * diag(truth_q)
    found = oriented = False
    for r in range(4):
        ok = all(math.dist(truth_q[i], f[(i + r) % 4]) <= lim for i in range(4))
        if ok:
            found = True
            oriented = oriented or r == 0
    return found, oriented


def judge(photo, result, tol):
    """One photo's verdict."""
    v = {"wrong_silent": 0, "wrong_flagged": 0, "all_right": False, "status": "missing", "ms": None, "corners": None, "oriented": None,
         "mrz_chars": 0, "mrz_chars_right": 0, "wrong_fields": []}
    if photo.get("whole_card_visible"):
        v["corners"] = False
        v["oriented"] = False
    if result is None:
        v["mrz_chars"] = sum(len(line) for line in photo["mrz"])
        return v
    status = result.get("status")
    v["status"] = status if status in ("ok", "confirm", "not_found", "error") else "error"
    ms = result.get("ms")
    if isinstance(ms, (int, float)) and math.isfinite(ms):
        v["ms"] = float(ms)
    if photo.get("whole_card_visible") and "corners" in result and result["corners"] is not None:
        v["corners"], v["oriented"] = corners_match(photo["corners"], result["corners"], tol)
    if v["status"] in ("ok", "confirm"):
        fields = result.get("fields") or {}
        confirm = set(result.get("confirm") or [])
        right = 0
        for name in FIELDS:
            if norm(name, fields.get(name)) == norm(name, photo["fields"][name]):
                right += 1
            elif name in confirm:
                v["wrong_flagged"] += 1
                v["wrong_fields"].append(name + " (flagged)")
            else:
                v["wrong_silent"] += 1
                v["wrong_fields"].append(name)
        v["all_right"] = right == len(FIELDS)
    mrz = result.get("mrz")
    if isinstance(mrz, list):
        for t_line, r_line in zip(photo["mrz"], mrz):
            r_line = str(r_line)
            v["mrz_chars"] += len(t_line)
            v["mrz_chars_right"] += sum(1 for a, b in zip(t_line, r_line) if a == b)
        for t_line in photo["mrz"][len(mrz):]:
            v["mrz_chars"] += len(t_line)
    else:
        v["mrz_chars"] += sum(len(line) for line in photo["mrz"])
    return v


def summarise(verdicts):
    n = len(verdicts)
    ms = [v["ms"] for v in verdicts if v["ms"] is not None]
    cv = [v for v in verdicts if v["corners"] is not None]
    count = lambda pred: sum(1 for v in verdicts if pred(v))
    chars = sum(v["mrz_chars"] for v in verdicts)
    return {
        "docs": n,
        "all_right": count(lambda v: v["all_right"]),
        "all_right_pct": round(100.0 * count(lambda v: v["all_right"]) / n, 2) if n else None,
        "wrong_silent_fields": sum(v["wrong_silent"] for v in verdicts),
        "wrong_silent_docs": count(lambda v: v["wrong_silent"] > 0),
        "wrong_flagged_fields": sum(v["wrong_flagged"] for v in verdicts),
        "ok": count(lambda v: v["status"] == "ok"),
        "confirm": count(lambda v: v["status"] == "confirm"),
        "not_found": count(lambda v: v["status"] == "not_found"),
        "error": count(lambda v: v["status"] == "error"),
        "missing": count(lambda v: v["status"] == "missing"),
        "ms_median": round(statistics.median(ms), 1) if ms else None,
        "ms_max": round(max(ms), 1) if ms else None,
        "corner_docs": len(cv),
        "corners_found": sum(1 for v in cv if v["corners"]),
        "corners_pct": round(100.0 * sum(1 for v in cv if v["corners"]) / len(cv), 2) if cv else None,
        "corners_oriented": sum(1 for v in cv if v["oriented"]),
        "mrz_char_accuracy_pct": round(100.0 * sum(v["mrz_chars_right"] for v in verdicts) / chars, 2) if chars else None,
    }


def load_results(paths):
    by_name = {}
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
            raise ValueError(f"{path}: expected {{\"results\": [...]}}")
        for r in doc["results"]:
            if not isinstance(r, dict) or "file" not in r:
                raise ValueError(f"{path}: a result without \"file\"")
            by_name[os.path.basename(str(r["file"]))] = r
    return by_name


def score(truth_docs, results_by_name, tol=0.02):
    groups = {}
    per_photo = []
    has_corners = any("corners" in r for r in results_by_name.values())
    for t in truth_docs:
        for photo in t["photos"]:
            v = judge(photo, results_by_name.get(photo["file"]), tol)
            if not has_corners:
                v["corners"] = v["oriented"] = None
            per_photo.append((photo, v))
            for key in ("all", photo["severity"], photo["kind"], f"{photo['severity']}/{photo['kind']}"):
                groups.setdefault(key, []).append(v)
    order = ["all"] + sorted(k for k in groups if k != "all" and "/" not in k and not k.startswith("TD")) + \
        sorted(k for k in groups if k.startswith("TD")) + sorted(k for k in groups if "/" in k)
    summary = {k: summarise(groups[k]) for k in order}
    failures = [{"file": p["file"], "severity": p["severity"], "kind": p["kind"], "status": v["status"], "wrong_fields": v["wrong_fields"]}
                for p, v in per_photo if not v["all_right"]]
    return {"groups": summary, "has_corners": has_corners, "corner_tolerance": tol, "failures": failures}


def table(report):
    cols = [("group", 12), ("docs", 5), ("all right", 10), ("wrong silent", 13), ("flagged", 8), ("ok", 5), ("confirm", 8),
            ("not_found", 10), ("error", 6), ("missing", 8), ("ms med", 8), ("ms max", 8), ("corners", 16), ("mrz chars", 10)]
    lines = ["  ".join(name.rjust(w) if i else name.ljust(w) for i, (name, w) in enumerate(cols))]
    for k, s in report["groups"].items():
        pct = "-" if s["all_right_pct"] is None else f"{s['all_right_pct']:.1f}%"
        corners = "-" if s["corners_pct"] is None else f"{s['corners_pct']:.1f}% of {s['corner_docs']}"
        row = [k, str(s["docs"]), pct, f"{s['wrong_silent_fields']} in {s['wrong_silent_docs']}", str(s["wrong_flagged_fields"]), str(s["ok"]),
               str(s["confirm"]), str(s["not_found"]), str(s["error"]), str(s["missing"]),
               "-" if s["ms_median"] is None else f"{s['ms_median']:.0f}", "-" if s["ms_max"] is None else f"{s['ms_max']:.0f}", corners,
               "-" if s["mrz_char_accuracy_pct"] is None else f"{s['mrz_char_accuracy_pct']:.1f}%"]
        lines.append("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, (_, w)) in enumerate(zip(row, cols))))
    if not report["has_corners"]:
        lines.append("(no result carries \"corners\": corner detection not scored)")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Scores passport-vault scan results against a generated set's truth.")
    ap.add_argument("--truth", action="append", required=True, help="truth.json of a set (repeatable)")
    ap.add_argument("--results", action="append", required=True, help="stdout of `passport-vault scan` (repeatable)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--corner-tol", type=float, default=0.02, help="corner tolerance as a fraction of the card's diagonal")
    ap.add_argument("--failures", action="store_true", help="also list the photos not read entirely right")
    a = ap.parse_args(argv)
    try:
        truths = []
        for p in a.truth:
            with open(p) as f:
                truths.append(json.load(f))
        results = load_results(a.results)
    except (OSError, ValueError) as e:
        print(f"score.py: {e}", file=sys.stderr)
        return 2
    report = score(truths, results, a.corner_tol)
    known = {p["file"] for t in truths for p in t["photos"]}
    report["unmatched_results"] = sorted(n for n in results if n not in known)
    if a.json:
        if not a.failures:
            report.pop("failures")
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print(table(report))
        if report["unmatched_results"]:
            print(f"{len(report['unmatched_results'])} result(s) match no photo in the truth, e.g. {report['unmatched_results'][0]}")
        if a.failures:
            for f in report["failures"]:
                print(f"  {f['file']} {f['severity']} {f['kind']} {f['status']} {' '.join(f['wrong_fields'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Unit tests of the photo set's MRZ code, generator and scorer (python3 -m unittest, from any directory).
Run by tools/mrz-photos/mrz-photos.test.ts in the project's test runner."""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mrz  # noqa: E402
import score  # noqa: E402


class CheckDigits(unittest.TestCase):
    def test_doc_9303_examples(self):
        # Doc 9303 part 3, §4.9: the worked example and the specimen documents' fields.
        self.assertEqual(mrz.check_digit("520727"), "3")
        self.assertEqual(mrz.check_digit("L898902C3"), "6")
        self.assertEqual(mrz.check_digit("740812"), "2")
        self.assertEqual(mrz.check_digit("120415"), "9")
        self.assertEqual(mrz.check_digit("ZE184226B<<<<<"), "1")
        self.assertEqual(mrz.check_digit("D23145890"), "7")
        self.assertEqual(mrz.check_digit("<<<<<<<<<"), "0")

    def test_td3_specimen(self):
        lines = mrz.td3("P", "UTO", ["ERIKSSON"], ["ANNA", "MARIA"], "L898902C3", "UTO", "740812", "F", "120415", "ZE184226B")
        self.assertEqual(lines, ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
        mrz.validate("TD3", lines)

    def test_td1_specimen(self):
        lines = mrz.td1("I", "UTO", ["ERIKSSON"], ["ANNA", "MARIA"], "D23145890", "UTO", "740812", "F", "120415")
        self.assertEqual(lines, ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"])
        mrz.validate("TD1", lines)

    def test_td1_long_document_number(self):
        # Doc 9303 part 5: a number longer than 9 characters continues in the optional data, with `<` in the
        # check digit's place and its own check digit after the continuation.
        lines = mrz.td1("I", "UTO", ["STEVENSON"], ["PETER", "JOHN"], "D23145890734", "UTO", "340712", "M", "950712")
        self.assertEqual(lines, ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"])
        mrz.validate("TD1", lines)
        self.assertEqual(mrz.fields("TD1", lines)["document_number"], "D23145890734")

    def test_td2_specimen(self):
        lines = mrz.td2("I", "UTO", ["ERIKSSON"], ["ANNA", "MARIA"], "D23145890", "UTO", "740812", "F", "120415")
        self.assertEqual(lines, ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"])
        mrz.validate("TD2", lines)

    def test_validate_rejects_a_changed_digit(self):
        bad = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204158ZE184226B<<<<<10"]
        with self.assertRaises(ValueError):
            mrz.validate("TD3", bad)


class Fields(unittest.TestCase):
    def test_fields_as_printed(self):
        lines = mrz.td3("P", "D<<", ["MUELLER"], ["KARL", "HEINZ"], "C01X00T4", "D<<", "640812", "<", "300101")
        f = mrz.fields("TD3", lines)
        self.assertEqual(f, {"document_number": "C01X00T4", "surname": "MUELLER", "given_names": "KARL HEINZ", "nationality": "D<<",
                             "birth_date": "640812", "sex": "<", "expiry_date": "300101", "issuing_country": "D<<"})

    def test_truncation(self):
        field = mrz.name_field(["WOLFESCHLEGELSTEINHAUSEN"], ["ALEXANDER", "MAXIMILIAN", "FRIEDRICH"], 30)
        self.assertEqual(field, "WOLFESCHLEGELSTEINHAUSEN<<ALEX")
        lines = mrz.td1("I", "UTO", ["WOLFESCHLEGELSTEINHAUSEN"], ["ALEXANDER"], "123456789", "UTO", "010101", "M", "310101")
        self.assertEqual(mrz.fields("TD1", lines)["given_names"], "ALEX")
        # A surname longer than the field leaves no room for given names.
        self.assertEqual(mrz.name_field(["A" * 40], ["BOB"], 30), "A" * 30)

    def test_only_a_primary_identifier(self):
        lines = mrz.td1("I", "UTO", ["ISMAIL"], [], "123456789", "UTO", "010101", "M", "310101")
        self.assertEqual(lines[2], "ISMAIL" + "<" * 24)
        self.assertEqual(mrz.fields("TD1", lines)["given_names"], "")

    def test_transliteration(self):
        import identity

        self.assertEqual(identity.to_mrz_parts("Müller"), ["MUELLER"])
        self.assertEqual(identity.to_mrz_parts("O'Brien"), ["OBRIEN"])
        self.assertEqual(identity.to_mrz_parts("Jean-Pierre"), ["JEAN", "PIERRE"])
        self.assertEqual(identity.to_mrz_parts("Ó Súilleabháin"), ["O", "SUILLEABHAIN"])
        self.assertEqual(identity.to_mrz_parts("Østergaard"), ["OESTERGAARD"])

    def test_random_holders_give_valid_zones_and_fields(self):
        import numpy as np

        import identity

        rng = np.random.default_rng(7)
        seen_long = seen_filler = 0
        for i in range(600):
            kind = ("TD1", "TD2", "TD3")[i % 3]
            h = identity.holder(rng, kind)
            lines = identity.mrz_lines(h)  # validates
            f = mrz.fields(kind, lines)
            self.assertEqual(f["document_number"], h["number"])
            self.assertEqual(f["birth_date"], h["birth"].strftime("%y%m%d"))
            self.assertEqual(f["issuing_country"], h["issuing"])
            self.assertNotIn("<", f["surname"] + f["given_names"])
            self.assertEqual(f["surname"], " ".join(f["surname"].split()))
            seen_long += len(h["number"]) > 9
            seen_filler += len(h["number"]) < 9
        self.assertGreater(seen_long, 10)
        self.assertGreater(seen_filler, 30)


def _photo(name, severity="mild", kind="TD3", visible=True, corners=None):
    lines = mrz.td3("P", "D<<", ["MUELLER"], ["ANNA"], "C01X00T4", "D<<", "640812", "F", "300101")
    return {"file": name, "kind": kind, "severity": severity, "mrz": lines, "fields": mrz.fields("TD3", lines),
            "corners": corners or [[100, 100], [900, 120], [880, 700], [90, 680]], "whole_card_visible": visible}


class Scorer(unittest.TestCase):
    def setUp(self):
        self.truth = {"photos": [_photo("a.jpg"), _photo("b.jpg", "hard"), _photo("c.jpg", "hard", "TD1"), _photo("d.jpg", visible=False),
                                 _photo("e.jpg")]}
        right = dict(self.truth["photos"][0]["fields"])
        wrong = dict(right, birth_date="640817", nationality="D")
        self.results = {
            # right, and the corners given from the photo's bottom-right (an upside-down reading): found, not oriented
            "a.jpg": {"file": "/x/a.jpg", "status": "ok", "fields": dict(right, nationality="D", issuing_country="D"), "confirm": [], "ms": 400,
                      "corners": [[881, 699], [91, 681], [101, 99], [899, 121]], "mrz": self.truth["photos"][0]["mrz"]},
            # a wrong date, flagged; `D` for `D<<` is no error
            "b.jpg": {"file": "b.jpg", "status": "confirm", "fields": wrong, "confirm": ["birth_date"], "ms": 900, "corners": [[100, 100], [900, 120], [880, 700], [90, 680]]},
            # the same wrong date, not flagged: one silent error; corners 40 px off (> 2% of ~1000) are not found
            "c.jpg": {"file": "c.jpg", "status": "ok", "fields": wrong, "confirm": [], "ms": 700, "corners": [[140, 100], [900, 120], [880, 700], [90, 680]]},
            "d.jpg": {"file": "d.jpg", "status": "not_found", "ms": 1200},
        }

    def test_counts(self):
        rep = score.score([self.truth], self.results)
        g = rep["groups"]["all"]
        self.assertEqual(g["docs"], 5)
        self.assertEqual(g["all_right"], 1)
        self.assertEqual(g["wrong_silent_fields"], 1)
        self.assertEqual(g["wrong_silent_docs"], 1)
        self.assertEqual(g["wrong_flagged_fields"], 1)
        self.assertEqual((g["ok"], g["confirm"], g["not_found"], g["error"], g["missing"]), (2, 1, 1, 0, 1))
        self.assertEqual(g["ms_median"], 800)
        self.assertEqual(g["ms_max"], 1200)
        # corners: over the 4 photos with the whole card visible (d is not); a found (reversed order), b found, c off, e missing
        self.assertEqual((g["corner_docs"], g["corners_found"], g["corners_oriented"]), (4, 2, 1))
        self.assertEqual(rep["groups"]["hard"]["wrong_silent_fields"], 1)
        self.assertEqual(rep["groups"]["TD1"]["docs"], 1)
        self.assertEqual(rep["groups"]["mild/TD3"]["docs"], 3)
        self.assertEqual(g["mrz_char_accuracy_pct"], 20.0)  # only a.jpg gave its lines

    def test_no_corners_anywhere_means_not_scored(self):
        for r in self.results.values():
            r.pop("corners", None)
        rep = score.score([self.truth], self.results)
        self.assertIsNone(rep["groups"]["all"]["corners_pct"])
        self.assertFalse(rep["has_corners"])

    def test_corner_order(self):
        q = [[0, 0], [100, 0], [100, 60], [0, 60]]
        self.assertEqual(score.corners_match(q, [[100, 60], [0, 60], [0, 0], [100, 0]], 0.02), (True, False))
        self.assertEqual(score.corners_match(q, q, 0.02), (True, True))
        # anticlockwise is not a cyclic order of the truth
        self.assertEqual(score.corners_match(q, [[0, 0], [0, 60], [100, 60], [100, 0]], 0.02), (False, False))
        self.assertEqual(score.corners_match(q, "nonsense", 0.02), (False, False))

    def test_cli_json(self):
        with tempfile.TemporaryDirectory() as d:
            tp, rp = os.path.join(d, "truth.json"), os.path.join(d, "results.json")
            with open(tp, "w") as f:
                json.dump(self.truth, f)
            with open(rp, "w") as f:
                json.dump({"results": list(self.results.values())}, f)
            out = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--truth", tp, "--results", rp, "--json"],
                                 capture_output=True, text=True, check=True).stdout
            rep = json.loads(out)
            self.assertEqual(rep["groups"]["all"]["wrong_silent_fields"], 1)
            table = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--truth", tp, "--results", rp],
                                   capture_output=True, text=True, check=True).stdout
            self.assertIn("all", table.splitlines()[1])
            bad = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--truth", tp, "--results", tp], capture_output=True, text=True)
            self.assertEqual(bad.returncode, 2)


class Generator(unittest.TestCase):
    def test_deterministic_and_consistent(self):
        with tempfile.TemporaryDirectory() as d:
            runs = []
            for sub in ("one", "two"):
                out = os.path.join(d, sub)
                subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", out, "--count", "2", "--seed", "3", "--split", "holdout",
                                "--sizes", "1600x1200", "--quiet"], check=True)
                with open(os.path.join(out, "truth.json")) as f:
                    truth = json.load(f)
                blobs = []
                for p in truth["photos"]:
                    with open(os.path.join(out, p["file"]), "rb") as f:
                        blobs.append(f.read())
                for p in truth["photos"]:
                    p.pop("ms")
                truth.pop("seconds")
                runs.append((truth, blobs))
            self.assertEqual(runs[0][0], runs[1][0])
            self.assertEqual(runs[0][1], runs[1][1])
            truth = runs[0][0]
            self.assertEqual([p["severity"] for p in truth["photos"]], ["mild", "hard"])
            for p, blob in zip(truth["photos"], runs[0][1]):
                self.assertEqual(blob[:2], b"\xff\xd8")
                mrz.validate(p["kind"], p["mrz"])
                self.assertEqual(p["fields"], mrz.fields(p["kind"], p["mrz"]))
                self.assertEqual((p["width"], p["height"]), (1600, 1200))
                c = p["corners"]
                inside = all(0 <= x <= 1600 and 0 <= y <= 1200 for x, y in c)
                self.assertEqual(p["whole_card_visible"], inside)
                # Clockwise in image coordinates (y down): positive shoelace area.
                area = sum(c[i][0] * c[(i + 1) % 4][1] - c[(i + 1) % 4][0] * c[i][1] for i in range(4))
                self.assertGreater(area, 0)
                # The MRZ lies in the bottom part of the card: nearer the bottom edge (corners 2, 3) than the top.
                mq = p["mrz_quad"]
                mid = ((mq[0][0] + mq[2][0]) / 2, (mq[0][1] + mq[2][1]) / 2)
                top = ((c[0][0] + c[1][0]) / 2, (c[0][1] + c[1][1]) / 2)
                bottom = ((c[2][0] + c[3][0]) / 2, (c[2][1] + c[3][1]) / 2)
                self.assertLess(math.dist(mid, bottom), math.dist(mid, top))
            # Up to date: a second run with the same arguments does nothing.
            out = os.path.join(d, "one")
            before = os.stat(os.path.join(out, "truth.json")).st_mtime_ns
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", out, "--count", "2", "--seed", "3", "--split", "holdout",
                            "--sizes", "1600x1200", "--quiet"], check=True)
            self.assertEqual(os.stat(os.path.join(out, "truth.json")).st_mtime_ns, before)


if __name__ == "__main__":
    unittest.main()

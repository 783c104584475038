"""ICAO 9303 machine-readable zones: check digits, TD1/TD2/TD3 lines, and the fields as printed.

Written from the specification (Doc 9303 parts 3, 4, 5, 6), independently of the app's reader. Field values
follow `passport-vault scan`: dates YYMMDD, sex M/F/<, names with `<` turned into single spaces and trimmed,
document numbers without their trailing fillers (a TD1/TD2 number longer than 9 characters continues in the
optional data field, ending with its own check digit, which is not part of the value).
"""

LINE_LENGTH = {"TD1": 30, "TD2": 36, "TD3": 44}
LINE_COUNT = {"TD1": 3, "TD2": 2, "TD3": 2}
FIELDS = ("document_number", "surname", "given_names", "nationality", "birth_date", "sex", "expiry_date", "issuing_country")

_WEIGHTS = (7, 3, 1)


def char_value(c):
    if "0" <= c <= "9":
        return ord(c) - 48
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    raise ValueError(f"not an MRZ character: {c!r}")


def check_digit(text):
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


def pad(text, n):
    if len(text) > n:
        raise ValueError(f"{text!r} is longer than {n}")
    return text + "<" * (n - len(text))


def name_field(primary, secondary, n):
    """`PRIMARY<<SECONDARY` in n characters. Both are lists of name parts already transliterated to A-Z.
    Too long: the secondary identifier is cut first (never ending on a filler), then the primary (Doc 9303-3 §4.6)."""
    p = "<".join(primary)
    s = "<".join(secondary)
    if not s:
        return pad(p[:n], n)
    full = f"{p}<<{s}"
    if len(full) <= n:
        return pad(full, n)
    if len(p) + 3 <= n:
        cut = full[:n].rstrip("<")
        return pad(cut, n)
    return pad(p[:n], n)


def _doc_number_fields(number, optional, optional_len):
    """Document number (9), its check digit, and the optional field, with the long-number rule."""
    if len(number) <= 9:
        return pad(number, 9), check_digit(pad(number, 9)), pad(optional, optional_len)
    head, tail = number[:9], number[9:]
    cont = tail + check_digit(number)
    if optional:
        cont += "<" + optional
    return head, "<", pad(cont, optional_len)


def td3(doc_code, issuing, primary, secondary, number, nationality, birth, sex, expiry, personal="", personal_cd_filler=True):
    if len(number) > 9:
        raise ValueError("TD3 document numbers have at most 9 characters")
    l1 = pad(doc_code, 2) + issuing + name_field(primary, secondary, 39)
    num = pad(number, 9)
    pers = pad(personal, 14)
    pers_cd = "<" if (not personal and personal_cd_filler) else check_digit(pers)
    body = num + check_digit(num) + nationality + birth + check_digit(birth) + sex + expiry + check_digit(expiry) + pers + pers_cd
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return [l1, body + composite]


def td2(doc_code, issuing, primary, secondary, number, nationality, birth, sex, expiry, optional=""):
    l1 = pad(doc_code, 2) + issuing + name_field(primary, secondary, 31)
    num, num_cd, opt = _doc_number_fields(number, optional, 7)
    body = num + num_cd + nationality + birth + check_digit(birth) + sex + expiry + check_digit(expiry) + opt
    composite = check_digit(body[0:10] + body[13:20] + body[21:35])
    return [l1, body + composite]


def td1(doc_code, issuing, primary, secondary, number, nationality, birth, sex, expiry, optional1="", optional2=""):
    num, num_cd, opt1 = _doc_number_fields(number, optional1, 15)
    l1 = pad(doc_code, 2) + issuing + num + num_cd + opt1
    l2 = birth + check_digit(birth) + sex + expiry + check_digit(expiry) + nationality + pad(optional2, 11)
    composite = check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    return [l1, l2 + composite, name_field(primary, secondary, 30)]


def _names(field):
    primary, _, secondary = field.partition("<<")
    clean = lambda s: " ".join(part for part in s.split("<") if part)
    return clean(primary), clean(secondary)


def _long_number(head, cd, optional):
    """The document number, joining a TD1/TD2 continuation (the `<` in the check digit's place)."""
    if cd != "<" or not optional or optional[0] == "<":
        return head.rstrip("<")
    cont = optional.split("<", 1)[0]
    return head + cont[:-1]


def fields(kind, lines):
    """The eight fields as printed, from valid MRZ lines."""
    if kind in ("TD2", "TD3"):
        l1, l2 = lines
        surname, given = _names(l1[5:LINE_LENGTH[kind]])
        number = l2[0:9].rstrip("<") if kind == "TD3" else _long_number(l2[0:9], l2[9], l2[28:35])
        return {
            "document_number": number,
            "surname": surname,
            "given_names": given,
            "nationality": l2[10:13],
            "birth_date": l2[13:19],
            "sex": l2[20],
            "expiry_date": l2[21:27],
            "issuing_country": l1[2:5],
        }
    if kind == "TD1":
        l1, l2, l3 = lines
        surname, given = _names(l3)
        return {
            "document_number": _long_number(l1[5:14], l1[14], l1[15:30]),
            "surname": surname,
            "given_names": given,
            "nationality": l2[15:18],
            "birth_date": l2[0:6],
            "sex": l2[7],
            "expiry_date": l2[8:14],
            "issuing_country": l1[2:5],
        }
    raise ValueError(kind)


def validate(kind, lines):
    """Every check digit of the lines; raises ValueError on the first wrong one (the generator's self-check)."""
    n = LINE_LENGTH[kind]
    if len(lines) != LINE_COUNT[kind] or any(len(l) != n for l in lines):
        raise ValueError(f"{kind}: wrong shape {lines}")
    for l in lines:
        for c in l:
            char_value(c)

    def expect(text, cd, what, filler_ok=False):
        if filler_ok and cd == "<" and set(text) <= {"<"}:
            return
        if check_digit(text) != cd and not (filler_ok and cd in "<0" and set(text) <= {"<"}):
            raise ValueError(f"{kind}: {what} check digit {cd} for {text!r}, expected {check_digit(text)}")

    if kind == "TD3":
        l2 = lines[1]
        expect(l2[0:9], l2[9], "document number")
        expect(l2[13:19], l2[19], "birth date")
        expect(l2[21:27], l2[27], "expiry date")
        expect(l2[28:42], l2[42], "personal number", filler_ok=True)
        expect(l2[0:10] + l2[13:20] + l2[21:43], l2[43], "composite")
        return
    if kind == "TD2":
        l2 = lines[1]
        num_text, num_cd = l2[0:9], l2[9]
        opt = l2[28:35]
        body = l2
        birth, expiry = (13, 19), (21, 27)
        composite = (body[0:10] + body[13:20] + body[21:35], body[35])
    else:
        l1, l2 = lines[0], lines[1]
        num_text, num_cd = l1[5:14], l1[14]
        opt = l1[15:30]
        body = l2
        birth, expiry = (0, 6), (8, 14)
        composite = (l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    if num_cd == "<":
        cont = opt.split("<", 1)[0]
        if len(cont) < 2:
            raise ValueError(f"{kind}: long document number without continuation")
        expect(num_text + cont[:-1], cont[-1], "long document number")
    else:
        expect(num_text, num_cd, "document number")
    expect(body[birth[0]:birth[1]], body[birth[1]], "birth date")
    expect(body[expiry[0]:expiry[1]], body[expiry[1]], "expiry date")
    expect(composite[0], composite[1], "composite")

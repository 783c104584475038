"""Random holders and documents: names from many languages (printed with their diacritics in the visual zone,
transliterated per Doc 9303-3 in the MRZ), real ISO 3166-1 alpha-3 codes plus D<< and UTO, document numbers of
several shapes, dates across two centuries."""
import datetime
import unicodedata

# (surname parts, given names); a "|" inside a surname joins parts with a hyphen.
SURNAMES = [
    "Eriksson", "Müller", "Schmidt-Hoffmann", "García Márquez", "O'Brien", "Nguyễn", "Kowalczyk", "Van der Berg",
    "Papadopoulos", "Öztürk", "Jørgensen", "Åkesson", "Dubois", "Lefèvre", "Rossi", "Bianchi", "Ferreira da Silva",
    "Al-Hassan", "Ben Youssef", "Kim", "Li", "Wang", "Tanaka", "Yamamoto", "Singh", "Chatterjee", "Okonkwo", "Mensah",
    "Abubakar", "Ivanova", "Kuznetsov", "Horváth", "Nowak", "Dvořák", "Novák", "Smith", "Johnson", "MacDonald",
    "Fitzgerald-Montgomery", "De la Cruz", "Hernández", "Sánchez", "Ng", "Ó Súilleabháin", "Wolfeschlegelsteinhausen",
    "Vanderbilt", "Ruiz-Picasso", "Kalniņš", "Žukauskas", "Østergaard", "Weiß", "Çelik", "Yılmaz", "Haddad", "Cohen",
    "Levi", "Aydın", "Virtanen", "Mäkelä", "Korhonen", "Petrović", "Jovanović", "Popescu", "Ionescu", "Murphy",
    "Andersen", "Lindqvist", "Brown", "Tremblay", "Gagnon", "Pereira", "Santos", "Oliveira", "Costa", "Moreau",
    "Bergström", "Fernández de Córdoba y Mendoza", "Zhang", "Chen", "Liu", "Park", "Choi", "Sato", "Suzuki",
    "Mohammed", "Rahman", "Hussain", "Adeyemi", "Kariuki", "Mwangi", "Kovács", "Szabó", "Ng'ang'a", "X",
]
GIVEN = [
    "Anna", "Maria", "Peter", "John", "José Luis", "Jean-Pierre", "Zoë", "Chloé", "Björn", "Søren", "Jürgen", "Łukasz",
    "Małgorzata", "Ana Sofía", "Mohammed", "Fatima", "Aisha", "Wei", "Min-jun", "Hiroshi", "Yuki", "Priya", "Arjun",
    "Chinonso", "Kwame", "Olga", "Dmitri", "Ivan", "Tomáš", "Zuzana", "Emily", "James", "Oliver", "Charlotte",
    "Mary-Kate", "Seán", "Siobhán", "François", "Hélène", "Giulia", "Marco", "Luca", "Matteo", "Beatriz", "João",
    "Inês", "Ahmet", "Elif", "Mehmet", "Noa", "Yael", "Lea", "Jonas", "Mikko", "Aino", "Ana", "Nikola", "Ioana",
    "Andrei", "Liam", "Freya", "Astrid", "Karl-Heinz", "Hans", "Grete", "Ümit", "Çağla", "Nuño", "Ángel", "Sipho",
    "Thandiwe", "Bongani", "Raúl", "Lucía", "Pilar", "Minh", "Thi Hoa", "Kenji", "Sakura", "Ji-woo", "Xiaoming",
    "Alexander Maximilian Friedrich", "Marie Louise Charlotte Antoinette", "Abdulrahman", "Oluwaseun", "Gráinne",
]

# ISO 3166-1 alpha-3, with a country name printed in the header; D<< is Germany's MRZ code, UTO the ICAO specimen state.
COUNTRIES = [
    ("UTO", "Utopia"), ("D<<", "Bundesrepublik Deutschland"), ("GBR", "United Kingdom"), ("FRA", "République Française"),
    ("ITA", "Repubblica Italiana"), ("ESP", "Reino de España"), ("PRT", "República Portuguesa"), ("NLD", "Koninkrijk der Nederlanden"),
    ("BEL", "Royaume de Belgique"), ("CHE", "Confoederatio Helvetica"), ("AUT", "Republik Österreich"), ("POL", "Rzeczpospolita Polska"),
    ("CZE", "Česká republika"), ("SVK", "Slovenská republika"), ("HUN", "Magyarország"), ("SWE", "Konungariket Sverige"),
    ("NOR", "Kongeriket Norge"), ("DNK", "Kongeriget Danmark"), ("FIN", "Suomen Tasavalta"), ("EST", "Eesti Vabariik"),
    ("LVA", "Latvijas Republika"), ("LTU", "Lietuvos Respublika"), ("IRL", "Éire / Ireland"), ("GRC", "Hellenic Republic"),
    ("ROU", "România"), ("BGR", "Republic of Bulgaria"), ("HRV", "Republika Hrvatska"), ("SRB", "Republic of Serbia"),
    ("TUR", "Türkiye Cumhuriyeti"), ("UKR", "Ukraine"), ("USA", "United States of America"), ("CAN", "Canada"),
    ("MEX", "Estados Unidos Mexicanos"), ("BRA", "República Federativa do Brasil"), ("ARG", "República Argentina"),
    ("CHL", "República de Chile"), ("COL", "República de Colombia"), ("JPN", "Japan"), ("KOR", "Republic of Korea"),
    ("CHN", "People's Republic of China"), ("IND", "Republic of India"), ("PAK", "Islamic Republic of Pakistan"),
    ("BGD", "People's Republic of Bangladesh"), ("VNM", "Viet Nam"), ("THA", "Kingdom of Thailand"), ("IDN", "Republik Indonesia"),
    ("PHL", "Republic of the Philippines"), ("AUS", "Australia"), ("NZL", "New Zealand"), ("ZAF", "Republic of South Africa"),
    ("NGA", "Federal Republic of Nigeria"), ("KEN", "Republic of Kenya"), ("GHA", "Republic of Ghana"), ("EGY", "Arab Republic of Egypt"),
    ("MAR", "Royaume du Maroc"), ("TUN", "République Tunisienne"), ("ISR", "State of Israel"), ("ARE", "United Arab Emirates"),
    ("SAU", "Kingdom of Saudi Arabia"), ("KAZ", "Republic of Kazakhstan"), ("GEO", "Georgia"), ("ISL", "Ísland"),
    ("LUX", "Grand-Duché de Luxembourg"), ("MLT", "Repubblika ta' Malta"), ("CYP", "Republic of Cyprus"), ("SGP", "Republic of Singapore"),
]

# Doc 9303-3 §6 transliteration of Latin characters (the common subset; others fall back to their base letter).
_TRANSLIT = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE", "ß": "SS", "Þ": "TH", "Ð": "D", "Œ": "OE",
    "Ĳ": "IJ", "Ł": "L", "Ŋ": "N", "Ħ": "H", "Đ": "D", "İ": "I", "ı": "I",
}


def to_mrz_parts(name):
    """Printed name -> list of MRZ name parts (A-Z only); hyphens and spaces separate parts, apostrophes vanish."""
    out = []
    for ch in name.upper():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
            continue
        if ch in " -":
            out.append(" ")
            continue
        if ch in "'’":
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        base = base.upper()
        if base and "A" <= base[0] <= "Z":
            out.append(base)
    return [p for p in "".join(out).split(" ") if p]


def _date(rng, start_year, end_year):
    start = datetime.date(start_year, 1, 1).toordinal()
    end = datetime.date(end_year, 12, 31).toordinal()
    return datetime.date.fromordinal(int(rng.integers(start, end + 1)))


def yymmdd(d):
    return d.strftime("%y%m%d")


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DIGITS = "0123456789"
# Many states avoid letters that read like digits; some do not.
SAFE = "CFGHJKLMNPRTVWXYZ0123456789"


def _chars(rng, alphabet, n):
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), n))


def document_number(rng, kind):
    r = rng.random()
    if kind == "TD1" and r < 0.15:
        return _chars(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) + _chars(rng, DIGITS, int(rng.integers(10, 13)))  # long: continues in optional data
    if r < 0.40:
        return _chars(rng, DIGITS, 9)
    if r < 0.55:
        return _chars(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", int(rng.integers(1, 3))) + _chars(rng, DIGITS, int(rng.integers(5, 7)))  # 6-8: fillers
    if r < 0.80:
        return _chars(rng, SAFE, 9)
    return _chars(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2) + _chars(rng, DIGITS, 7)


def pick(rng, seq):
    return seq[int(rng.integers(0, len(seq)))]


def holder(rng, kind):
    """One document's data: what the visual zone prints and what the MRZ encodes."""
    issuing, country_name = pick(rng, COUNTRIES)
    nationality = issuing if rng.random() < 0.85 else pick(rng, COUNTRIES)[0]
    surname = pick(rng, SURNAMES)
    if rng.random() < 0.12:
        surname = f"{surname} {pick(rng, SURNAMES)}"
    n_given = int(rng.choice([0, 1, 1, 1, 2, 2, 3], p=None)) if surname != "X" else 1
    given = " ".join(pick(rng, GIVEN) for _ in range(n_given))
    sex = str(rng.choice(["M", "F", "<"], p=[0.46, 0.46, 0.08]))
    birth = _date(rng, 1928, 2022)
    issue = _date(rng, max(birth.year + 1, 2004), 2026)
    years = int(rng.choice([5, 10, 10, 15])) if kind != "TD2" else 10
    try:
        expiry = issue.replace(year=issue.year + years) - datetime.timedelta(days=int(rng.integers(0, 2)))
    except ValueError:  # 29 February
        expiry = issue.replace(year=issue.year + years, day=28)
    number = document_number(rng, kind)
    if kind == "TD3":
        code = str(rng.choice(["P<", "P<", "P<", "PP", "PD", "PO"]))
    elif kind == "TD2":
        code = str(rng.choice(["I<", "ID", "IR", "AC"]))
    else:
        code = str(rng.choice(["I<", "I<", "ID", "IR", "IP", "AC", "C<"]))
    optional1 = optional2 = personal = ""
    if kind == "TD1":
        if rng.random() < 0.35:
            optional1 = _chars(rng, DIGITS, int(rng.integers(3, 10)))
        if rng.random() < 0.3:
            optional2 = _chars(rng, ALNUM, int(rng.integers(2, 12)))
    elif kind == "TD3" and rng.random() < 0.4:
        personal = _chars(rng, DIGITS if rng.random() < 0.6 else ALNUM, int(rng.integers(6, 15)))
    elif kind == "TD2" and rng.random() < 0.3:
        optional1 = _chars(rng, DIGITS, int(rng.integers(2, 8)))
    return {
        "kind": kind,
        "doc_code": code,
        "issuing": issuing,
        "country_name": country_name,
        "nationality": nationality,
        "surname": surname,
        "given": given,
        "sex": sex,
        "birth": birth,
        "issue": issue,
        "expiry": expiry,
        "number": number,
        "optional1": optional1,
        "optional2": optional2,
        "personal": personal,
        "personal_cd_filler": bool(rng.random() < 0.5),
    }


def mrz_lines(h):
    import mrz

    primary, secondary = to_mrz_parts(h["surname"]), to_mrz_parts(h["given"])
    common = (h["issuing"], primary, secondary, h["number"], h["nationality"], yymmdd(h["birth"]), h["sex"], yymmdd(h["expiry"]))
    code = h["doc_code"].rstrip("<")
    if h["kind"] == "TD3":
        lines = mrz.td3(code, *common, personal=h["personal"], personal_cd_filler=h["personal_cd_filler"])
    elif h["kind"] == "TD2":
        lines = mrz.td2(code, *common, optional=h["optional1"])
    else:
        lines = mrz.td1(code, *common, optional1=h["optional1"], optional2=h["optional2"])
    mrz.validate(h["kind"], lines)
    return lines

"""Real-looking Belgian data for the replayed year (issue 18): valid VAT and enterprise
numbers, Belgian IBANs, street addresses, languages and agents with e-mail addresses.
Everything is drawn from the replay's ``random.Random(seed)``: the same seed gives the
same cooperative."""

import random
import unicodedata

from stdnum.be import vat as be_vat

STREETS = [
    ("Rue de la Loi", "1000", "Bruxelles", "fr_BE"),
    ("Chaussée de Charleroi", "1060", "Saint-Gilles", "fr_BE"),
    ("Rue des Tanneurs", "1000", "Bruxelles", "fr_BE"),
    ("Boulevard d'Avroy", "4000", "Liège", "fr_BE"),
    ("Rue de Fer", "5000", "Namur", "fr_BE"),
    ("Grand-Place", "7000", "Mons", "fr_BE"),
    ("Rue Neuve", "6000", "Charleroi", "fr_BE"),
    ("Meir", "2000", "Antwerpen", "nl_BE"),
    ("Veldstraat", "9000", "Gent", "nl_BE"),
    ("Bondgenotenlaan", "3000", "Leuven", "nl_BE"),
    ("Steenstraat", "8000", "Brugge", "nl_BE"),
    ("Grote Markt", "2800", "Mechelen", "nl_BE"),
    ("Kapucijnenvoer", "3000", "Leuven", "en_US"),
    ("Avenue Louise", "1050", "Ixelles", "en_US"),
]
TRADES = {
    "fr_BE": ["Atelier", "Brasserie", "Menuiserie", "Imprimerie", "Fromagerie", "Librairie", "Boulangerie"],
    "nl_BE": ["Brouwerij", "Drukkerij", "Schrijnwerkerij", "Bakkerij", "Boekhandel", "Kaasmakerij"],
    "en_US": ["Studio", "Workshop", "Bakery", "Press", "Roastery"],
}
NAMES = {
    "fr_BE": ["Dupont", "Lambert", "Dubois", "Lejeune", "Martin", "Leclercq", "Renard", "Mathieu"],
    "nl_BE": ["Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters"],
    "en_US": ["Brown", "Walker", "Harris", "Clarke", "Morgan"],
}
FIRST_NAMES = {
    "fr_BE": ["Claire", "Julien", "Sophie", "Antoine", "Camille", "Nicolas"],
    "nl_BE": ["Lotte", "Pieter", "Eline", "Jeroen", "Annelies", "Wout"],
    "en_US": ["Emma", "Oliver", "Grace", "Henry"],
}
LEGAL_FORMS = {"fr_BE": "SRL", "nl_BE": "BV", "en_US": "SRL"}
CAPACITIES = {"fr_BE": "Gérant(e)", "nl_BE": "Zaakvoerder", "en_US": "Managing director"}


def belgian_vat(rng):
    """A valid Belgian VAT number BE0xxxxxxxcc (checksum: 97 - first 8 digits mod 97)."""
    while True:
        base = rng.randrange(2_000_000, 9_999_999)  # 0 + 7 digits
        number = f"0{base:07d}"
        check = 97 - int(number) % 97
        vat = f"BE{number}{check:02d}"
        if be_vat.is_valid(vat):
            return vat


def belgian_iban(rng, bank_code=None):
    """A valid Belgian IBAN: 3-digit bank code, 7-digit account, mod-97 check, IBAN check digits."""
    while True:
        bank = bank_code or rng.choice(["001", "068", "310", "363", "539", "734", "751", "063"])
        account = f"{bank}{rng.randrange(0, 9_999_999):07d}"
        check = int(account) % 97 or 97
        bban = f"{account}{check:02d}"
        # B = 11, E = 14; check digits of "BE" + bban
        digits = 98 - int(f"{bban}111400") % 97
        iban = f"BE{digits:02d}{bban}"
        # the IBAN check: the rearranged number modulo 97 is 1
        if int(f"{bban}1114{digits:02d}") % 97 == 1:
            return iban


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _company_name(trade, family, lang):
    return f"{trade} {family} {LEGAL_FORMS[lang]}"


def member_profile(rng, index, taken=()):
    """A member company: name, VAT number, address, language, IBAN and its first agent.

    ``taken``: the company names already given in this replay. A name drawn again (two
    BOEKHANDEL WOUTERS BV in a 40-member year) is redrawn among the names of its language
    not given yet, by a generator seeded from the clash itself: the replay's generator
    draws exactly as before, so every other figure of every member stays the same."""
    street, zip_code, city, lang = rng.choice(STREETS)
    trade = rng.choice(TRADES[lang])
    family = rng.choice(NAMES[lang])
    first = rng.choice(FIRST_NAMES[lang])
    name = _company_name(trade, family, lang)
    if name in taken:
        free = [(t, f) for t in TRADES[lang] for f in NAMES[lang] if _company_name(t, f, lang) not in taken]
        if free:
            trade, family = random.Random(f"{index} {name}").choice(free)
            name = _company_name(trade, family, lang)
        else:  # every name of the language given: the index tells them apart
            name = _company_name(f"{trade} {family}", index, lang)
    domain = f"{_ascii(trade)}-{_ascii(family)}-{index}.be"
    return {
        "index": index,
        "name": name,
        "vat": belgian_vat(rng),
        "street": f"{street} {rng.randrange(1, 220)}",
        "zip": zip_code,
        "city": city,
        "lang": lang,
        "iban": belgian_iban(rng),
        "agent_name": f"{first} {family}",
        "agent_email": f"{_ascii(first)}.{_ascii(family)}@{domain}",
        "capacity": CAPACITIES[lang],
    }

"""Realistic, deterministic UK leads for the sandbox, so tests and try-outs look like a real dashboard."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SPEEDY_PV = "https://easy-pv.co.uk/speedy-pv"
STATUS_NEW = "new"


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    """Long word lists stay readable as prose."""
    return tuple(text.split(separator))


@dataclass(frozen=True)
class Town:
    """A place leads come from: postcode area and districts, centre, and an Ofcom drama-range landline."""

    name: str
    county: str
    area: str
    districts: tuple[int, ...]
    lat: float
    lng: float
    dial: str = "01632 960"  # Ofcom's fictional range, for towns without their own drama range
    villages: tuple[str, ...] = ()


TOWNS = (
    Town(
        "Cambridge",
        "Cambridgeshire",
        "CB",
        (1, 2, 3, 4, 5, 21, 22, 23, 24),
        52.205,
        0.119,
        villages=("Milton", "Histon", "Cherry Hinton", "Girton"),
    ),
    Town("Leeds", "West Yorkshire", "LS", tuple(range(1, 29)), 53.800, -1.549, "0113 496 0"),
    Town("Sheffield", "South Yorkshire", "S", tuple(range(1, 37)), 53.381, -1.470, "0114 496 0"),
    Town("Nottingham", "Nottinghamshire", "NG", tuple(range(1, 17)), 52.954, -1.158, "0115 496 0"),
    Town("Leicester", "Leicestershire", "LE", tuple(range(1, 10)), 52.637, -1.135, "0116 496 0"),
    Town("Bristol", "City of Bristol", "BS", tuple(range(1, 17)), 51.455, -2.588, "0117 496 0"),
    Town("Reading", "Berkshire", "RG", (1, 2, 4, 5, 6, 30, 31), 51.455, -0.978, "0118 496 0"),
    Town("Birmingham", "West Midlands", "B", tuple(range(1, 46)), 52.486, -1.890, "0121 496 0"),
    Town("Edinburgh", "Midlothian", "EH", tuple(range(1, 18)), 55.953, -3.188, "0131 496 0"),
    Town("Glasgow", "Lanarkshire", "G", tuple(range(1, 54)), 55.864, -4.252, "0141 496 0"),
    Town("Liverpool", "Merseyside", "L", tuple(range(1, 28)), 53.408, -2.991, "0151 496 0"),
    Town("Manchester", "Greater Manchester", "M", tuple(range(1, 41)), 53.480, -2.242, "0161 496 0"),
    Town("London", "Greater London", "SE", tuple(range(1, 29)), 51.480, -0.060, "020 7946 0"),
    Town("Newcastle upon Tyne", "Tyne and Wear", "NE", tuple(range(1, 16)), 54.978, -1.617, "0191 498 0"),
    Town("Cardiff", "South Glamorgan", "CF", (3, 5, 10, 11, 14, 23, 24), 51.481, -3.179, "029 2018 0"),
    Town("Norwich", "Norfolk", "NR", tuple(range(1, 15)), 52.630, 1.297, villages=("Wymondham", "Acle")),
    Town("Exeter", "Devon", "EX", (1, 2, 3, 4, 5, 6), 50.718, -3.534, villages=("Topsham", "Exminster")),
    Town("Bude", "Cornwall", "EX", (23,), 50.829, -4.543, villages=("Stratton", "Poughill")),
    Town("Truro", "Cornwall", "TR", (1, 2, 3, 4), 50.263, -5.051),
    Town("Bath", "Somerset", "BA", (1, 2), 51.381, -2.359),
    Town("York", "North Yorkshire", "YO", (10, 23, 24, 26, 30, 31, 32), 53.960, -1.087),
    Town("Brighton", "East Sussex", "BN", (1, 2, 3, 41, 42), 50.822, -0.137),
    Town("Canterbury", "Kent", "CT", (1, 2, 3, 4), 51.280, 1.079, villages=("Sturry", "Bridge")),
    Town("Oxford", "Oxfordshire", "OX", (1, 2, 3, 4), 51.752, -1.258, villages=("Kidlington", "Headington")),
    Town("Ipswich", "Suffolk", "IP", (1, 2, 3, 4, 5), 52.057, 1.148),
    Town("Lincoln", "Lincolnshire", "LN", (1, 2, 3, 4, 5, 6), 53.234, -0.538),
    Town("Shrewsbury", "Shropshire", "SY", (1, 2, 3), 52.707, -2.754),
    Town("Aberdeen", "Aberdeenshire", "AB", tuple(range(10, 26)), 57.149, -2.094),
    Town("Swansea", "West Glamorgan", "SA", tuple(range(1, 8)), 51.621, -3.944),
    Town("Stroud", "Gloucestershire", "GL", (5, 6), 51.745, -2.218, villages=("Nailsworth", "Painswick")),
    Town("Kendal", "Cumbria", "LA", (8, 9), 54.328, -2.746),
    Town("Belfast", "County Antrim", "BT", tuple(range(1, 18)), 54.597, -5.930),
)

FIRST_NAMES = _words(
    "Oliver Amelia Jack Olivia Harry Isla George Ava Noah Emily Charlie Sophie Thomas Grace Oscar "
    "Lily William Freya James Chloe Mohammed Aisha Priya Arjun Fatima Ravi Siobhan Ciaran Niamh Rhys "
    "Cerys Dylan Megan Callum Eilidh Fraser Morag Hamish Sian Gareth Bethan David Susan Margaret "
    "Peter Janet Ian Karen Gary Helen Stephen Julie Paul Claire Andrew Rachel Simon Joanne Kwame "
    "Chidi Wei Mei Saira Tariq"
)
SURNAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
    "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner "
    "Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen Scott Phillips "
    "Watson Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Bailey Collins Bell Shaw "
    "Murphy Khan Ahmed Ali Singh Kaur Hussain Begum O'Brien O'Neill MacDonald McLeod Campbell Stewart "
    "Llewellyn Pritchard Okafor Mensah Chen Nowak Noor"
)
TITLES = ("Mr", "Mrs", "Ms", "Dr", "Miss")
STREET_NAMES = _words(
    "Mill,Station,Church,High,Victoria,Orchard,Meadow,Park,Queens,Kings,Chestnut,Oak,Willow,Beech,"
    "Rectory,School,Manor,Elm,Cedar,Springfield,Grange,Hawthorn,Windsor,Albert,Newton,Brook,St John's,"
    "Cromwell,Highfield",
    ",",
)
STREET_KINDS = _words("Road Road Lane Street Close Avenue Drive Way Crescent Gardens Grove")
NAMED_STREETS = ("The Rowans", "The Green", "The Paddocks", "The Maltings", "The Coppice", "The Old Forge")
HOUSE_NAMES = ("Rose Cottage", "The Old Rectory", "Orchard House", "Ivy Cottage", "Hillview", "Tŷ Gwyn")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a UK inward code may use
EMAIL_DOMAINS = _words(
    "gmail.com gmail.com gmail.com hotmail.co.uk outlook.com btinternet.com yahoo.co.uk icloud.com sky.com "
    "live.co.uk aol.com talktalk.net"
)
OTHER_ORIGINS = (
    "https://heatpunk.co.uk/speedy-heatpunk",
    "https://easy-pv.co.uk/speedy-pv?utm_source=facebook",
    "https://www.brightsidesolar.co.uk/get-a-quote",
    "api",
    "manual",
    "phone",
)
OTHER_STATUSES = ("Lead", "Quote", "Quote", "Sale", "Install", "Completed", "Rejected")
PROPERTY_TYPES = ("detached", "semi-detached", "terraced", "bungalow", "flat")
NOTES = (
    "Interested in battery storage too",
    "South-facing roof, some shading in the morning",
    "Please call after 5pm",
    "Already has an EV charger",
    "Wants a quote for an air source heat pump",
    "Listed building: check with the council",
)


def make_rng(seed: int) -> random.Random:
    """The one place the sandbox makes a PRNG: fake leads, reproducible from a seed, never security."""
    return random.Random(seed)  # noqa: S311


class Dice:
    """Many small choices from one big random number: fast enough to seed 100,000 leads in about a second."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._bits = 0

    def below(self, n: int) -> int:
        if self._bits < n:
            self._bits = self._rng.getrandbits(256) | (1 << 256)
        self._bits, index = divmod(self._bits, n)
        return index

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.below(len(items))]

    def chance(self, percent: int) -> bool:
        return self.below(100) < percent


def format_created(epoch_seconds: float) -> str:
    """The API's dateCreated form, e.g. 2025-03-11T11:03:29.000Z (always UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch_seconds))


def _phone(dice: Dice, town: Town) -> str:
    """A number in Ofcom's drama ranges, in one of the formats people type."""
    if dice.chance(65):
        digits = f"{dice.below(1000):03d}"
        return str(dice.pick(("07700 900", "+44 7700 900", "07700900", "+447700900", "07700 900 "))) + digits
    number = f"{town.dial}{dice.below(1000):03d}"
    if dice.chance(70):
        return number
    if dice.chance(50):
        return "+44 " + number[1:]
    return number.replace(" ", "")


def _email(dice: Dice, first: str, surname: str) -> str:
    first, surname = first.lower(), surname.lower().replace("'", "")
    local = str(
        dice.pick((f"{first}.{surname}", f"{first}{surname}", f"{first[0]}.{surname}", f"{first}_{surname}"))
    )
    if dice.chance(30):
        local += str(dice.below(90) + 10)
    return f"{local}@{dice.pick(EMAIL_DOMAINS)}"


def _address(dice: Dice, town: Town, postcode: str) -> str:
    if dice.chance(15):
        street = str(dice.pick(NAMED_STREETS))
    else:
        street = f"{dice.pick(STREET_NAMES)} {dice.pick(STREET_KINDS)}"
    if dice.chance(6):
        parts = [str(dice.pick(HOUSE_NAMES)), street]
    elif dice.chance(8):
        parts = [f"Flat {dice.below(12) + 1}", f"{dice.below(120) + 1} {street}"]
    else:
        parts = [f"{dice.below(180) + 1} {street}"]
    if town.villages and dice.chance(40):
        parts.append(str(dice.pick(town.villages)))
    parts.append(town.name)
    if dice.chance(70):
        parts.append(town.county)
    if dice.chance(60):
        parts.append(postcode)
    return ", ".join(parts)


def random_lead(dice: Dice, created: str, *, status: str | None = None) -> dict[str, Any]:
    """One lead in API form (no ID): a British name, a real-looking address, drama-range phone numbers."""
    town: Town = dice.pick(TOWNS)
    first, surname = str(dice.pick(FIRST_NAMES)), str(dice.pick(SURNAMES))
    inward = f"{dice.below(10)}{dice.pick(INWARD_LETTERS)}{dice.pick(INWARD_LETTERS)}"
    postcode = f"{town.area}{dice.pick(town.districts)} {inward}"
    name = f"{first} {surname}"
    if dice.chance(4):
        name = f"{dice.pick(TITLES)} {name}"
    elif dice.chance(4):
        name = name.lower()
    has_email, has_phone = (True, True) if dice.chance(90) else dice.pick(((True, False), (False, True)))
    located = dice.chance(95)
    if status is None:
        status = STATUS_NEW if dice.chance(80) else str(dice.pick(OTHER_STATUSES))
    return {
        "dateCreated": created,
        "status": status,
        "customerName": name,
        "address": _address(dice, town, postcode),
        "postcode": postcode.replace(" ", "") if dice.chance(5) else postcode,
        "customerEmail": _email(dice, first, surname) if has_email else None,
        "customerPhone": _phone(dice, town) if has_phone else None,
        "lat": round(town.lat + (dice.below(8001) - 4000) / 100_000, 6) if located else None,
        "lng": round(town.lng + (dice.below(12001) - 6000) / 100_000, 6) if located else None,
        "origin": SPEEDY_PV if dice.chance(75) else str(dice.pick(OTHER_ORIGINS)),
        "projectType": "solar" if dice.chance(75) else "heat pump",
        "propertyType": dice.pick(PROPERTY_TYPES),
        "notes": str(dice.pick(NOTES)) if dice.chance(20) else None,
    }


def nasty_values() -> list[dict[str, Any]]:
    """Hostile but realistic values: Slack mentions, mrkdwn, links, huge text, odd unicode, wrong types."""
    long_address = ("Flat 2, The Old Granary Conversion Building, " * 45)[:1991] + ", LS1 4DY"
    return [
        {"customerName": "<!channel>"},
        {"address": "12 Smith & Sons Yard <http://evil|click>, Leeds, West Yorkshire, LS1 4DY"},
        {"address": long_address},
        {
            "customerName": "*Dave* _the_ ~builder~ `rm -rf`",
            "notes": "Line one\nLine two\n> quoted\n```code```",
        },
        {"customerName": "@here Bobby'); DROP TABLE leads;--", "customerEmail": "not-an-email"},
        {"customerName": "Zoë Ó Súilleabháin 👷‍♀️", "customerPhone": "call after 6pm!!"},
        {"customerName": "\u202egnp.exe Mallory", "origin": "javascript:alert(1)"},
        {"customerName": "", "customerEmail": "a+b@example.co.uk", "postcode": "cb24 6yu"},
        {"lat": "52.2", "lng": None, "notes": "x" * 5000},
        {"customerName": "<@U024BE7LH> &lt;b&gt;", "address": "<https://example.com|Totally legit>"},
    ]


def seed_leads(
    rng: random.Random, count: int, *, now: float, days: float, nasty: bool = False
) -> list[dict[str, Any]]:
    """`count` leads in API form, oldest first, created over the `days` before `now` (epoch seconds)."""
    span = max(days, 0.0) * 86_400
    stamps = sorted(int(now - span * rng.random()) for _ in range(count))
    dice = Dice(rng)
    leads = [random_lead(dice, format_created(stamp)) for stamp in stamps]
    if nasty:
        for offset, values in enumerate(nasty_values()):
            index = len(leads) - 1 - 3 * offset
            if index < 0:
                break
            leads[index].update(values)
    return leads

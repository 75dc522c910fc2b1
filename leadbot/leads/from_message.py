"""A lead read from a Slack message: the customer's name, email, phone, UK postcode and address. Pure: no I/O.

What the message shortcut fills the create form with. It reads the shapes people paste:

- a forwarded web-form email: `Name: … / Phone: … / Email: … / Address: … / Postcode: …` lines (labels in any
  case, with `*bold*` around labels or values, Slack's `<mailto:…|…>` / `<tel:…|…>` link markup around values);
  a labelled value always wins over one found elsewhere;
- free text ("Mrs Jane Doe 07911 123456 wants a heat pump, CB24 6YU"), a phone note with the name on its own line.

Rules, each chosen so a wrong guess is rarer than a missed one (the person checks the form before creating):

- Everything after a sign-off ("Thanks", "Kind regards", "-- ", "Sent from my iPhone") is the sender's
  signature, and the header lines of a forwarded email (From:, To:, Cc:, Sent:) are the forwarder's: an email
  or number found only there is not the customer's. Nor is a no-reply address. (A forwarded email's From: line is
  the original sender's, often the customer's own, so it is read.)
- Phone: `phonenumbers`' matcher for GB at POSSIBLE leniency (so Ofcom's drama numbers, 07700 900xxx, count). A
  UK number must be written as one (a leading 0, +44 or 0044), not any run of ten digits. Of several, a labelled
  one first, then the first mobile (07…), then the first. UK numbers in national format (`07700 900123`);
  international ones (`+33 6 12 34 56 78`) kept as given.
- Postcode: a real UK shape (the outward code's letters as Royal Mail allows them). Of several, a labelled one;
  else the first one on a line that reads as an address (a house number, or a street word such as Road or
  Lane) or right after such a line; else the first.
- Address: a labelled address (with any Town / City / County lines after it); else the comma-separated parts
  just before the postcode that read as places ("8 The Rowans, Milton, Cambridge"), or the address lines just
  above a postcode standing alone.
- Name: a labelled name (or first name and surname); else a title and capitalised words ("Mrs Jane Doe"); else
  "name is / spoke to / customer …" and capitalised words; else a line of two to four capitalised words and
  nothing else before anything else was read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from leadbot import ids, texts
from leadbot.leads.form import is_email, normalise_postcode

UK = "GB"
UK_CODE = 44
MIN_UK_DIGITS = 9  # national significant number: 9 or 10 digits in the UK

# Slack's link markup: <mailto:a@b|a@b>, <tel:+44…|07…>, <https://…|words>, <https://…>.
_LINK = re.compile(r"<(?P<target>[^<>|]*)(?:\|(?P<label>[^<>]*))?>")
_EMOJI_CODE = re.compile(r":[a-z][a-z0-9_+'-]*:")
_MRKDWN = re.compile(r"(?<![\w*])[*_~]+|[*_~]+(?![\w*])")
_EMAIL = re.compile(r"[\w.!#$%&'+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|noreply|mailer-daemon|notifications?)\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^\s*(?:--\s*|—+\s*|(?:many\s+|kind\s+|best\s+|warm\s+)?(?:thanks|thank you|regards|cheers|best|"
    r"best wishes|all the best)[\s,.!]*|sent from my \w+.*)$",
    re.IGNORECASE,
)
_HEADER = re.compile(r"^\s*(?:to|cc|bcc|sent|date|reply-to)\s*:", re.IGNORECASE)
_LABELLED = re.compile(r"^\s*(?:[>•·\-]\s*)*(?P<label>[A-Za-z][A-Za-z .'/-]{0,30}?)\s*[:：]\s*(?P<value>.*)$")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Lady|Rev)\.?"
_WORD = r"[A-Z][a-zA-Z'’-]+"
_TITLED_NAME = re.compile(rf"\b{_TITLE}\s+{_WORD}(?:\s+{_WORD}){{0,2}}")
_CUED_NAME = re.compile(
    rf"\b(?i:name is|name's|spoke to|spoke with|called|customer|client|enquiry from|lead from|referral from|"
    rf"this is)\s*:?\s+(?P<name>{_WORD}(?:\s+{_WORD}){{1,2}})"
)
_NAME_LINE = re.compile(rf"^\s*(?:{_TITLE}\s+)?{_WORD}(?:\s+{_WORD}){{1,3}}\s*$")
_NOT_NAMES = frozenset(
    re.split(
        r"\s+",
        "hi hello hey dear new lead leads enquiry enquiries inquiry quote heat pump pumps solar team thanks thank "
        "regards web form website contact details customer from fwd fw forwarded message subject please call "
        "urgent good morning afternoon evening kind best wishes sales the a an",
    )
)
_STREET = re.compile(
    r"\b(?:road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|ct|place|pl|grove|gardens|"
    r"terrace|square|hill|park|rise|mews|row|walk|view|green|farm|cottages?|house|flat|apartment|barns?|"
    r"the rowans)\b",
    re.IGNORECASE,
)
# Street words no surname is (Hill, Green, Park and Way are): a line holding one is not a name.
_SURELY_STREET = re.compile(
    r"\b(?:road|rd|street|lane|avenue|ave|crescent|terrace|gardens|mews|close)\b", re.I
)
_HOUSE_NUMBER = re.compile(r"^\s*(?:(?:flat|unit|apartment)\s+\w+|\d+[a-zA-Z]?\b)", re.IGNORECASE)
_PLACE_WORD = re.compile(r"^(?:\d+[a-zA-Z]?|[A-Z][\w'’.-]*|of|on|the|upon|in|le|en|by|de)$")
_ADDRESS_TAIL = re.compile(r"(?:\b\d+[a-zA-Z]?\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$")

# Labels as web forms write them (lower case, spaces squeezed) → what they hold.
_LABELS: dict[str, str] = {
    **dict.fromkeys(("name", "full name", "your name", "customer name", "customer", "contact name",
                     "client name", "client", "contact"), "name"),
    **dict.fromkeys(("first name", "forename", "given name"), "first"),
    **dict.fromkeys(("last name", "surname", "family name"), "last"),
    **dict.fromkeys(("email", "e-mail", "email address", "e-mail address", "your email", "mail"), "email"),
    **dict.fromkeys(("phone", "telephone", "tel", "mobile", "mob", "phone number", "telephone number",
                     "contact number", "mobile number", "your phone", "number", "landline", "cell"), "phone"),
    **dict.fromkeys(("address", "street address", "address line 1", "address 1", "house", "street",
                     "property address", "installation address", "your address"), "address"),
    **dict.fromkeys(("address line 2", "address 2", "town", "city", "town/city", "county", "village",
                     "locality"), "address_more"),
    **dict.fromkeys(("postcode", "post code", "postal code", "zip", "zip code", "your postcode"), "postcode"),
}  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """What a message said about a customer; None where it said nothing usable. `notes`: in words."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    postcode: str | None = None
    address: str | None = None
    notes: str = ""
    remarks: tuple[str, ...] = field(default=())  # choices made (two numbers, two postcodes, a signature)

    def form_values(self) -> dict[str, str]:
        """The create form's starting values, by input block ID."""
        values = {
            ids.NAME_INPUT: self.name,
            ids.EMAIL_INPUT: self.email,
            ids.PHONE_INPUT: self.phone,
            ids.ADDRESS_INPUT: self.address,
            ids.POSTCODE_INPUT: self.postcode,
        }
        return {block: value for block, value in values.items() if value}


@dataclass(frozen=True)
class _Line:
    text: str
    aside: bool  # in the signature or a forwarded email's header: the sender's, not the customer's


def clean(text: str) -> str:
    """Slack's markup off: links become what they show, `*bold*` its words, emoji codes nothing, &amp; &."""
    text = _LINK.sub(_link_words, text or "")
    text = _EMOJI_CODE.sub(" ", text)
    text = _MRKDWN.sub("", text)
    text = html.unescape(text)
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())


def _link_words(match: re.Match[str]) -> str:
    target, label = match["target"], match["label"]
    if target.startswith(("@", "#", "!")):
        return label or ""
    if label:
        return label
    return re.sub(r"^(?:mailto|tel):", "", target)


def _lines(text: str) -> list[_Line]:
    lines, aside = [], False
    for line in text.splitlines():
        if _SIGN_OFF.match(line):
            aside = True
        lines.append(_Line(line, aside or bool(_HEADER.match(line))))
    return lines


def _labelled(lines: Sequence[_Line]) -> dict[str, list[str]]:
    """Labelled values, by what they hold, in the message's order (the sender's own lines left out)."""
    found: dict[str, list[str]] = {}
    for line in lines:
        match = _LABELLED.match(line.text)
        if line.aside or match is None:
            continue
        kind = _LABELS.get(re.sub(r"\s+", " ", match["label"].strip().lower()))
        value = match["value"].strip(" ,;")
        if kind and value:
            found.setdefault(kind, []).append(value)
    return found


def read_lead(text: str) -> Reading:
    """The customer a message describes, and a note of what was read and what was not found."""
    lines = _lines(clean(text))
    own = [line for line in lines if not line.aside]
    body = "\n".join(line.text for line in own)
    labelled = _labelled(lines)
    remarks: list[str] = []

    email = _email(labelled, body, lines, remarks)
    phone = _phone(labelled, body, lines, remarks)
    postcode, postcode_line = _postcode(labelled, own, remarks)
    address = _address(labelled, own, postcode_line, postcode)
    name = _name(labelled, own)
    reading = Reading(name, email, phone, postcode, address, remarks=tuple(remarks))
    return Reading(name, email, phone, postcode, address, notes=describe(reading), remarks=tuple(remarks))


def describe(reading: Reading) -> str:
    """`Read name, phone and postcode from the message; no email or address found. Two numbers: took the mobile.`"""
    parts = {
        texts.READ_NAME: reading.name,
        texts.READ_EMAIL: reading.email,
        texts.READ_PHONE: reading.phone,
        texts.READ_ADDRESS: reading.address,
        texts.READ_POSTCODE: reading.postcode,
    }
    read = [noun for noun, value in parts.items() if value]
    missing = [noun for noun, value in parts.items() if not value]
    if not read:
        words = texts.READ_NOTHING
    elif not missing:
        words = texts.READ_ALL.format(read=_and(read))
    else:
        words = texts.READ_SOME.format(read=_and(read), missing=_or(missing))
    return " ".join([words, *dict.fromkeys(reading.remarks)])


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


# --- email --------------------------------------------------------------------------------------------


def _email(
    labelled: dict[str, list[str]], body: str, lines: Sequence[_Line], remarks: list[str]
) -> str | None:
    for value in labelled.get("email", []):
        for candidate in _EMAIL.findall(value):
            if is_email(candidate.strip(".")):
                return str(candidate.strip("."))
    for candidate in _EMAIL.findall(body):
        candidate = candidate.strip(".")
        if is_email(candidate) and not _NO_REPLY.match(candidate):
            return str(candidate)
    if any(_EMAIL.search(line.text) for line in lines if line.aside):
        remarks.append(texts.READ_SIGNATURE_SKIPPED)
    return None


# --- phone --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Number:
    shown: str
    mobile: bool


def _numbers(text: str) -> list[_Number]:
    """Every phone number written in the text, UK ones in national format, others as given."""
    found = []
    for match in PhoneNumberMatcher(text, UK, leniency=Leniency.POSSIBLE):
        number, raw = match.number, match.raw_string.strip()
        if number.country_code == UK_CODE:
            written_as_uk = raw.startswith(("0", "+", "(0", "(+"))
            if not written_as_uk or len(str(number.national_number)) < MIN_UK_DIGITS:
                continue
            national = str(number.national_number)
            mobile = national.startswith("7") and not national.startswith(("70", "76"))
            found.append(_Number(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), mobile))
        else:
            found.append(_Number(raw, mobile=False))
    return found


def _phone(
    labelled: dict[str, list[str]], body: str, lines: Sequence[_Line], remarks: list[str]
) -> str | None:
    labelled_numbers = [n for value in labelled.get("phone", []) for n in _numbers(value)]
    numbers = labelled_numbers or _numbers(body)
    if not numbers:
        if any(_numbers(line.text) for line in lines if line.aside):
            remarks.append(texts.READ_SIGNATURE_SKIPPED)
        return None
    distinct = list(dict.fromkeys(n.shown for n in numbers))
    chosen = next((n for n in numbers if n.mobile), numbers[0])
    if len(distinct) > 1:
        others = ", ".join(shown for shown in distinct if shown != chosen.shown)
        which = texts.READ_TOOK_MOBILE if chosen.mobile else texts.READ_TOOK_FIRST
        remarks.append(which.format(phone=chosen.shown, others=others))
    if not chosen.shown.startswith("0"):
        remarks.append(texts.READ_INTERNATIONAL)
    return chosen.shown


# --- postcode and address -----------------------------------------------------------------------------


def _postcodes(text: str) -> list[tuple[str, re.Match[str]]]:
    found = []
    for match in _POSTCODE.finditer(text):
        postcode = normalise_postcode(match.group(0))
        if postcode is not None:
            found.append((postcode, match))
    return found


def _addressish(text: str) -> bool:
    """A line that reads as (part of) an address: a house number then words, or a street word."""
    without = _POSTCODE.sub("", text)
    if _numbers(without) or _EMAIL.search(without):
        return False
    return bool(_HOUSE_NUMBER.match(without) and re.search(r"[A-Za-z]{2}", without)) or bool(
        _STREET.search(without)
    )


def _postcode(
    labelled: dict[str, list[str]], own: Sequence[_Line], remarks: list[str]
) -> tuple[str | None, int | None]:
    """The postcode, and the index of the line it is on (None when it came from a label)."""
    for value in labelled.get("postcode", []):
        postcode = normalise_postcode(value)
        if postcode is not None:
            return postcode, None
    found = [(postcode, index) for index, line in enumerate(own) for postcode, _ in _postcodes(line.text)]
    if not found:
        return None, None
    near_address = [(postcode, index) for postcode, index in found if _address_at(own, index, postcode)]
    postcode, index = (near_address or found)[0]
    others = list(dict.fromkeys(p for p, _ in found if p != postcode))
    if others:
        remarks.append(texts.READ_TOOK_POSTCODE.format(postcode=postcode, others=", ".join(others)))
    return postcode, index


def _address(
    labelled: dict[str, list[str]], own: Sequence[_Line], index: int | None, postcode: str | None
) -> str | None:
    if labelled.get("address"):
        parts = [_POSTCODE.sub("", value).strip(" ,") for value in labelled["address"]]
        parts += labelled.get("address_more", [])
        return ", ".join(part for part in parts if part) or None
    if index is None or postcode is None:
        return None
    return _address_at(own, index, postcode)


def _address_at(own: Sequence[_Line], index: int, postcode: str) -> str | None:
    """The address written just before this postcode (on its line, or on the lines above it)."""
    line = own[index].text
    postcode_at = next(match for found, match in _postcodes(line) if found == postcode)
    before = line[: postcode_at.start()].strip(" ,(")
    if before:
        return _places_before(before)
    above: list[str] = []  # the postcode alone on its line: the address lines just above it
    for previous in reversed(own[max(0, index - 4) : index]):
        text = previous.text.strip(" ,")
        if not text or _LABELLED.match(text) or not (_addressish(text) or _is_place(text)):
            break
        above.insert(0, text)
    return ", ".join(above) if above and any(_addressish(text) for text in above) else None


def _is_place(text: str) -> bool:
    """A short run of capitalised words (and a house number): a street, a village, a town."""
    words = text.split()
    return (
        0 < len(words) <= 5
        and all(_PLACE_WORD.match(word) for word in words)
        and not _numbers(text)
        and words[0].lower() not in _NOT_NAMES
    )


def _places_before(text: str) -> str | None:
    """The comma-separated parts at the end of `text` that read as an address."""
    kept: list[str] = []
    for part in reversed([part.strip() for part in text.split(",")]):
        if _is_place(part):
            kept.insert(0, part)
            continue
        tail = _ADDRESS_TAIL.search(part)
        if tail and not _numbers(tail.group(0)):
            kept.insert(0, tail.group(0))
        break
    numbered = [at for at, part in enumerate(kept) if _HOUSE_NUMBER.match(part)]
    kept = kept[numbered[0] :] if numbered else kept  # a name before the house number is not the address
    if not kept or not (len(kept) > 1 or any(_addressish(part) for part in kept)):
        return None
    return ", ".join(kept)


# --- name ---------------------------------------------------------------------------------------------


def _name(labelled: dict[str, list[str]], own: Iterable[_Line]) -> str | None:
    if labelled.get("name"):
        return _tidy_name(labelled["name"][0])
    full = " ".join(labelled.get("first", [])[:1] + labelled.get("last", [])[:1])
    if full:
        return _tidy_name(full)
    lines = [line.text for line in own]
    body = "\n".join(lines)
    titled = _TITLED_NAME.search(body)
    if titled:
        return _tidy_name(titled.group(0))
    cued = _CUED_NAME.search(body)
    if cued and not _has_stop_word(cued["name"]):
        return _tidy_name(cued["name"])
    for line in lines:  # a name on a line of its own, or first on a line before a comma
        first = line.split(",")[0]
        if _NAME_LINE.match(first) and not _has_stop_word(first) and not _SURELY_STREET.search(first):
            return _tidy_name(first)
    return None


def _has_stop_word(text: str) -> bool:
    return any(word.lower().strip(".,") in _NOT_NAMES for word in text.split())


def _tidy_name(text: str) -> str | None:
    name = re.sub(r"\s+", " ", re.sub(r"[^\w\s.'’-]", " ", text)).strip(" .-")
    return name or None

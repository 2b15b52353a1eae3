"""Provinces and wards of Vietnam (two levels since 1 July 2025), via `vietnam-provinces`.

People write the same place many ways: `Thành phố Hồ Chí Minh`, `TP HCM`, `tp.hcm`,
`Hồ Chí Minh`; `Phường Cửa Nam`, `P. Cửa Nam`, `cua nam`. We strip the unit prefix, fold
diacritics and spacing, and accept a match only when it is unique: `Văn Lang` in Phú Thọ
is both a phường and a xã, and then the prefix decides or the seller is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from vietnam_provinces import Province, Ward

from orderdesk import names
from orderdesk.text import clean, fold, squash

P = TypeVar("P", bound="Place")


@dataclass(frozen=True)
class Place:
    """A province or ward: its official code and name."""

    code: int
    name: str


@dataclass(frozen=True)
class WardPlace(Place):
    province_code: int
    kind: str  # "phuong" | "xa" | "dac_khu"


class PlaceNotFound(LookupError):
    """No unit matches; `other_province` is set when the ward exists, elsewhere."""

    def __init__(self, text: str, other_province: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.other_province = other_province


class PlaceAmbiguous(LookupError):
    """Several units match; `places` are they (wards), `options` their names."""

    def __init__(
        self, text: str, options: list[str], places: list[WardPlace] | None = None
    ) -> None:
        super().__init__(text)
        self.text = text
        self.options = options
        self.places = places or []


_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp)\b[\s.]*")
# Names people use that are not the official one.
_PROVINCE_ALIASES = {
    "hcm": 79,
    "tphcm": 79,
    "saigon": 79,
    "sg": 79,
    "hochiminh": 79,
    "hn": 1,
    "hanoi": 1,
    "hp": 31,
    "dn": 48,
    "ct": 92,
    "hue": 46,
    "thuathienhue": 46,
}

# The words a ward's name may be written after, with the unit each names; the
# abbreviations are the ones on envelopes and in chats (`P.`, `X.`, `TT.`, `F5` in Saigon).
# "Thị trấn" was abolished with the districts: those towns are xã now.
WARD_UNITS = names.Units(
    words={
        ("phuong",): "phuong",
        ("p",): "phuong",
        ("ph",): "phuong",
        ("xa",): "xa",
        ("x",): "xa",
        ("thi", "tran"): "xa",
        ("tt",): "xa",
        ("dac", "khu"): "dac_khu",
        ("dk",): "dac_khu",
    },
    accented=frozenset({"phường", "xã", "thị", "trấn", "đặc", "khu", "đk"}),
    glued=re.compile(r"^[pf](\d+)$"),
    glued_kind="phuong",
)
_OFFICIAL_UNIT = {"phường": "phuong", "xã": "xa", "đặc khu": "dac_khu"}


def _kind_of(ward: Ward) -> str:
    return _OFFICIAL_UNIT.get(ward.division_type.value, "xa")


def _official_words(name: str) -> list[str]:
    return names.official(name, _OFFICIAL_UNIT)[1]


def _strip_prefix(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    folded = fold(text).replace(".", ". ")
    folded = re.sub(r"\s+", " ", folded).strip()
    match = pattern.match(folded)
    if not match:
        return "", folded
    return match.group(1), folded[match.end() :]


@cache
def _provinces() -> dict[int, Place]:
    return {int(p.code): Place(int(p.code), p.name) for p in Province.iter_all()}


@cache
def _province_keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for code, place in _provinces().items():
        keys[squash(place.name)] = code
        keys[squash(_strip_prefix(_PROVINCE_PREFIX, place.name)[1])] = code
    for alias, code in _PROVINCE_ALIASES.items():
        keys.setdefault(alias, code)
    return keys


@cache
def _wards() -> dict[int, WardPlace]:
    return {
        # clean(): ten names in the package have a double space (`Phường  Tân An`).
        int(w.code): WardPlace(int(w.code), clean(w.name), int(w.province_code), _kind_of(w))
        for w in Ward.iter_all()
    }


@cache
def _wards_by_key() -> dict[str, list[WardPlace]]:
    """Name key (without the unit word) → wards, across all provinces."""
    index: dict[str, list[WardPlace]] = {}
    for ward in _wards().values():
        index.setdefault(names.key(_official_words(ward.name)), []).append(ward)
    return index


@cache
def _ward_words(code: int) -> tuple[str, ...]:
    return tuple(_official_words(_wards()[code].name))


@cache
def hyphenated() -> tuple[str, ...]:
    """Ward names with a hyphen in them, folded (`cam ly - da lat`): a chat splitting at
    hyphens must not cut them."""
    return tuple(fold(w.name).split(" ", 1)[1] for w in _wards().values() if " - " in w.name)


@cache
def provinces() -> tuple[Place, ...]:
    return tuple(sorted(_provinces().values(), key=lambda p: fold(p.name)))


@cache
def wards_of(province_code: int) -> tuple[WardPlace, ...]:
    return tuple(
        sorted(
            (w for w in _wards().values() if w.province_code == province_code),
            key=lambda w: fold(w.name),
        )
    )


def province(code: int) -> Place:
    return _provinces()[code]


def ward(code: int) -> WardPlace:
    return _wards()[code]


def resolve_province(text: str) -> Place:
    """The province `text` names, or PlaceNotFound."""
    value = clean(text)
    if value.isdigit() and int(value) in _provinces():
        return _provinces()[int(value)]
    code = _province_keys().get(squash(value))
    if code is None:
        code = _province_keys().get(squash(_strip_prefix(_PROVINCE_PREFIX, value)[1]))
    if code is None:
        raise PlaceNotFound(value)
    return _provinces()[code]


def resolve_ward(province_code: int, text: str, *, same_kind: bool = False) -> WardPlace:
    """The ward of `province_code` that `text` names; PlaceNotFound or PlaceAmbiguous.

    Every reading of the text is tried (with and without a unit word in front); a unit
    word narrows to its kind of unit when that leaves any; diacritics, where typed,
    decide between names that fold alike (Văn Lang, Văn Lăng). Anything else left open is
    ambiguous, never guessed."""
    value = clean(text)
    if value.isdigit() and int(value) in _wards():
        found = _wards()[int(value)]
        if found.province_code != province_code:
            raise PlaceNotFound(value, other_province=province(found.province_code).name)
        return found
    matches = _matches(province_code, value, same_kind)
    if len({w.code for w, _ in matches}) > 1:
        agreeing = [(w, r) for w, r in matches if names.agrees(r, _ward_words(w.code))]
        if len({w.code for w, _ in agreeing}) == 1:
            return agreeing[0][0]
        places = list({w.code: w for w, _ in matches}.values())
        raise PlaceAmbiguous(value, [w.name for w in places], places)
    if matches:
        return matches[0][0]
    elsewhere = sorted(
        {
            province(w.province_code).name
            for reading in names.readings(value, WARD_UNITS)
            for w in _wards_by_key().get(reading.key, [])
        }
    )
    raise PlaceNotFound(value, other_province=", ".join(elsewhere) if elsewhere else None)


def _matches(
    province_code: int, value: str, same_kind: bool = False
) -> list[tuple[WardPlace, names.Reading]]:
    """The wards of the province each reading names; a unit word keeps its kind of unit
    when any is left (`Phường X` where only Xã X exists still finds the xã, unless
    `same_kind`)."""
    found: list[tuple[WardPlace, names.Reading]] = []
    other_kind: list[tuple[WardPlace, names.Reading]] = []
    for reading in names.readings(value, WARD_UNITS):
        for ward in _wards_by_key().get(reading.key, []):
            if ward.province_code != province_code:
                continue
            if reading.kind is None or ward.kind == reading.kind:
                found.append((ward, reading))
            else:
                other_kind.append((ward, reading))
    return found if same_kind else found or other_kind


def _ranked(query: str, places: Iterable[P], base: Callable[[P], str], limit: int) -> list[P]:
    """Places whose folded name starts with the query first, then those containing it."""
    if not query:
        return list(places)[:limit]
    starts, contains = [], []
    for place in places:
        key = base(place)
        if key.startswith(query):
            starts.append(place)
        elif query in key:
            contains.append(place)
    return (starts + contains)[:limit]


def search_provinces(text: str, limit: int = 10) -> list[Place]:
    """Type-ahead over provinces: `hcm`, `ha noi`, `Thành phố Huế`, `cao b`..."""
    value = clean(text)
    query = squash(_strip_prefix(_PROVINCE_PREFIX, value)[1])
    found = _ranked(
        query, provinces(), lambda p: squash(_strip_prefix(_PROVINCE_PREFIX, p.name)[1]), limit
    )
    alias = _PROVINCE_ALIASES.get(squash(value))
    if alias is not None:
        found = [_provinces()[alias]] + [p for p in found if p.code != alias]
    return found[:limit]


def search_wards(province_code: int, text: str, limit: int = 12) -> list[WardPlace]:
    """Type-ahead over one province's wards: `cua nam`, `p cua nam`, `Phường Cửa Nam`.

    What `resolve_ward` makes of the text comes first, so Enter on the first choice saves
    the ward the text names; then names starting with it, then names containing it."""
    value = clean(text)
    first: list[WardPlace] = []
    try:
        first = [resolve_ward(province_code, value)]
    except PlaceAmbiguous as error:
        first = list(error.places)
    except PlaceNotFound:
        pass
    starts: list[WardPlace] = []
    contains: list[WardPlace] = []
    readings = names.readings(value, WARD_UNITS)
    for ward in wards_of(province_code):
        key = names.key(_ward_words(ward.code))
        for reading in readings:
            if reading.kind is not None and reading.kind != ward.kind:
                continue
            if key.startswith(reading.key):
                starts.append(ward)
                break
            if reading.key in key:
                contains.append(ward)
                break
    if not readings:
        starts = list(wards_of(province_code))
    return list({w.code: w for w in first + starts + contains}.values())[:limit]

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
    def __init__(self, text: str, options: list[str]) -> None:
        super().__init__(text)
        self.text = text
        self.options = options


_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp)\b[\s.]*")
_WARD_PREFIX = re.compile(r"^(phuong|xa|dac khu|p|x|dk|thi tran|tt)\b[\s.]*")
_WARD_KIND = {
    "phuong": "phuong",
    "p": "phuong",
    "xa": "xa",
    "x": "xa",
    "thi tran": "xa",
    "tt": "xa",
    "dac khu": "dac_khu",
    "dk": "dac_khu",
}
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


_ACCENTED_WARD_PREFIX = re.compile(r"^(phường|xã|đặc khu|thị trấn|p\.|x\.|tt\.|p |x |tt )\s*")


def _accented_base(text: str) -> str:
    """The ward's name without its prefix, diacritics kept: `Xã Văn Lăng` → `văn lăng`."""
    value = clean(text).casefold()
    return _ACCENTED_WARD_PREFIX.sub("", value, count=1).strip()


def _kind_of(ward: Ward) -> str:
    value = ward.division_type.value
    return {"phường": "phuong", "xã": "xa", "đặc khu": "dac_khu"}.get(value, "xa")


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
        int(w.code): WardPlace(int(w.code), w.name, int(w.province_code), _kind_of(w))
        for w in Ward.iter_all()
    }


@cache
def _wards_by_key() -> dict[str, list[WardPlace]]:
    """Folded base name (no prefix) → wards, across all provinces."""
    index: dict[str, list[WardPlace]] = {}
    for ward in _wards().values():
        base = squash(_strip_prefix(_WARD_PREFIX, ward.name)[1])
        index.setdefault(base, []).append(ward)
    return index


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


def resolve_ward(province_code: int, text: str) -> WardPlace:
    """The ward of `province_code` that `text` names; PlaceNotFound or PlaceAmbiguous."""
    value = clean(text)
    if value.isdigit() and int(value) in _wards():
        found = _wards()[int(value)]
        if found.province_code != province_code:
            raise PlaceNotFound(value, other_province=province(found.province_code).name)
        return found
    prefix, base = _strip_prefix(_WARD_PREFIX, value)
    everywhere = _wards_by_key().get(squash(base), [])
    here = [w for w in everywhere if w.province_code == province_code]
    if prefix:
        kind = _WARD_KIND[prefix]
        typed = [w for w in here if w.kind == kind]
        here = typed or here
    if len(here) > 1:
        # Same letters, different diacritics (Văn Lang, Văn Lăng): the accents decide.
        wanted = _accented_base(value)
        exact = [w for w in here if _accented_base(w.name) == wanted]
        if len(exact) == 1:
            return exact[0]
        raise PlaceAmbiguous(value, [w.name for w in here])
    if here:
        return here[0]
    elsewhere = sorted({province(w.province_code).name for w in everywhere})
    raise PlaceNotFound(value, other_province=", ".join(elsewhere) if elsewhere else None)


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
    """Type-ahead over one province's wards: `cua nam`, `p cua nam`, `Phường Cửa Nam`."""
    prefix, base = _strip_prefix(_WARD_PREFIX, clean(text))
    wards: Iterable[WardPlace] = wards_of(province_code)
    if prefix:
        kind = _WARD_KIND[prefix]
        wards = [w for w in wards if w.kind == kind]
    return _ranked(
        squash(base), wards, lambda w: squash(_strip_prefix(_WARD_PREFIX, w.name)[1]), limit
    )

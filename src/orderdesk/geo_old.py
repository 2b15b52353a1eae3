"""Addresses written before 1 July 2025 (ward, district, one of 63 provinces), converted to
today's ward.

Buyers keep writing the address they have used for years, and will for a long time. The
mapping is `vietnam-address-converter`'s table (10,358 rows: every old ward → the current
ward or wards it went into). Only its table is used: its text parser takes ~8 s to build on
first use, and its name matcher, when the ward is not found, answers with every ward of the
district or province as "candidates" (`xyz, Hà Nội` → 126) and reads `Phương Liệt` as
`Liệt`; names are matched here the way geo.py matches today's wards (names.py).

An old ward may have been split among several current wards (Đa Kao, Quận 1 → Tân Định or
Sài Gòn): then every successor is returned and nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from orderdesk import geo, names
from orderdesk.text import clean


@dataclass(frozen=True)
class OldWard:
    """A ward as it was before July 2025, and the current ward(s) it became."""

    name: str  # "Phường 5"
    district: str  # "Quận 3"
    province: str  # "Thành phố Hồ Chí Minh"
    becomes: tuple[geo.WardPlace, ...]

    @property
    def label(self) -> str:
        return f"{self.name}, {self.district}"


DISTRICT_UNITS = names.Units(
    words={
        ("quan",): "quan",
        ("q",): "quan",
        ("huyen",): "huyen",
        ("h",): "huyen",
        ("thi", "xa"): "thi_xa",
        ("tx",): "thi_xa",
        ("thanh", "pho"): "thanh_pho",
        ("tp",): "thanh_pho",
    },
    accented=frozenset({"quận", "huyện", "thị", "xã", "thành", "phố"}),
    glued=re.compile(r"^q(\d+)$"),
    glued_kind="quan",
)
WARD_UNITS = names.Units(
    words={**geo.WARD_UNITS.words, ("thi", "tran"): "thi_tran", ("tt",): "thi_tran"},
    accented=geo.WARD_UNITS.accented,
    glued=geo.WARD_UNITS.glued,
    glued_kind="phuong",
)
_OLD_WARD_UNIT = {"phường": "phuong", "xã": "xa", "thị trấn": "thi_tran"}
_OLD_DISTRICT_UNIT = {
    "quận": "quan",
    "huyện": "huyen",
    "thị xã": "thi_xa",
    "thành phố": "thanh_pho",
}
_PROVINCE_UNIT = {"tỉnh": "tinh", "thành phố": "thanh_pho"}
# Old provinces as people name them besides their official names.
_OLD_PROVINCE_ALIASES = {
    "hcm": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "sg": "hochiminh",
    "hn": "hanoi",
    "hue": "thuathienhue",
    "brvt": "bariavungtau",
    "vungtau": "bariavungtau",
}


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str  # with its unit word, as the table writes it
    kind: str | None
    words: tuple[str, ...]
    parent: str


@dataclass(frozen=True)
class _Table:
    provinces: dict[str, _Unit]  # old province code → unit
    successor: dict[str, int]  # old province code → current province code
    districts: dict[str, list[_Unit]]  # old province code → its districts
    wards: dict[str, dict[str, list[_Unit]]]  # old district code → name key → wards
    becomes: dict[str, tuple[geo.WardPlace, ...]]  # old ward code → current wards


def _unit(record: dict[str, Any], unit_names: dict[str, str], parent: str = "") -> _Unit:
    name = clean(record["name_with_type"])
    kind, words = names.official(name, unit_names)
    return _Unit(str(record["code"]), name, kind, tuple(words), parent)


@cache
def _table() -> _Table:
    """The converter's table, indexed the way names are looked up (about 0.2 s, once)."""
    from vietnam_address_converter.data import DEFAULT_DATA

    data: dict[str, Any] = DEFAULT_DATA
    provinces = {code: _unit(p, _PROVINCE_UNIT) for code, p in data["oldProvinces"].items()}
    districts: dict[str, list[_Unit]] = {}
    district_of: dict[str, _Unit] = {}
    for code, record in data["oldDistricts"].items():
        unit = _unit(record, _OLD_DISTRICT_UNIT, str(record["parent_code"]))
        districts.setdefault(unit.parent, []).append(unit)
        district_of[code] = unit
    wards: dict[str, dict[str, list[_Unit]]] = {}
    for record in data["oldWards"].values():
        unit = _unit(record, _OLD_WARD_UNIT, str(record["parent_code"]))
        wards.setdefault(unit.parent, {}).setdefault(names.key(unit.words), []).append(unit)
    successor: dict[str, int] = {}
    becomes: dict[str, list[geo.WardPlace]] = {}
    for row in data["mapping"]["rows"]:
        old, new = row["old"], row["new"]
        if not old["ward_code"]:  # an island district without wards, now a đặc khu
            continue
        province = _current_province(new["province_name"])
        successor[str(old["province_code"])] = province
        place = geo.resolve_ward(province, new["ward_name"])
        found = becomes.setdefault(str(old["ward_code"]), [])
        if place not in found:
            found.append(place)
    return _Table(provinces, successor, districts, wards, {k: tuple(v) for k, v in becomes.items()})


def warm() -> None:
    """Index the table now (a desk does it in a worker before the first address)."""
    _table()


@cache
def _current_province(name: str) -> int:
    return geo.resolve_province(name).code


def _province_codes(text: str) -> list[str]:
    """The old provinces a typed province may mean: the one of that name, and every old
    province now part of the current province of that name (`TP HCM` may be written for
    an address in old Bình Dương). Blank: all of them."""
    table = _table()
    value = clean(text)
    if not value:
        return list(table.provinces)
    typed = {reading.key for reading in names.readings(value, _PROVINCE_READING)}
    typed |= {_OLD_PROVINCE_ALIASES[k] for k in typed if k in _OLD_PROVINCE_ALIASES}
    found = [code for code, unit in table.provinces.items() if names.key(unit.words) in typed]
    try:
        current = geo.resolve_province(value).code
    except geo.PlaceNotFound:
        return found
    return found + [c for c, new in table.successor.items() if new == current and c not in found]


_PROVINCE_READING = names.Units(
    words={("tinh",): "tinh", ("thanh", "pho"): "thanh_pho", ("tp",): "thanh_pho"},
    accented=frozenset({"tỉnh", "thành", "phố"}),
)


def _named(units: Iterable[_Unit], text: str, level: names.Units) -> list[_Unit]:
    """The units `text` names, by the same rules as today's wards (geo.resolve_ward)."""
    readings = names.readings(text, level)
    by_key: dict[str, list[_Unit]] = {}
    for unit in units:
        by_key.setdefault(names.key(unit.words), []).append(unit)
    return _pick([(unit, reading) for reading in readings for unit in by_key.get(reading.key, [])])


def _pick(matches: list[tuple[_Unit, names.Reading]]) -> list[_Unit]:
    kinded = [(u, r) for u, r in matches if r.kind is None or r.kind == u.kind] or matches
    distinct = {u.code: u for u, _ in kinded}
    if len(distinct) > 1:
        agreeing = {u.code: u for u, r in kinded if names.agrees(r, u.words)}
        if agreeing:
            return list(agreeing.values())
    return list(distinct.values())


def lookup(ward: str, district: str = "", province: str = "") -> list[OldWard]:
    """Every old ward the text can name: narrowed by the district when one is given and
    found, and by the province. Empty when the ward is no old ward there."""
    if not clean(ward):
        return []
    if not clean(district):  # `Phường 5, Quận 3` or `p5 q3` typed in the ward field
        ward, district = _ward_and_district(ward)
    table = _table()
    provinces = _province_codes(province)
    # A district named in any of the provinces narrows to it; one named nowhere is ignored.
    districts = {
        code: _named(table.districts.get(code, []), district, DISTRICT_UNITS) if district else []
        for code in provinces
    }
    narrowed = any(districts.values())
    found: list[OldWard] = []
    for code in provinces:
        for unit in districts[code] if narrowed else table.districts.get(code, []):
            found += _wards_named(table, unit, ward, table.provinces[code])
    return found


def _wards_named(table: _Table, district: _Unit, text: str, province: _Unit) -> list[OldWard]:
    readings = names.readings(text, WARD_UNITS)
    index = table.wards.get(district.code, {})
    matches = [(unit, reading) for reading in readings for unit in index.get(reading.key, [])]
    return [
        OldWard(unit.name, district.name, province.name, table.becomes[unit.code])
        for unit in _pick(matches)
        if unit.code in table.becomes
    ]


def successors(found: Iterable[OldWard]) -> list[geo.WardPlace]:
    """The current wards a list of old wards went into, each once."""
    return list({w.code: w for old in found for w in old.becomes}.values())


def search(province_code: int, text: str, limit: int = 12) -> list[OldWard]:
    """Type-ahead over the old wards that are now in a current province: `dich vong`,
    `p5 q3` or `Phường 5, Quận 3` (an old ward, then its district). Names the text spells
    whole come first, then names it begins."""
    ward, district = _ward_and_district(text)
    readings = names.readings(ward, WARD_UNITS)
    if not readings:
        return []
    table = _table()
    whole: list[OldWard] = []
    begun: list[OldWard] = []
    for code, new in table.successor.items():
        if new != province_code:
            continue
        province = table.provinces[code]
        in_province = table.districts.get(code, [])
        chosen = _named(in_province, district, DISTRICT_UNITS) if district else in_province
        for unit in chosen:
            for key, units in table.wards.get(unit.code, {}).items():
                for old in units:
                    if old.code not in table.becomes:
                        continue
                    fits = [r for r in readings if r.kind in (None, old.kind)]
                    found = OldWard(old.name, unit.name, province.name, table.becomes[old.code])
                    if any(r.key == key for r in fits):
                        whole.append(found)
                    elif any(key.startswith(r.key) for r in fits):
                        begun.append(found)
    return (whole + begun)[:limit]


_DISTRICT_WORD = re.compile(r"\s+(?=(?:q|quan|quận|h|huyen|huyện|tx|thi xa|thị xã)\b\.?|q\.?\d)")


def _ward_and_district(text: str) -> tuple[str, str]:
    """`Phường 5, Quận 3` or `p5 q3` → ("Phường 5", "Quận 3")."""
    value = clean(text)
    parts = [clean(part) for part in value.split(",")]
    if len(parts) > 1:  # ward, district[, province]
        return parts[0], parts[1]
    parts = _DISTRICT_WORD.split(value.casefold(), maxsplit=1)
    if len(parts) == 2:
        return value[: len(parts[0])], clean(value[len(parts[0]) :])
    return value, ""


def successor(text: str) -> geo.Place | None:
    """The current province an old one became, for a name that is no current province
    (`Bình Dương` → Thành phố Hồ Chí Minh); None otherwise."""
    value = clean(text)
    if not value:
        return None
    try:
        geo.resolve_province(value)
        return None
    except geo.PlaceNotFound:
        pass
    table = _table()
    found = {table.successor[c] for c in _province_codes(value) if c in table.successor}
    return geo.province(found.pop()) if len(found) == 1 else None


def is_district(text: str, province: str = "") -> bool:
    """Whether `text` names a district (before July 2025) of the province."""
    table = _table()
    return any(
        _named(table.districts.get(code, []), text, DISTRICT_UNITS)
        for code in _province_codes(province)
    )

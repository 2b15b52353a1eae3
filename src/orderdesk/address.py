"""One resolver for every address that comes in: the desk, the CLI, order files, marketplace
exports and the paste box all ask `resolve`, so a ward found in one is found in all.

An address arrives as a province, a ward, maybe an old district, and a street line. It may
be written the current way (ward + province), the pre-July-2025 way (ward, district, one of
63 provinces: converted when the reform maps it to one ward, refused with the candidates
when it was split), or with the ward only inside the street line (marketplace exports
leave the ward column blank). Nothing is guessed: what cannot be settled is an error that
names the field and what it could be.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from orderdesk import geo, geo_old, names
from orderdesk.errors import FieldError, InvalidInput
from orderdesk.i18n import t
from orderdesk.text import clean, fold


@dataclass(frozen=True)
class Address:
    """An address settled on today's units."""

    province: geo.Place
    ward: geo.WardPlace
    street: str
    district: str = ""  # an old district as written, kept to show (carriers still read it)
    written: str = ""  # the old address as written, when it was converted

    @property
    def converted(self) -> str:
        """`Phường 5, Quận 3, TP.HCM → Phường Bàn Cờ, Thành phố Hồ Chí Minh`, or ""."""
        if not self.written:
            return ""
        return f"{self.written} → {self.ward.name}, {self.province.name}"


def _fail(field: str, key: str, **params: object) -> InvalidInput:
    return InvalidInput([FieldError(field, key, dict(params))])


def _either(options: list[str]) -> str:
    """`Tân Định or Sài Gòn` in the seller's language."""
    if len(options) < 2:
        return "".join(options)
    return ", ".join(options[:-1]) + t("word.or") + options[-1]


def resolve(province: str, ward: str, district: str = "", street: str = "") -> Address:
    """The address settled on today's province and ward, or InvalidInput naming the field."""
    province, ward, district, street = clean(province), clean(ward), clean(district), clean(street)
    if not ward and street or not province and street:
        return _from_line(street, province, district)
    try:
        found = _place(province, ward, district)
    except InvalidInput as error:
        if street and error.errors[0].key not in _UNSETTLED:
            # The ward column holds something else (an old district, a typo): the street
            # line may still name the ward.
            try:
                return _from_line(street, province, district)
            except InvalidInput:
                pass
        raise
    return dataclasses.replace(found, street=_trimmed(street, found, province, ward, district))


@lru_cache(maxsize=8192)
def _place(province: str, ward: str, district: str) -> Address:
    """Province and ward settled, without a street. Remembered: a file names the same few
    hundred places thousands of times."""
    if not province:
        raise _fail("province", "err.required")
    place = province_of(province)
    if not ward:
        raise _fail("ward", "err.required")
    return _settle(place, province, ward, district, "")


def _trimmed(street: str, found: Address, province: str, ward: str, district: str) -> str:
    """The street line without the ward, district and province it repeats at its end
    (`45 Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh` → `45 Lê Lợi`); its first part stays."""
    if not any(mark in street for mark in ",;\n"):
        return street
    parts = parts_of(street, at_units=False)
    whole = len(parts)
    given = {fold(ward), fold(district)}
    while len(parts) > 1:
        last = parts[-1]
        if not (
            fold(last) in given
            or _names_province(last, found.province)
            or _is_district(last, province)
            or _names_ward(last, found, province, district)
        ):
            break
        parts.pop()
    return ", ".join(parts) if len(parts) < whole else street


def _names_ward(part: str, found: Address, province: str, district: str) -> bool:
    try:
        return _settle(found.province, province, part, district, "").ward == found.ward
    except InvalidInput:
        return False


def province_of(text: str) -> geo.Place:
    """Today's province a typed province names: its name, a nickname, or an old province
    (`Bình Dương` → Thành phố Hồ Chí Minh); InvalidInput otherwise."""
    try:
        return geo.resolve_province(text)
    except geo.PlaceNotFound:
        pass
    successor = geo_old.successor(text)
    if successor is None:
        raise _fail("province", "err.province.unknown", value=text)
    return successor


def _settle(place: geo.Place, province: str, ward: str, district: str, street: str) -> Address:
    """The ward of `place` that `ward` (with `district`, and the province as typed) names:
    today's name, or an old ward converted."""
    if ward.isdigit():  # a ward's code (an order being edited): today's, never old
        try:
            return Address(place, geo.resolve_ward(place.code, ward), street, district)
        except geo.PlaceNotFound:
            raise _fail("ward", "err.ward.unknown", value=ward, province=place.name) from None
    current: geo.WardPlace | None = None
    ambiguous: geo.PlaceAmbiguous | None = None
    missing: geo.PlaceNotFound | None = None
    try:
        # `Phường Lê Lợi` is first looked for as a phường: an old phường of that name
        # comes before today's xã Lê Lợi elsewhere in the province.
        current = geo.resolve_ward(place.code, ward, same_kind=True)
    except geo.PlaceAmbiguous as error:
        ambiguous = error
    except geo.PlaceNotFound as error:
        missing = error
    old_style = bool(district) or geo_old.successor(province) is not None
    old = geo_old.lookup(ward, district, province) if old_style or missing else []
    old = [o for o in old if all(w.province_code == place.code for w in o.becomes)]
    if old:
        successors = geo_old.successors(old)
        if current is not None and current in successors:
            return Address(place, current, street, district)
        if len(successors) == 1:
            written = ", ".join(p for p in (ward, district, province) if p)
            # The old district lives on in `written`; beside the new ward it would mislead.
            return Address(place, successors[0], street, "", written)
        value = ", ".join(p for p in (ward, district) if p)
        # Today's ward of that name is a reading too (an old province, a new ward).
        today = [t("address.today_named", ward=current.name)] if current is not None else []
        if len(old) == 1:  # one old ward, split in July 2025
            options = _either([w.name for w in successors] + today)
            raise _fail("ward", "err.ward.old_split", value=value, options=options)
        olds = [f"{o.district} → " + " / ".join(w.name for w in o.becomes) for o in old]
        raise _fail("ward", "err.ward.old_which", value=value, options=_either(olds + today))
    if current is not None:
        return Address(place, current, street, district)
    if ambiguous is not None:
        raise _fail("ward", "err.ward.ambiguous", value=ward, options=_either(ambiguous.options))
    try:  # a unit word of the wrong kind (`Phường X` where only Xã X exists)
        return Address(place, geo.resolve_ward(place.code, ward), street, district)
    except geo.PlaceAmbiguous as error:
        raise _fail(
            "ward", "err.ward.ambiguous", value=ward, options=_either(error.options)
        ) from None
    except geo.PlaceNotFound:
        pass
    assert missing is not None
    if missing.other_province:
        raise _fail(
            "ward",
            "err.ward.elsewhere",
            value=ward,
            province=place.name,
            other=missing.other_province,
        )
    raise _fail("ward", "err.ward.unknown", value=ward, province=place.name)


# Words a part of an address starts with when it is written without a comma before it
# (`8 Nguyễn Huệ phường Sài Gòn quận 1`), folded, and how they are written with diacritics:
# `Quan Sơn` or `Tịnh Khê` are names, not `quận` or `tỉnh`.
_UNIT_FIRST = {"phuong", "xa", "quan", "huyen", "tinh", "tp", "tx"}
_ABBREVIATED = {"p", "q", "x", "h", "dk"}  # written with a dot
_UNIT_PAIRS = {("thi", "tran"), ("dac", "khu"), ("thi", "xa"), ("thanh", "pho")}
_UNIT_ACCENTED = {"phường", "xã", "quận", "huyện", "tỉnh", "thị", "thành", "đặc", "đk"}
_GLUED = re.compile(r"^[pfq]\d+$")


def _unit_at(words: list[str], index: int) -> bool:
    """Whether words[index] starts a unit (a ward, district or province) written after a
    street without a comma: a unit word with a name after it, an abbreviation with its dot
    (`P.`, `Q.`), or one glued to a number (`P5`, `Q3`)."""
    word = words[index].casefold()
    if not (word.isascii() or word.rstrip(".") in _UNIT_ACCENTED):
        return False
    bare = fold(word).rstrip(".")
    if _GLUED.match(bare):
        return True
    if index + 1 == len(words):
        return False
    if bare in _ABBREVIATED:
        return word.endswith(".")
    return bare in _UNIT_FIRST or (bare, fold(words[index + 1])) in _UNIT_PAIRS


def _is_unit_word(word: str) -> bool:
    folded = fold(word).rstrip(".")
    return folded in _UNIT_FIRST | _ABBREVIATED | {w for pair in _UNIT_PAIRS for w in pair}


def parts_of(line: str, *, at_units: bool = True) -> list[str]:
    """An address line cut into its parts: at commas, and (`at_units`) before unit words;
    never at hyphens (`Phường Cam Ly - Đà Lạt` is one ward)."""
    found: list[str] = []
    for part in re.split(r"[,;\n]", line):
        found += cut_at_units(part) if at_units else [clean(part).strip(" -–.")]
    return [p for p in found if p]


def cut_at_units(part: str) -> list[str]:
    """A piece of an address cut before each unit word that starts a new part
    (`8 Nguyễn Huệ phường Sài Gòn` → `8 Nguyễn Huệ`, `phường Sài Gòn`)."""
    words = clean(part).strip(" -–.").split(" ")
    found: list[str] = []
    piece: list[str] = []
    for index, word in enumerate(words):
        # A unit word right after another is the name (`Xã Xa Dung`), not a new part.
        if piece and _unit_at(words, index) and not _is_unit_word(words[index - 1]):
            found.append(" ".join(piece).strip(" -–."))
            piece = []
        piece.append(word)
    found.append(" ".join(piece).strip(" -–."))
    return [p for p in found if p]


def _from_line(line: str, province: str, district: str) -> Address:
    """The ward (and the province, when not given) taken from inside the street line: the
    parts after the ward are its district and province, the parts before are the street.
    Parts are cut at commas first; at unit words too (`8 Nguyễn Huệ phường Sài Gòn`) only
    when that finds nothing, since names may start like one (`Xã Mỹ Tịnh An`, typed
    `my tinh an`, is no `tỉnh An`)."""
    try:
        return _ward_of(parts_of(line, at_units=False), line, province, district)
    except InvalidInput as error:
        if error.errors[0].key in _UNSETTLED:
            raise
        return _ward_of(parts_of(line), line, province, district)


def _ward_of(parts: list[str], line: str, province: str, district: str) -> Address:
    place: geo.Place | None = None
    while parts and fold(parts[-1]) in _COUNTRY:
        parts.pop()
    if province:
        place = province_of(province)
        # One part only: before it may stand a city district of the same name
        # (`…, Thành Phố Hưng Yên, Tỉnh Hưng Yên`).
        if parts and _names_province(parts[-1], place):
            parts.pop()
    elif parts:
        try:
            place = province_of(parts[-1])
            province = parts.pop()
        except InvalidInput:
            place = None
    if place is None:
        raise _fail("province", "err.required")
    # The ward is the last part, or the one before a last part that names a district
    # (`Dịch Vọng Hậu, Cầu Giấy`: an old ward in its old district comes first).
    tries = [(len(parts) - 1, district)]
    if len(parts) > 1 and _is_district(parts[-1], province):
        tries.insert(0, (len(parts) - 2, district or parts[-1]))
    first_error: InvalidInput | None = None
    for index, given in tries:
        try:
            found = _settle(place, province, parts[index], given, "")
        except InvalidInput as error:
            if error.errors[0].key in _UNSETTLED:
                raise
            first_error = first_error or error
            continue
        street = ", ".join(parts[:index])
        return Address(found.province, found.ward, street, found.district, found.written)
    raise first_error or _fail("ward", "err.ward.not_in_line", value=line)


_COUNTRY = {"viet nam", "vietnam", "vn"}
# An old address the reform split, or one that needs its district: the seller must choose.
CHOOSE = ("err.ward.old_split", "err.ward.old_which")
# Errors that name candidates: another reading of the address must not hide them.
_UNSETTLED = (*CHOOSE, "err.ward.ambiguous")


def _names_province(part: str, place: geo.Place) -> bool:
    try:
        return province_of(part) == place
    except InvalidInput:
        return False


def _is_district(part: str, province: str) -> bool:
    """Whether a part of an address line names a district (old: there are none since July
    2025, but people write them): by its unit word, or by the name of one."""
    if any(r.kind for r in names.readings(part, geo_old.DISTRICT_UNITS)):
        return True
    return geo_old.is_district(part, province)


def search(province_code: int, text: str, limit: int = 12) -> list[tuple[geo.WardPlace, str]]:
    """Type-ahead for a ward, as (ward, the old ward it comes from or ""): today's wards
    first, what `resolve` takes leading; when the text names no current ward, the old
    wards it names or begins, each with what it became (`Phường 5, Quận 3` → Phường Bàn
    Cờ), a ward split in July 2025 once per successor."""
    found = [(w, "") for w in geo.search_wards(province_code, text, limit)]
    try:
        geo.resolve_ward(province_code, text)
    except geo.PlaceAmbiguous:
        pass
    except geo.PlaceNotFound:
        old = [(w, o.label) for o in geo_old.search(province_code, text, limit) for w in o.becomes]
        found = old + found
    return found[:limit]


def ward_in(
    part: str, province: geo.Place | None, district: str = "", province_text: str = ""
) -> Address | None:
    """The ward a piece of a message names (the paste box): in the province when it is
    known, else in the one province that has it. None when the piece names no ward;
    InvalidInput when it names an old ward the seller must choose a successor for."""
    if province is not None:
        try:
            return _settle(province, province_text or province.name, part, district, "")
        except InvalidInput as error:
            if error.errors[0].key in CHOOSE:
                raise
            return None
    found = []
    for place in geo.provinces():
        try:
            found.append(geo.resolve_ward(place.code, part))
        except (geo.PlaceNotFound, geo.PlaceAmbiguous):
            continue
    if len(found) != 1:
        return None
    return Address(geo.province(found[0].province_code), found[0], "", district)


def is_district(part: str, province_text: str = "") -> bool:
    """Whether a piece of an address names a district (there are none since July 2025, but
    people write them)."""
    return _is_district(part, province_text)

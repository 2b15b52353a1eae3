"""Reading an order out of a pasted chat message, for the seller to check before saving.

Sellers get orders as Messenger or Zalo text: "Chị Lan 0912345678, 12 Lý Thường Kiệt,
P. Cửa Nam, Hà Nội, lấy 2 áo thun đen size M, 350k". This module finds what it can (phone,
name, street, ward, province, products, the amount to collect) and says what it could not
place. It never saves anything and never guesses between two equally good matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import phonenumbers
from sqlmodel import Session

from orderdesk import address, geo, geo_old
from orderdesk.errors import InvalidInput
from orderdesk.services.orders import ProductRef, product_refs
from orderdesk.text import clean, fold

# "Tên:", "SĐT:", "Địa chỉ:", ... at the start of a line say what the line is.
_LABELS = {
    "name": ("ten", "ho ten", "ho va ten", "nguoi nhan", "khach", "khach hang", "name"),
    "phone": ("sdt", "so dien thoai", "dien thoai", "dt", "phone", "tel"),
    "address": ("dia chi", "dc", "d/c", "address", "giao den", "giao toi"),
    "items": ("don", "don hang", "san pham", "sp", "hang", "mua", "order"),
    "amount": ("tong", "tong tien", "thu ho", "cod", "tien", "gia", "total"),
}
_LABEL = re.compile(
    r"^\s*("
    + "|".join(sorted((re.escape(w) for ws in _LABELS.values() for w in ws), key=len, reverse=True))
    + r")\s*[:：=-]\s*",
)
# Commas between digits are thousands separators (1,250,000), not field separators.
_SPLIT = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|[;|\n])\s*")
_DASH = re.compile(r"\s[-–]\s")
_ITEM_SPLIT = re.compile(r"\s+(?:\+|va|and)\s+|\s*\+\s*")
_NAME_LEAD = re.compile(r"^(ship cho|gui cho|giao cho|gui|ship|nguoi nhan)\s+")
_STREET = re.compile(
    r"^(\d+[a-z]?(/\d+[a-z]?)*\b|so\s+\d|ngo\b|ngach\b|hem\b|kiet\b|thon\b|ap\b|xom\b|to\b|"
    r"khu\b|duong\b|toa\b|chung cu\b|kdt\b|lo\b)"
)
_QTY_FIRST = re.compile(
    r"^(?:lay|mua|dat|chot|them)?\s*(\d{1,3})\s*(?:x\s+|cai|chiec|doi|bo|sp|"
    r"san pham|goi|hop)?\s+"
)
_QTY_LAST = re.compile(r"\s+(?:x\s*|sl\s*:?\s*)(\d{1,3})$")
_PAYMENT = {"ck": "bank", "chuyen khoan": "bank", "da ck": "bank", "cod": "cod", "thu ho": "cod"}

_MONEY = [
    # 1tr2 = 1.200.000, 2tr05 = 2.050.000
    (
        re.compile(r"(\d+)\s*(?:tr|trieu|cu)\s*(\d{1,3})\b"),
        lambda m: int(m[1]) * 1_000_000 + int(m[2]) * 10 ** (6 - len(m[2])),
    ),
    (
        re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:tr|trieu|cu|m)\b"),
        lambda m: round(float(m[1].replace(",", ".")) * 1_000_000),
    ),
    (
        re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:k|nghin|ngan|n)\b"),
        lambda m: round(float(m[1].replace(",", ".")) * 1_000),
    ),
    (
        re.compile(r"(\d{1,3}(?:[.,]\d{3})+)\s*(?:d|vnd|dong|₫)?(?!\d)"),
        lambda m: int(re.sub(r"[.,]", "", m[1])),
    ),
    (re.compile(r"(\d{4,})\s*(?:d|vnd|dong|₫)\b"), lambda m: int(m[1])),
]


@dataclass
class PastedLine:
    sku: str
    qty: int


@dataclass
class Pasted:
    """What a message said, as far as it could be read. Empty strings: not found."""

    phone: str = ""
    name: str = ""
    street: str = ""
    ward: str = ""
    province: str = ""
    district: str = ""  # an old district the message gave with its ward
    old_address: str = ""  # the address as written before July 2025, when converted
    converted: str = ""  # "Phường 5, Quận 3, TP.HCM → Phường Bàn Cờ, Thành phố Hồ Chí Minh"
    choose: str = ""  # why the ward needs the seller: an old ward split in July 2025
    items: list[PastedLine] = field(default_factory=list)
    amount: int | None = None
    payment: str = ""
    unread: list[str] = field(default_factory=list)


def read_message(session: Session, text: str) -> Pasted:
    """Read `text` against the shop's catalog."""
    catalog = [ref for ref in product_refs(session).values() if ref.active]
    return parse(text, catalog)


def parse(text: str, catalog: Sequence[ProductRef]) -> Pasted:
    result = Pasted()
    remaining = _take_phone(clean_lines(text), result)
    segments: list[tuple[str, str]] = []  # (label, original text)
    for line in remaining.split("\n"):
        label = ""
        folded = fold(line)
        match = _LABEL.match(folded)
        if match:
            label = next(k for k, ws in _LABELS.items() if match[1] in ws)
            line = _cut_folded_prefix(line, match.end())
        for part in _SPLIT.split(line):
            for piece in _pieces(clean(part)):
                piece = piece.strip(" -–.:")
                if piece:
                    segments.append((label, piece))

    # The province comes last in an address and tells where to look for the ward: find it
    # first, searching from the end of the message.
    province: geo.Place | None = None
    province_text = ""
    for index in range(len(segments) - 1, -1, -1):
        part = segments[index][1]
        found, rest, province_text = _province_in(part)
        if found is not None:
            province = found
            result.province = found.name
            segments[index] = ("province-done", rest)
            break

    used: set[int] = set()
    for index, (label, part) in enumerate(segments):
        if not part or index in used:
            continue
        folded = fold(part)
        amount = _amount_of(folded)
        if amount is not None and (label == "amount" or _only_money(folded)):
            result.amount = amount
            result.payment = result.payment or _payment_of(folded)
            continue
        if label == "items" or _looks_like_items(folded, catalog):
            lines, unread = _items_of(part, catalog)
            if lines:
                result.items += lines
                result.unread += unread
                continue
        if not result.ward and label != "items":
            # A ward may be followed by its old district: `Phường 5, Quận 3, TP.HCM`.
            after = next((i for i in range(index + 1, len(segments)) if segments[i][1]), None)
            district = ""
            if after is not None and address.is_district(segments[after][1], province_text):
                district = segments[after][1]
            try:
                place = address.ward_in(part, province, district, province_text)
            except InvalidInput as error:
                result.ward, result.district = part, district
                result.choose = error.errors[0].message()
                if district and after is not None:
                    used.add(after)
                continue
            if place is not None:
                result.ward = place.ward.name
                result.old_address, result.converted = place.written, place.converted
                if district and after is not None:
                    used.add(after)
                    result.district = district
                if province is None:
                    province = place.province
                    result.province = province.name
                continue
        if _payment_of(folded) and len(folded.split()) <= 2:
            result.payment = _payment_of(folded)
            continue
        if not result.street and (label == "address" or _STREET.match(folded)):
            result.street = part
            continue
        if not result.name and not re.search(r"\d", part) and len(part.split()) <= 6:
            lead = _NAME_LEAD.match(folded)
            name = _cut_folded_prefix(part, lead.end()) if lead else part
            # A name typed all in lower case ("minh anh") is written as a name.
            result.name = name.title() if name == name.lower() else name
            continue
        result.unread.append(part)
    return result


def _pieces(part: str) -> list[str]:
    """A segment cut where a chat runs fields together: at ` - ` (but not inside a ward's
    own name, `Phường Cam Ly - Đà Lạt`), and before a ward, district or province written
    without a comma (`8 Nguyễn Huệ phường Sài Gòn`) unless the segment is one already
    (`my tinh an` is Xã Mỹ Tịnh An, not `tỉnh An`)."""
    folded = fold(part)
    dashed = [part] if any(name in folded for name in geo.hyphenated()) else _DASH.split(part)
    pieces: list[str] = []
    for piece in dashed:
        whole = address.ward_in(piece, None) is not None if piece else True
        pieces += [piece] if whole else address.cut_at_units(piece)
    return pieces


def clean_lines(text: str) -> str:
    return "\n".join(clean(line) for line in text.replace("\r", "\n").split("\n") if clean(line))


def _cut_folded_prefix(original: str, folded_length: int) -> str:
    """Drop the first characters of `original` that folded into `folded_length` characters."""
    for cut in range(len(original) + 1):
        if len(fold(original[:cut] + "x")) - 1 >= folded_length:
            return clean(original[cut:])
    return ""


def _take_phone(text: str, result: Pasted) -> str:
    for match in phonenumbers.PhoneNumberMatcher(text, "VN"):
        number = match.number
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            result.phone = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.NATIONAL
            )
            return text[: match.start] + "," + text[match.end :]
    return text


def _province_in(part: str) -> tuple[geo.Place | None, str, str]:
    """A province named by the whole segment or by its last words (today's, or one from
    before July 2025): (province, the rest, the province as written)."""
    words = part.split()
    for size in range(min(len(words), 5), 0, -1):
        candidate = " ".join(words[-size:])
        try:
            found = address.province_of(candidate)
        except InvalidInput:
            continue
        if geo_old.successor(candidate) is not None or _accents_agree(candidate, found):
            return found, " ".join(words[:-size]), candidate
    return None, part, ""


_ACCENTED_ALIASES = {"sài gòn": 79, "thừa thiên huế": 46}


def _accents_agree(typed: str, province: geo.Place) -> bool:
    """Typed with diacritics, the name must match them: `Huệ` (a street) is not `Huế`."""
    text = clean(typed).casefold()
    if fold(text) == text:
        return True  # typed without diacritics: folding is all we can go by
    return text in province.name.casefold() or _ACCENTED_ALIASES.get(text) == province.code


def _amount_of(folded: str) -> int | None:
    for pattern, value in _MONEY:
        matches = list(pattern.finditer(folded))
        if matches:
            amount = value(matches[-1])
            if amount >= 1_000:
                return amount
    return None


def _only_money(folded: str) -> bool:
    """Whether the segment is an amount and nothing else (bar payment words and labels)."""
    rest = folded
    for pattern, _ in _MONEY:
        rest = pattern.sub(" ", rest)
    for word in (*_PAYMENT, *_LABELS["amount"], "tien", "het", "la"):
        rest = re.sub(rf"(^|\s){re.escape(word)}(\s|$)", " ", rest)
    return not re.search(r"[a-z0-9]", rest)


def _payment_of(folded: str) -> str:
    for word, method in _PAYMENT.items():
        if re.search(rf"(^|\s){re.escape(word)}(\s|$)", folded):
            return method
    return ""


def _tokens(folded: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", folded)


def _looks_like_items(folded: str, catalog: Sequence[ProductRef]) -> bool:
    """Two words of a product's name, its SKU, or a quantity and then a product's noun
    ("1 mũ", "2 áo")."""
    tokens = _tokens(folded)
    words = set(tokens)
    names = [_tokens(fold(ref.name)) for ref in catalog]
    nouns = {name[0] for name in names if name}
    if len(tokens) >= 2 and tokens[0].isdigit() and tokens[1] in nouns:
        return True
    return any(
        sum(w in words for w in name) >= 2 or fold(ref.sku) in words
        for ref, name in zip(catalog, names, strict=True)
    )


def _items_of(part: str, catalog: Sequence[ProductRef]) -> tuple[list[PastedLine], list[str]]:
    lines, unread = [], []
    for piece in _ITEM_SPLIT.split(fold(part)):
        piece = piece.strip()
        if not piece:
            continue
        qty = 1
        if match := _QTY_FIRST.match(piece + " "):
            qty, piece = int(match[1]), piece[match.end() :].strip()
        elif match := _QTY_LAST.search(piece):
            qty, piece = int(match[1]), piece[: match.start()].strip()
        ref = _match_product(piece, catalog)
        if ref is None or qty <= 0:
            unread.append(piece)
        else:
            lines.append(PastedLine(ref.sku, qty))
    return lines, unread


def _match_product(piece: str, catalog: Sequence[ProductRef]) -> ProductRef | None:
    """The one product the words name; None when none does or several tie."""
    words = _tokens(piece)
    text = " " + " ".join(words) + " "
    for ref in catalog:
        if fold(ref.sku) in words:
            return ref
    best: list[tuple[int, ProductRef]] = []
    for ref in catalog:
        name_words = _tokens(fold(ref.name))
        matched = sum(word in words for word in name_words)
        # The first word of a product name is its noun (áo, quần, mũ): it must be there.
        if not name_words or name_words[0] not in words:
            continue
        score = matched * 2
        for detail in (ref.color, ref.size, ref.variant):
            if not detail:
                continue
            if f" {' '.join(_tokens(fold(detail)))} " in text:
                score += 3
        best.append((score, ref))
    if not best:
        return None
    best.sort(key=lambda pair: pair[0], reverse=True)
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two products fit equally: the seller chooses
    return best[0][1]

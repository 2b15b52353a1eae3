"""Field rules shared by every way data comes in (desk, CLI, import): written once, here.

Each check returns the normalized value or raises `InvalidInput` for its field; callers
that validate a whole record collect the errors with `Collector` and raise them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from orderdesk.errors import FieldError, InvalidInput
from orderdesk.models.money import parse_money
from orderdesk.text import clean

# phonenumbers, email-validator and the province tables are imported where they are used:
# a command that only prints labels should not pay for loading them.

T = TypeVar("T")
# phonenumbers ignores trailing letters ("0901234567x" parses as valid): allow only these.
_PHONE_CHARS = re.compile(r"^[0-9+ ().\-]+$")
_MAX_MONEY = 10**12


def fail(field: str, key: str, **params: Any) -> InvalidInput:
    """An InvalidInput for one field, to raise."""
    return InvalidInput([FieldError(field, key, params)])


# A Vietnamese mobile written as digits (with spaces, dots, dashes or a `(+84)` prefix):
# its 9 national digits. Whether such a number is valid depends on its first digits only.
_VN_MOBILE_SHAPE = re.compile(r"^(?:\+?84|0)([35789]\d{8})$")
_PHONE_NOISE = re.compile(r"[\s().-]")


@lru_cache(maxsize=256)
def _mobile_block_valid(block: str) -> bool:
    """phonenumbers' verdict for a mobile whose national number starts with `block` (4
    digits): the same for every number of the block, so a file of 20,000 phones parses
    a few hundred instead of 20,000 (0.15 ms each)."""
    import phonenumbers

    number = phonenumbers.parse("+84" + block + "00000", None)
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


def phone(value: str, field: str = "phone", *, mobile_only: bool = True) -> str:
    """A Vietnamese phone number in E.164 (`+84912345678`)."""
    text = clean(value)
    if not text:
        raise fail(field, "err.required")
    if not _PHONE_CHARS.match(text):
        raise fail(field, "err.phone.chars", value=text)
    shape = _VN_MOBILE_SHAPE.match(_PHONE_NOISE.sub("", text))
    if shape and _mobile_block_valid(shape.group(1)[:4]):
        return "+84" + shape.group(1)
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        raise fail(field, "err.phone.invalid", value=text) from None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise fail(field, "err.phone.invalid", value=text)
    kind = phonenumbers.number_type(number)
    if mobile_only and kind != phonenumbers.PhoneNumberType.MOBILE:
        raise fail(field, "err.phone.not_mobile", value=text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_MOBILE_E164 = re.compile(r"^\+84([35789]\d{2})(\d{3})(\d{3})$")


def display_phone(e164: str) -> str:
    """`+84912345678` → `0912 345 678`, the way Vietnamese sellers write it."""
    # Mobiles, nearly every number stored, the way phonenumbers writes them, without its
    # 0.2 ms parse: a batch of 1,000 labels formats 1,000 phones.
    if mobile := _MOBILE_E164.match(e164):
        return "0{} {} {}".format(*mobile.groups())
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_search_forms(e164: str) -> str:
    """The digit strings a seller may type to find this phone: `0912345678 84912345678`."""
    digits = e164.lstrip("+")
    national = "0" + digits[2:] if digits.startswith("84") else digits
    return f"{national} {digits}"


def email(value: str, field: str = "email") -> str:
    """A syntactically valid address (no network lookups), or "" when none is given."""
    text = clean(value)
    if not text:
        return ""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise fail(field, "err.email.invalid", value=text) from None


def required_text(value: str | None, field: str, *, max_len: int = 200) -> str:
    text = clean(value)
    if not text:
        raise fail(field, "err.required")
    if len(text) > max_len:
        raise fail(field, "err.too_long", max=max_len)
    return text


def optional_text(value: str | None, field: str, *, max_len: int = 2000) -> str:
    text = clean(value)
    if len(text) > max_len:
        raise fail(field, "err.too_long", max=max_len)
    return text


def quantity(value: object, field: str = "qty") -> int:
    """A whole number of items, at least 1."""
    number = _whole(value, field)
    if number <= 0:
        raise fail(field, "err.qty.positive", value=value)
    if number > 1_000_000:
        raise fail(field, "err.qty.too_large", value=value)
    return number


def money(value: object, field: str) -> int:
    """A non-negative whole number of đồng; accepts `350000`, `350.000`, `350,000`."""
    if isinstance(value, bool):
        raise fail(field, "err.money.invalid", value=value)
    if isinstance(value, int):
        amount: int | None = value
    elif isinstance(value, float):
        amount = int(value) if value.is_integer() else None
    else:
        amount = parse_money(str(value))
    if amount is None:
        raise fail(field, "err.money.invalid", value=value)
    if amount < 0:
        raise fail(field, "err.money.negative", value=value)
    if amount > _MAX_MONEY:
        raise fail(field, "err.money.too_large", value=value)
    return amount


def whole(value: object, field: str, *, minimum: int = 0) -> int:
    number = _whole(value, field)
    if number < minimum:
        raise fail(field, "err.number.min", value=value, min=minimum)
    return number


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool):
        raise fail(field, "err.number.invalid", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = clean(str(value))
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise fail(field, "err.number.invalid", value=value)


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def day(value: object, field: str) -> date:
    """A date written `YYYY-MM-DD` or, as in Vietnam, `dd/mm/yyyy`."""
    if isinstance(value, date):
        return value
    text = clean(str(value))
    try:
        if match := _DMY.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text)
    except ValueError:
        raise fail(field, "err.date.invalid", value=text) from None


def choice(value: str, field: str, options: type[T]) -> T:
    """One of an enum's values, case-insensitive."""
    text = clean(value).lower()
    try:
        return options(text)  # type: ignore[call-arg]
    except ValueError:
        allowed = ", ".join(member.value for member in options)  # type: ignore[attr-defined]
        raise fail(field, "err.choice", value=clean(value), options=allowed) from None


class Collector:
    """Runs many field checks and raises all their errors at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return fn(*args, **kwargs)
        except InvalidInput as error:
            self.errors.extend(error.errors)
            return None

    @contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except InvalidInput as error:
            self.errors.extend(error.errors)

    def add(self, field: str, key: str, **params: Any) -> None:
        self.errors.append(FieldError(field, key, params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(list(self.errors))

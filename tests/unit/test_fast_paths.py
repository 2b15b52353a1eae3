"""Fast paths that imports of tens of thousands of rows rely on give exactly what the
library they shortcut would have given."""

from __future__ import annotations

import phonenumbers
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk import validation
from orderdesk.errors import InvalidInput
from orderdesk.text import _KEPT, _SPACES, _ascii, fold, nfc


def _slow_fold(value: str) -> str:
    """What `fold` shortcuts: its per-character reading applied to the whole string."""
    return _SPACES.sub(" ", "".join(_ascii(ord(c)) for c in nfc(value)).lower()).strip()


@settings(max_examples=500)
@given(st.text())
def test_fold_is_its_reading_lowered(value: str) -> None:
    assert fold(value) == _slow_fold(value)
    assert fold(value).isascii()


@settings(max_examples=500)
@given(st.text(st.characters(codec="latin-1")) | st.text(st.characters(max_codepoint=0x2FF)))
def test_fold_of_latin_text_is_anyascii_lowered(value: str) -> None:
    # Letters and punctuation are anyascii's; only `_KEPT` characters read otherwise.
    expected = anyascii(nfc(value).translate(_KEPT))
    assert fold(value) == _SPACES.sub(" ", expected.lower()).strip()


@settings(max_examples=300)
@given(st.text(st.characters(codec="ascii")))
def test_the_ascii_fast_path_is_the_slow_path(value: str) -> None:
    assert fold(value) == _slow_fold(value) == _SPACES.sub(" ", value.lower()).strip()


def test_fold_of_vietnamese() -> None:
    assert fold("  Nguyễn   Thị Hồng ĐÀO ") == "nguyen thi hong dao"
    assert fold("Phường Cửa Nam") == "phuong cua nam"


def _truth(national: str) -> bool:
    number = phonenumbers.parse("+84" + national, None)
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


@settings(max_examples=1000)
@given(st.sampled_from("35789"), st.integers(0, 99_999_999))
def test_the_mobile_fast_path_agrees_with_phonenumbers(first: str, rest: int) -> None:
    national = f"{first}{rest:08d}"
    for written in ("0" + national, "+84" + national, f"(+84){national}", "84" + national):
        try:
            got = validation.phone(written) == "+84" + national
        except InvalidInput:
            got = False
        assert got == _truth(national), written

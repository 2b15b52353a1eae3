"""Fast paths that imports of tens of thousands of rows rely on give exactly what the
library they shortcut would have given."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from orderdesk import validation
from orderdesk.errors import InvalidInput
from orderdesk.text import _SPACES, fold, nfc


@settings(max_examples=500)
@given(st.text())
def test_fold_is_unidecode_lowered(value: str) -> None:
    assert fold(value) == _SPACES.sub(" ", unidecode(nfc(value)).lower()).strip()


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

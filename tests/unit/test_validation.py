"""Field rules: Vietnamese phones, emails, money, quantities, provinces and wards."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk import address, geo, validation
from orderdesk.errors import InvalidInput
from orderdesk.models.money import format_money, format_number, parse_money


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "+84912345678",
        "84912345678",
        "(+84) 912-345-678",
        "0912.345.678",
        "912345678",
        " 0912345678 ",
    ],
)
def test_phone_formats_a_seller_types_all_normalize_to_e164(raw: str) -> None:
    assert validation.phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("0901234567x", "err.phone.chars"),  # phonenumbers alone would accept this
        ("09012345ab", "err.phone.chars"),
        ("01234567890", "err.phone.invalid"),  # pre-2018 11-digit mobile
        ("0123456789", "err.phone.invalid"),
        ("19001234", "err.phone.not_mobile"),  # hotline, not a person
        ("024 3825 1234", "err.phone.not_mobile"),  # landline
        ("091234", "err.phone.invalid"),
        ("+1 650 253 0000", "err.phone.invalid"),  # not Vietnamese
        ("", "err.required"),
    ],
)
def test_bad_phones_are_refused_with_the_reason(raw: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validation.phone(raw)
    assert caught.value.errors[0].key == key
    assert caught.value.errors[0].field == "phone"


def test_landline_allowed_where_a_mobile_is_not_required() -> None:
    assert validation.phone("024 3825 1234", mobile_only=False) == "+842438251234"


def test_phone_is_shown_the_way_vietnamese_sellers_write_it() -> None:
    assert validation.display_phone("+84912345678") == "0912 345 678"


def test_email_is_checked_without_network_and_blank_is_allowed() -> None:
    assert validation.email("Lan@Example.COM") == "Lan@example.com"
    assert validation.email("") == ""
    with pytest.raises(InvalidInput):
        validation.email("lan@")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("350000", 350000),
        ("350.000", 350000),
        ("350,000", 350000),
        ("1.250.000 ₫", 1250000),
        ("350 000", 350000),
        (0, 0),
    ],
)
def test_money_accepts_how_dong_are_written(raw: object, value: int) -> None:
    assert validation.money(raw, "cod") == value


@pytest.mark.parametrize("raw", ["350.5", "abc", "-5", "3,50", "1e6", True])
def test_money_refuses_anything_but_whole_non_negative_dong(raw: object) -> None:
    with pytest.raises(InvalidInput):
        validation.money(raw, "cod")


def test_money_is_formatted_per_language() -> None:
    assert format_money(1_250_000, "vi") == "1.250.000 ₫"
    assert format_money(1_250_000, "en") == "1,250,000 ₫"
    assert parse_money(format_money(1_250_000, "vi")) == 1_250_000
    assert (format_number(3000, "vi"), format_number(3000, "en")) == ("3.000", "3,000")


@pytest.mark.parametrize("raw", [0, -1, "0", "1.5", "two", ""])
def test_quantity_must_be_a_positive_whole_number(raw: object) -> None:
    with pytest.raises(InvalidInput):
        validation.quantity(raw)


@pytest.mark.parametrize(
    "text",
    ["Hà Nội", "ha noi", "HANOI", "Thành phố Hà Nội", "TP. Hà Nội", "tp ha noi", "hn"],
)
def test_province_names_with_or_without_diacritics_and_prefixes(text: str) -> None:
    assert geo.resolve_province(text).name == "Thành phố Hà Nội"


@pytest.mark.parametrize("text", ["TP HCM", "tp.hcm", "hcm", "Hồ Chí Minh", "Sài Gòn"])
def test_ho_chi_minh_city_by_its_common_names(text: str) -> None:
    assert geo.resolve_province(text).code == 79


@pytest.mark.parametrize(
    "text", ["Phường Cửa Nam", "P. Cửa Nam", "p cua nam", "cua nam", "CỬA NAM", "P.Cửa Nam"]
)
def test_ward_names_with_or_without_diacritics_and_prefixes(text: str) -> None:
    assert geo.resolve_ward(1, text).name == "Phường Cửa Nam"


def test_ward_names_that_differ_only_by_diacritics_need_them() -> None:
    # Thái Nguyên has both Xã Văn Lang and Xã Văn Lăng.
    assert geo.resolve_ward(19, "Văn Lăng").name == "Xã Văn Lăng"
    assert geo.resolve_ward(19, "Xã Văn Lang").name == "Xã Văn Lang"
    with pytest.raises(geo.PlaceAmbiguous) as caught:
        geo.resolve_ward(19, "van lang")
    assert set(caught.value.options) == {"Xã Văn Lang", "Xã Văn Lăng"}


def test_the_prefix_settles_a_phuong_and_a_xa_of_the_same_name() -> None:
    assert geo.resolve_ward(82, "phuong my tho").name == "Phường Mỹ Tho"
    assert geo.resolve_ward(82, "xa my tho").name == "Xã Mỹ Thọ"


def test_address_errors_name_the_field_and_where_the_ward_really_is() -> None:
    with pytest.raises(InvalidInput) as caught:
        address.resolve("Đà Nẵng", "Cửa Nam")
    error = caught.value.errors[0]
    assert error.field == "ward"
    assert "Hà Nội" in error.message()
    with pytest.raises(InvalidInput) as caught:
        address.resolve("Atlantis", "Cửa Nam")
    assert caught.value.errors[0].field == "province"


def test_the_package_lists_the_two_level_units_since_july_2025() -> None:
    assert len(geo.provinces()) == 34
    assert sum(len(geo.wards_of(p.code)) for p in geo.provinces()) == 3321


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-12-31", "2026-12-31"), ("31/12/2026", "2026-12-31"), ("1/2/2027", "2027-02-01")],
)
def test_dates_written_either_way(text: str, expected: str) -> None:
    assert validation.day(text, "deliver_by").isoformat() == expected


@pytest.mark.parametrize("text", ["31/13/2026", "2026-02-30", "tomorrow", "12/2026"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        validation.day(text, "deliver_by")


@given(st.sampled_from("35789"), st.text("0123456789", min_size=8, max_size=8))
def test_mobiles_are_shown_as_phonenumbers_would_show_them(first: str, rest: str) -> None:
    import phonenumbers

    e164 = f"+84{first}{rest}"
    expected = phonenumbers.format_number(
        phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL
    )
    assert validation.display_phone(e164) == expected

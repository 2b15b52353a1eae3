"""Addresses as sellers receive them: every ward however it is typed, old (pre-July-2025)
addresses converted or refused with their candidates, the ward inside the street line.

Everything goes through `address.resolve` (orders, files, the CLI, marketplace exports),
`address.search` (the desk's type-ahead) and `paste.parse` (the paste box).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

import pytest

from helpers import SAMPLES
from orderdesk import address, geo, geo_old
from orderdesk.errors import InvalidInput
from orderdesk.services import paste
from orderdesk.text import fold

UNIT_WORD = {"phuong": "Phường", "xa": "Xã", "dac_khu": "Đặc khu"}
# How each kind of ward is abbreviated on envelopes and in chats.
ABBREVIATIONS = {
    "phuong": ["P.", "P. ", "P ", "p.", "Ph. "],
    "xa": ["X.", "X. ", "x ", "TT. ", "Thị trấn "],
    "dac_khu": ["ĐK ", "Đặc khu "],
}


def spellings(ward: geo.WardPlace) -> Iterator[str]:
    """The ways people write a ward: official, bare, without diacritics, abbreviated, in
    capitals, numbered wards glued to their letter (`P1 Bảo Lộc`)."""
    unit = UNIT_WORD[ward.kind]
    assert ward.name.startswith(unit + " ")
    bare = ward.name[len(unit) + 1 :]
    yield from (ward.name, bare, fold(ward.name), fold(bare), ward.name.lower(), bare.upper())
    for short in ABBREVIATIONS[ward.kind]:
        yield short + bare
        yield fold(short + bare)
    if bare[0].isdigit():
        yield "P" + bare
        yield "p" + fold(bare)


def _same(text: str) -> str:
    """What a spelling leaves once diacritics and dots are gone: two wards that share it
    cannot be told apart without diacritics (Văn Lang, Văn Lăng)."""
    return " ".join(fold(text).replace(".", " ").split())


@pytest.mark.parametrize("province", geo.provinces(), ids=lambda p: fold(p.name))
def test_every_ward_in_every_spelling(province: geo.Place) -> None:
    wards = geo.wards_of(province.code)
    owners: dict[str, set[int]] = defaultdict(set)
    for ward in wards:
        for text in spellings(ward):
            owners[_same(text)].add(ward.code)
    checked = 0
    for ward in wards:
        for text in spellings(ward):
            shared = len(owners[_same(text)]) > 1
            try:
                found = address.resolve(province.name, text).ward
            except InvalidInput as error:
                [problem] = error.errors
                # Only a spelling two wards share may be refused, naming both.
                assert shared and problem.key == "err.ward.ambiguous", (text, problem.message())
                assert ward.name in problem.params["options"]
                continue
            assert found == ward, (text, found.name)
            # The desk's type-ahead offers it first: Enter picks the ward typed.
            assert address.search(province.code, text)[0][0] == ward, text
            checked += 1
    assert checked >= len(wards) * 10


@pytest.mark.parametrize("province", geo.provinces(), ids=lambda p: fold(p.name))
def test_every_ward_from_inside_an_address_line_and_a_pasted_message(
    province: geo.Place,
) -> None:
    for ward in geo.wards_of(province.code):
        bare = ward.name.split(" ", 1 if ward.kind != "dac_khu" else 2)[-1]
        for text in (ward.name, fold(bare)):
            line = f"Số 10 ngõ 286/36 Võ Văn Tần, {text}, {province.name}"
            try:
                found = address.resolve("", "", street=line)
            except InvalidInput as error:
                assert error.errors[0].key == "err.ward.ambiguous", (line, error.message())
                continue
            assert (found.ward, found.street) == (ward, "Số 10 ngõ 286/36 Võ Văn Tần"), line
        message = f"Chị Lan 0912345678\n12 Lê Lợi, {ward.name}, {province.name}"
        assert paste.parse(message, []).ward == ward.name, message


@pytest.mark.parametrize(
    "typed",
    ["TP HCM", "HCM", "Sài Gòn", "sai gon", "TP.HCM", "Hồ Chí Minh", "tp ho chi minh"],
)
def test_saigon_spellings(typed: str) -> None:
    assert address.province_of(typed).name == "Thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Hà Nội", "Thành phố Hà Nội"),
        ("ha noi", "Thành phố Hà Nội"),
        ("HN", "Thành phố Hà Nội"),
        ("Huế", "Thành phố Huế"),
        ("hue", "Thành phố Huế"),
        ("Thừa Thiên Huế", "Thành phố Huế"),
        ("TP. Cần Thơ", "Thành phố Cần Thơ"),
        ("tp can tho", "Thành phố Cần Thơ"),
        ("Đà Nẵng", "Thành phố Đà Nẵng"),
        # Provinces merged in July 2025 name their successor.
        ("Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Quảng Nam", "Thành phố Đà Nẵng"),
        ("Hà Giang", "Tuyên Quang"),
    ],
)
def test_province_spellings(typed: str, name: str) -> None:
    assert address.province_of(typed).name == name


def test_a_ward_whose_name_starts_like_a_unit_word() -> None:
    assert address.resolve("Hà Nội", "Phương Liệt").ward.name == "Phường Phương Liệt"
    assert address.resolve("Hà Nội", "phuong liet").ward.name == "Phường Phương Liệt"
    assert address.resolve("Thái Nguyên", "phuong tien").ward.name == "Xã Phượng Tiến"
    assert address.resolve("Điện Biên", "xa dung").ward.name == "Xã Xa Dung"
    assert address.resolve("Điện Biên", "Xã Xa Dung").ward.name == "Xã Xa Dung"


# ---------------------------------------------------------------------------- old addresses

# Checked by hand against the reform's resolutions (Nghị quyết 1656/NQ-UBTVQH15 for Hà Nội,
# 1685/NQ-UBTVQH15 for Hồ Chí Minh City).
CONVERTED = [
    ("Hồ Chí Minh", "Bến Nghé", "Quận 1", "Phường Sài Gòn"),
    ("TP.HCM", "Phường 5", "Quận 3", "Phường Bàn Cờ"),
    ("TP HCM", "P5", "Q3", "Phường Bàn Cờ"),
    ("tp hcm", "p.5", "q.3", "Phường Bàn Cờ"),
    ("Hà Nội", "Cửa Nam", "Hoàn Kiếm", "Phường Cửa Nam"),
    ("Hà Nội", "xã Phù Đổng", "huyện Gia Lâm", "Xã Phù Đổng"),
    ("Bình Dương", "Phú Cường", "Thủ Dầu Một", "Phường Thủ Dầu Một"),
]
SPLIT = [
    ("Hồ Chí Minh", "Đa Kao", "Quận 1", {"Phường Tân Định", "Phường Sài Gòn"}),
    ("Hà Nội", "Dịch Vọng Hậu", "Cầu Giấy", {"Phường Cầu Giấy", "Phường Nghĩa Đô"}),
]


@pytest.mark.parametrize(("province", "ward", "district", "becomes"), CONVERTED)
def test_an_old_address_is_converted(province: str, ward: str, district: str, becomes: str) -> None:
    found = address.resolve(province, ward, district, "12 Nguyễn Trãi")
    assert found.ward.name == becomes and found.street == "12 Nguyễn Trãi"
    if fold(ward).split()[-1] not in fold(becomes):  # a new name: the seller sees the change
        assert found.converted.endswith(f"→ {becomes}, {found.province.name}")
        assert found.written.startswith(ward)
    # Written in one line, as a chat or a marketplace export carries it.
    line = f"12 Nguyễn Trãi, {ward}, {district}, {province}"
    assert address.resolve("", "", street=line).ward.name == becomes


@pytest.mark.parametrize(("province", "ward", "district", "candidates"), SPLIT)
def test_a_split_old_ward_is_refused_with_its_candidates(
    province: str, ward: str, district: str, candidates: set[str]
) -> None:
    for given in (
        (province, ward, district, ""),
        ("", "", "", f"5 Ngõ 2, {ward}, {district}, {province}"),
    ):
        with pytest.raises(InvalidInput) as refused:
            address.resolve(*given)
        [error] = refused.value.errors
        assert error.field == "ward" and error.key == "err.ward.old_split"
        assert all(name in error.message() for name in candidates)


def test_an_old_ward_without_its_district_names_the_districts() -> None:
    with pytest.raises(InvalidInput) as refused:
        address.resolve("TP HCM", "Phường 5")
    [error] = refused.value.errors
    assert error.key == "err.ward.old_which"
    assert "Quận 3 → Phường Bàn Cờ" in error.message() and "Quận 5" in error.message()


def test_a_ward_that_is_no_ward_is_not_answered_with_a_whole_province() -> None:
    """vietnam-address-converter's own matcher, asked for a ward it does not know, answers
    "ambiguous" with every ward of the province as candidates; geo_old uses only its
    table, so `xyz` stays an unknown ward. If this test fails on the library's side, its
    matcher was fixed and could be used directly."""
    from vietnam_address_converter.conversion import convert_old_to_new

    theirs = convert_old_to_new({"province_name": "Hà Nội", "ward_name": "xyz"})
    assert theirs["status"] == "ambiguous" and len(theirs["candidates"]) > 100
    assert geo_old.lookup("xyz", "", "Hà Nội") == []
    with pytest.raises(InvalidInput) as refused:
        address.resolve("Hà Nội", "xyz")
    assert refused.value.errors[0].key == "err.ward.unknown"


def test_every_old_ward_of_the_table_leads_to_current_wards_of_its_province() -> None:
    table = geo_old._table()
    assert len(table.becomes) > 10_000
    for code, successors in table.becomes.items():
        assert successors, code
        assert len({w.province_code for w in successors}) == 1


def test_a_current_ward_with_its_old_district_is_kept() -> None:
    found = address.resolve("Hà Nội", "Phường Láng", "Đống Đa")
    assert found.ward.name == "Phường Láng" and found.converted == ""
    assert found.district == "Đống Đa"


def test_the_type_ahead_offers_what_an_old_ward_became() -> None:
    hanoi = address.province_of("Hà Nội").code
    offered = address.search(hanoi, "dich vong hau")
    assert {w.name for w, old in offered if old} >= {"Phường Cầu Giấy", "Phường Nghĩa Đô"}
    assert all("Dịch Vọng Hậu" in old for _, old in offered if old)
    saigon = address.province_of("hcm").code
    [(ward, old)] = [c for c in address.search(saigon, "p5 q3") if c[1]]
    assert ward.name == "Phường Bàn Cờ" and "Quận 3" in old


# ---------------------------------------------------------------------------- the ward in the line


def test_the_ward_is_taken_from_the_street_line() -> None:
    found = address.resolve(
        "Bắc Ninh", "", "", "Số 10 ngõ 286/36 Võ Văn Tần, Phường Kinh Bắc, Bắc Ninh"
    )
    assert (found.ward.name, found.street) == ("Phường Kinh Bắc", "Số 10 ngõ 286/36 Võ Văn Tần")
    # Without commas, and with the ward column holding something else (an old district).
    found = address.resolve("TP HCM", "Quận 1", "", "8 Nguyễn Huệ phường Sài Gòn")
    assert (found.ward.name, found.street) == ("Phường Sài Gòn", "8 Nguyễn Huệ")
    # A current ward that shares its name with an old district stays the ward.
    found = address.resolve("", "", "", "12 Lý Thường Kiệt, Cầu Giấy, Hà Nội")
    assert (found.ward.name, found.street) == ("Phường Cầu Giấy", "12 Lý Thường Kiệt")


def test_an_address_line_with_no_ward_is_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        address.resolve("Hà Nội", "", "", "12 Lý Thường Kiệt")
    assert refused.value.errors[0].field == "ward"


# ---------------------------------------------------------------------------- the paste box


def test_a_pasted_old_address_is_converted_and_shown() -> None:
    found = paste.parse("Chị Lan 0912345678, 12 Nguyễn Trãi, Phường 5, Quận 3, TP.HCM, 350k", [])
    assert (found.ward, found.province, found.street) == (
        "Phường Bàn Cờ",
        "Thành phố Hồ Chí Minh",
        "12 Nguyễn Trãi",
    )
    assert found.converted == ("Phường 5, Quận 3, TP.HCM → Phường Bàn Cờ, Thành phố Hồ Chí Minh")
    assert found.unread == [] and found.amount == 350_000


def test_a_pasted_split_ward_asks_which() -> None:
    found = paste.parse(
        "Anh Minh 0987654321\n27 Trần Duy Hưng, Dịch Vọng Hậu, Cầu Giấy, Hà Nội", []
    )
    assert (found.ward, found.district) == ("Dịch Vọng Hậu", "Cầu Giấy")
    assert "Phường Cầu Giấy" in found.choose and "Phường Nghĩa Đô" in found.choose
    assert found.converted == "" and found.street == "27 Trần Duy Hưng"


# ---------------------------------------------------------------------------- files


def test_an_orders_file_of_old_addresses_imports_converted(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", "products", str(SAMPLES / "products.csv"))[0] == 0
    code, out, err = run_cli("import", "orders", str(SAMPLES / "orders-old-addresses.csv"))
    assert code == 0 and "5 order(s) created" in out and "3 address(es) from before" in out
    assert "row 3: P5, Q3, TP HCM → Phường Bàn Cờ" in err
    wards = {}
    for order_code in ("CU-0001", "CU-0002", "CU-0003", "CU-0004", "CU-0005"):
        shown = json.loads(run_cli("order", "show", order_code, "--json")[1])
        wards[order_code] = (shown["ward"], shown["street"], shown["old_address"])
    assert wards == {
        "CU-0001": ("Phường Sài Gòn", "12 Lê Thánh Tôn", "Phường Bến Nghé, Quận 1, TP.HCM"),
        "CU-0002": ("Phường Bàn Cờ", "45 Nguyễn Thị Minh Khai", "P5, Q3, TP HCM"),
        "CU-0003": ("Phường Cửa Nam", "8 Tràng Thi", ""),
        "CU-0004": ("Xã Phù Đổng", "Thôn Đổng Viên", ""),
        "CU-0005": (
            "Phường Thủ Dầu Một",
            "1 Yersin",
            "Phường Phú Cường, Thủ Dầu Một, Bình Dương",
        ),
    }
    text = run_cli("order", "show", "CU-0002")[1]
    assert "Old address: P5, Q3, TP HCM → Phường Bàn Cờ, Thành phố Hồ Chí Minh" in text


def test_an_orders_file_with_a_split_old_ward_is_refused_naming_the_wards(
    run_cli, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", "products", str(SAMPLES / "products.csv"))[0] == 0
    lines = (SAMPLES / "orders-old-addresses.csv").read_text(encoding="utf-8").splitlines()
    lines.append(
        "CU-0006,zalo,Trần Minh,0912 345 606,27 Trần Duy Hưng,Dịch Vọng Hậu,Cầu Giấy,Hà Nội,ML-BE,1"
    )
    lines.append("CU-0007,zalo,Võ An,0912 345 607,3 Hai Bà Trưng,Đa Kao,Quận 1,Hồ Chí Minh,ML-BE,1")
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("import", "orders", str(path))
    assert code == 1
    assert "row 7" in err and "Phường Cầu Giấy or Phường Nghĩa Đô" in err
    assert "row 8" in err and "Phường Tân Định or Phường Sài Gòn" in err
    assert json.loads(run_cli("order", "list", "--json")[1]) == []


def test_a_customer_book_with_old_addresses(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("import", "customers", str(SAMPLES / "customers.csv"))
    assert code == 0 and "3 customer(s) added" in out
    assert "1 old address(es) wait" in out and "Phường Nghĩa Đô" in err
    lan = json.loads(run_cli("customer", "show", "0912345601", "--json")[1])
    assert (lan["ward"], lan["old_address"], lan["tags"]) == ("Phường Sài Gòn", "", ["vip"])
    minh = json.loads(run_cli("customer", "show", "0912345606", "--json")[1])
    assert (minh["ward"], minh["province"]) == ("", "Thành phố Hà Nội")
    assert minh["old_address"] == "Dịch Vọng Hậu, Cầu Giấy, Hà Nội"
    code, out, _ = run_cli("doctor")
    assert code == 0 and "1 customer(s) keep an address from before July 2025" in out
    # Importing the book again changes nothing new.
    code, out, _ = run_cli("import", "customers", str(SAMPLES / "customers.csv"))
    assert "0 customer(s) added, 3 updated" in out


def _old_provinces() -> list[str]:
    return sorted(geo_old._table().provinces)


@pytest.mark.parametrize("old_province", _old_provinces())
def test_every_old_ward_that_became_one_ward_converts(old_province: str) -> None:
    """Each old ward of the province that went whole into one current ward, written with
    its district and old province, in columns and in one line, becomes that ward."""
    table = geo_old._table()
    province = table.provinces[old_province].name
    for district in table.districts.get(old_province, []):
        for units in table.wards.get(district.code, {}).values():
            if len(units) != 1 or len(table.becomes.get(units[0].code, ())) != 1:
                continue
            [becomes] = table.becomes[units[0].code]
            ward = units[0].name
            found = address.resolve(province, ward, district.name, "1 Lê Lợi")
            assert found.ward == becomes, (ward, district.name, found.ward.name)
            line = f"1 Lê Lợi, {ward}, {district.name}, {province}"
            assert address.resolve("", "", "", line).ward == becomes, line


def test_a_city_district_named_like_its_province_is_not_taken_for_it() -> None:
    line = "1 Lê Lợi, Phường Lê Lợi, Thành Phố Hưng Yên, Tỉnh Hưng Yên"
    found = address.resolve("Tỉnh Hưng Yên", "", "", line)
    assert (found.ward.name, found.street) == ("Phường Phố Hiến", "1 Lê Lợi")
    # An old phường comes before today's xã of the same name elsewhere in the province.
    assert address.resolve("Hưng Yên", "Phường Lê Lợi", "TP Hưng Yên").ward.name == (
        "Phường Phố Hiến"
    )


def test_an_old_ward_typed_with_its_district_in_the_ward_field() -> None:
    assert address.resolve("hcm", "p5 q3").ward.name == "Phường Bàn Cờ"
    assert address.resolve("hcm", "Phường 5, Quận 3").ward.name == "Phường Bàn Cờ"
    with pytest.raises(InvalidInput) as refused:
        address.resolve("Hà Nội", "Dịch Vọng Hậu, Cầu Giấy")
    assert refused.value.errors[0].key == "err.ward.old_split"

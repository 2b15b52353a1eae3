"""Code128 from zxing-cpp: every symbol scans back as exactly its data, whatever subsets
zxing-cpp picks, and the ZPL builder can send it (no SHIFT, see `barcodes.code128`)."""

from __future__ import annotations

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk.printing import barcodes
from orderdesk.printing.barcodes import CODE128_PATTERNS, CODE128_STOP, QUIET_MODULES

PIXELS_PER_MODULE = 2
HEIGHT = 40


def scan(pattern: str) -> str | None:
    """What a scanner reads off `pattern` drawn 2 px a module, 40 px tall, in its quiet
    zones; control characters as themselves."""
    modules = "0" * QUIET_MODULES + pattern + "0" * QUIET_MODULES
    row = bytes(0 if m == "1" else 255 for m in modules for _ in range(PIXELS_PER_MODULE))
    image = memoryview(row * HEIGHT).cast("B", (HEIGHT, len(row)))
    found = zxingcpp.read_barcode(
        image, formats=zxingcpp.BarcodeFormat.Code128, text_mode=zxingcpp.TextMode.Plain
    )
    return found.text if found else None


def values(pattern: str) -> list[int]:
    """The symbol characters of `pattern`, start and check included."""
    assert pattern.endswith(CODE128_STOP) and (len(pattern) - len(CODE128_STOP)) % 11 == 0
    body = pattern[: -len(CODE128_STOP)]
    return [CODE128_PATTERNS.index(body[i : i + 11]) for i in range(0, len(body), 11)]


def test_the_table_is_code128s() -> None:
    assert len(CODE128_PATTERNS) == 106 == len(set(CODE128_PATTERNS))
    for pattern in CODE128_PATTERNS:
        # 11 modules: three bars and three spaces, starting with a bar, 1 to 4 wide.
        runs = pattern.replace("10", "1 0").replace("01", "0 1").split()
        assert len(pattern) == 11 and len(runs) == 6 and pattern[0] == "1"
        assert all(1 <= len(run) <= 4 for run in runs)
    assert CODE128_STOP == "1100011101011"


SAMPLES = [
    "9912",
    "99",
    "990",
    "9999",
    "99A-1",
    "DH2611-0001",
    "DH9912-99999",
    "123456789012345678",
    "841234567890123456",
    "SPXVN061234567890",
    "S22749126.SGP39-J31.1375835526",
    "GHN5XK9P2QVN",
    "A>B^C~D_E",
    "Don hang #12 (giao gap)",
    " ",
    "~",
]


@pytest.mark.parametrize("data", SAMPLES)
def test_samples_scan_back_exactly(data: str) -> None:
    pattern = barcodes.code128(data)
    assert set(pattern) <= {"0", "1"} and scan(pattern) == data
    symbol = values(pattern)
    assert symbol[0] in (103, 104, 105)
    check = (symbol[0] + sum(n * v for n, v in enumerate(symbol[1:-1], start=1))) % 103
    assert symbol[-1] == check


def zxing_row(data: str) -> str:
    image = memoryview(
        zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.Code128).to_image(
            scale=1, add_quiet_zones=False
        )
    )
    return "".join("1" if pixel < 128 else "0" for pixel in image.tobytes()[: image.shape[1]])


@pytest.mark.parametrize("data", SAMPLES)
def test_printable_data_is_zxing_cpps_own_symbol(data: str) -> None:
    assert barcodes.code128(data) == zxing_row(data)


def test_a_leading_99_is_kept() -> None:
    # Start C, 99, 12: python-barcode 0.16 merged the 99 into the start code.
    assert values(barcodes.code128("9912"))[:3] == [105, 99, 12]


def test_digits_are_packed_in_pairs() -> None:
    # 18 digits: start C, 9 pairs, check; the label makes room for that and no more.
    assert len(barcodes.code128("123456789012345678")) == 11 * 11 + 13


SWITCHES = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}


@pytest.mark.parametrize("data", ["ab\x01c", "x\x00y\x1fz", "\x7f\x01a\x02b"])
def test_control_characters_among_letters_switch_instead_of_shift(data: str) -> None:
    symbol = values(barcodes.code128(data))
    subset = {103: "A", 104: "B", 105: "C"}[symbol[0]]
    for value in symbol[1:-1]:
        assert not (subset != "C" and value == 98), symbol  # SHIFT
        subset = SWITCHES[subset].get(value, subset)
    assert scan(barcodes.code128(data)) == data


@pytest.mark.parametrize("data", ["", "Đơn 12", "café", "x" * 120])
def test_what_code128_cannot_hold_is_refused(data: str) -> None:
    with pytest.raises(ValueError):
        barcodes.code128(data)


PRINTABLE = st.characters(min_codepoint=32, max_codepoint=126)


@settings(max_examples=500, deadline=None)
@given(st.text(PRINTABLE, min_size=1, max_size=40))
def test_any_printable_ascii_scans_back_exactly(data: str) -> None:
    assert scan(barcodes.code128(data)) == data


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(max_codepoint=127) | st.sampled_from("0123456789"), min_size=1, max_size=40
    )
)
def test_any_ascii_scans_back_exactly(data: str) -> None:
    assert scan(barcodes.code128(data)) == data


@settings(max_examples=200, deadline=None)
@given(st.text(PRINTABLE, min_size=1, max_size=40))
def test_widths_follow_the_pattern(data: str) -> None:
    pattern = barcodes.code128(data)
    assert barcodes.code128_width(data, 2) == (len(pattern) + 2 * QUIET_MODULES) * 2 * (72 / 203)
    drawn = ["0"] * len(pattern)
    for start, length in barcodes.code128_runs(data):
        drawn[start : start + length] = "1" * length
    assert "".join(drawn) == pattern

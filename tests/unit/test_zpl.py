"""ZPL labels read back: the exact commands for a fixed label, escaping that no customer
text can break out of, Vietnamese as UTF-8, barcodes that encode exactly the order code,
the font download once, and nothing off the label.

The golden file `golden/label_100x150.zpl` is the complete ZPL of one fixed label (the font
download excluded). After an intended change to the label layout, the Vietnamese catalog or
the ZPL builder, regenerate it and review the diff:

    ORDERDESK_UPDATE_GOLDEN=1 pytest tests/unit/test_zpl.py -k golden
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import print_order
from orderdesk.i18n import set_language
from orderdesk.printing import barcodes, fonts, zpl
from orderdesk.printing.barcodes import CODE128_PATTERNS, CODE128_STOP, DOT, QUIET_MODULES
from orderdesk.printing.documents import Line, PrintOrder, Shop
from orderdesk.printing.label import LABEL_SIZES

GOLDEN = Path(__file__).parent / "golden" / "label_100x150.zpl"
PRINTED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SHOP = Shop("Shop Áo Đẹp Sài Gòn", "0901 234 567", "12 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội")
HOSTILE = "Lan ^XZ~JR_x"


def sample(i: int = 1, **changes: object) -> PrintOrder:
    return print_order(i, **{"tracking": "GHN12345ABCVN", **changes})


def long_order(i: int = 9) -> PrintOrder:
    """A 200-character address, 25 lines, a long note and a name that tries to end the label."""
    street = ("Số 45 ngõ 123/45 đường Nguyễn Huệ, tòa nhà Bitexco tầng 12 phòng 1203, " * 3)[:200]
    lines = [
        Line(f"AT-{n:03d}", "Áo sơ mi lụa tay dài công sở", "Trắng ngà, size M", 1 + n % 3, 185_000)
        for n in range(25)
    ]
    return sample(
        i,
        name="Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc " + HOSTILE,
        street=street,
        lines=lines,
        note="Giao giờ hành chính, gọi trước 15 phút; " * 4 + HOSTILE,
    )


@pytest.fixture
def vi() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("en")


def render(orders: list[PrintOrder], size: str = "100x150", **options: object) -> bytes:
    out = io.BytesIO()
    zpl.write_labels(out, orders, SHOP, LABEL_SIZES[size], PRINTED_AT, **options)  # type: ignore[arg-type]
    return out.getvalue()


def labels(data: bytes) -> list[str]:
    """The `^XA … ^XZ` formats of a file without its font download, as text."""
    text = data.decode("utf-8")
    assert text.startswith("^XA"), text[:40]
    return [f"^XA{body}" for body in text.split("^XA")[1:]]


def unescape(field_data: str) -> str:
    return re.sub(
        rb"_([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]), field_data.encode("utf-8")
    ).decode("utf-8")


FIELD = re.compile(r"\^F([OT])(\d+),(\d+)(.*)\^FS$")


def fields(label: str) -> list[tuple[str, int, int, str]]:
    """(origin kind O or T, x, y, the rest) of every field; one field per line."""
    found = []
    for line in label.splitlines():
        if line.startswith(("^FO", "^FT")):
            match = FIELD.fullmatch(line)
            assert match, line
            found.append((match[1], int(match[2]), int(match[3]), match[4]))
    return found


def texts(label: str) -> list[str]:
    return [unescape(rest.split("^FD", 1)[1]) for _, _, _, rest in fields(label) if "^A@" in rest]


# Zebra's "Code 128 Invocation Characters" in mode N, as the printer reads them.
_START = {">9": (103, "A"), ">:": (104, "B"), ">;": (105, "C")}
_INVOKE = {"2": 96, "3": 97, "4": 98, "5": 99, "6": 100, "7": 101, "8": 102}
_SWITCHES = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
_B_LITERAL = {"<": 62, "0": 30, "=": 94, "1": 95}


def read_code128(field_data: str) -> tuple[str, str]:
    """What a printer encodes for `^BC…,N` field data: the text a scanner reads and the
    module pattern (start, data, check character, stop)."""
    values = [_START[field_data[:2]][0]]
    subset = _START[field_data[:2]][1]
    text = []
    i = 2
    while i < len(field_data):
        char = field_data[i]
        if char == ">":
            code = field_data[i + 1]
            i += 2
            if subset == "B" and code in _B_LITERAL:
                values.append(_B_LITERAL[code])
                text.append(chr(_B_LITERAL[code] + 32))
                continue
            value = _INVOKE[code]
            values.append(value)
            subset = _SWITCHES[subset].get(value, subset)
        elif subset == "B":
            values.append(ord(char) - 32)
            text.append(char)
            i += 1
        else:
            value = int(field_data[i : i + 2])
            i += 2
            values.append(value)
            if subset == "C":
                text.append(f"{value:02d}")
            else:
                text.append(chr(value + 32) if value < 64 else chr(value - 64))
    check = (values[0] + sum(n * v for n, v in enumerate(values[1:], start=1))) % 103
    pattern = "".join(CODE128_PATTERNS[v] for v in [*values, check])
    return "".join(text), pattern + CODE128_STOP


# ----------------------------------------------------------------------------- golden


def test_golden_label_100x150(vi: None) -> None:
    body = render([sample()], include_font=False).decode("utf-8")
    if os.environ.get("ORDERDESK_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(body, encoding="utf-8", newline="")
    assert body == GOLDEN.read_text(encoding="utf-8"), (
        "ZPL changed; if intended: ORDERDESK_UPDATE_GOLDEN=1 pytest tests/unit/test_zpl.py"
    )


def test_label_starts_with_utf8_size_and_home(vi: None) -> None:
    (label,) = labels(render([sample()], include_font=False))
    assert label.startswith("^XA\n^CI28\n^PW799\n^LL1199\n^LH0,0\n")
    assert label.endswith("\n^XZ\n")


# ----------------------------------------------------------------------------- text


def test_escape_sends_prefixes_and_controls_as_hex() -> None:
    assert zpl.zpl_escape(HOSTILE) == "Lan _5EXZ_7EJR_5Fx"
    assert zpl.zpl_escape("a\nb\tc\x7f\x85") == "a_0Ab_09c_7F_C2_85"
    assert zpl.zpl_escape("Nguyễn Thị Hồng Nhung, 12/3 ngõ #5") == (
        "Nguyễn Thị Hồng Nhung, 12/3 ngõ #5"
    )


def test_customer_text_cannot_end_the_label_or_command_the_printer(vi: None) -> None:
    orders = [sample(1, name=HOSTILE, note=HOSTILE), long_order(2), sample(3, note=HOSTILE)]
    data = render(orders, include_font=False)
    text = data.decode("utf-8")
    assert text.count("^XA") == 3
    assert text.count("^XZ") == 3
    assert "~" not in text  # a tilde is a control command even inside field data
    for label in labels(data):
        assert label.count("^XZ") == 1 and label.endswith("^XZ\n")
        for _, _, _, rest in fields(label):
            if "^FD" in rest:
                assert "^" not in rest.split("^FD", 1)[1], rest
    first = labels(data)[0]
    assert "^FDLan _5EXZ_7EJR_5Fx^FS" in first
    assert "Ghi chú: " + HOSTILE in texts(first)
    assert HOSTILE in texts(first)


def test_vietnamese_travels_as_utf8_with_every_diacritic(vi: None) -> None:
    data = render([sample()], include_font=False)
    assert "Nguyễn Thị Hồng Nhung".encode() in data
    assert b"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xe1\xbb\x93ng Nhung" in data
    shown = texts(labels(data)[0])
    assert "Nguyễn Thị Hồng Nhung" in shown
    assert "THU HỘ 350.000 ₫" in shown
    assert any(line.startswith("Người gửi: Shop Áo Đẹp Sài Gòn") for line in shown)


def test_text_uses_the_downloaded_faces_at_its_baseline() -> None:
    ink = zpl.ZplInk(100.0)
    ink.text(10.0, 20.0, "Đơn", 12.0, bold=True)
    ink.text(10.0, 20.0, "", 12.0)
    h = round(12.0 / DOT)
    w = zpl.fitted_width("Đơn", 12.0, h, True)
    assert ink.fields == [
        f"^FT{round(10 / DOT)},{round(80 / DOT)}^A@N,{h},{w},E:ODSANSB.TTF^FH_^FDĐơn^FS"
    ]


def test_white_text_prints_reversed() -> None:
    ink = zpl.ZplInk(100.0)
    ink.box(5.0, 5.0, 50.0, 20.0, fill=True)
    ink.text(10.0, 10.0, "COD", 10.0, white=True)
    assert ink.fields[0] == "^FO14,211^GB141,57,57^FS"
    assert "^FR^FH_^FDCOD^FS" in ink.fields[1]


def test_a_printed_line_is_never_wider_than_in_the_pdf() -> None:
    line = "1 × Áo thun cổ tròn cotton (Đen, L); 2 × Áo thun cổ tròn cotton (Đen, L); 3 ×"
    for size in (5.5, 6.0, 7.5, 8.0, 11.5, 24.0):
        h = round(size / DOT)
        w = zpl.fitted_width(line, size, h)
        assert w <= h + 1
        assert zpl.printer_width(line, w) <= fonts.width(line, size) / DOT + 1


# ----------------------------------------------------------------------------- codes


def test_code128_encodes_exactly_the_order_and_tracking_codes(vi: None) -> None:
    order = sample(7)
    (label,) = labels(render([order], include_font=False))
    bars = [rest for _, _, _, rest in fields(label) if "^BC" in rest]
    assert len(bars) == 2
    for rest, data in zip(bars, (order.code, order.tracking), strict=True):
        assert re.match(r"\^BY(\d),3,(\d+)\^BCN,\2,N,N,N,N\^FD", rest)
        field_data = rest.split("^FD", 1)[1]
        assert read_code128(field_data) == (data, barcodes.code128(data))
    assert f"^FD{zpl.code128_symbol(order.code)[0]}^FS" in label
    assert zpl.code128_symbol("DH2611-0007")[0] == ">:DH>52611>6->50007"


CODE_SAMPLES = [
    "DH2611-0001",
    "S22749126.SGP39-J31.1375835526",
    "220810QSK8S7BX",
    "841234567890",
    "SPXVN0123456789",
    "1",
    "123abc4567",
    "A>B^C~D_E",
    "ab\x7fc",
    "AB\x01C\x1fD",
]


@pytest.mark.parametrize("data", CODE_SAMPLES)
def test_code128_field_data_reads_back(data: str) -> None:
    field_data, modules = zpl.code128_symbol(data)
    assert read_code128(field_data) == (data, barcodes.code128(data))
    assert modules == len(barcodes.code128(data))
    assert "^" not in field_data and "~" not in field_data


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), min_size=1))
def test_code128_field_data_reads_back_for_any_ascii(data: str) -> None:
    field_data, modules = zpl.code128_symbol(data)
    text, pattern = read_code128(field_data)
    assert text == data
    assert len(pattern) == modules
    if not data.startswith("99"):
        assert pattern == barcodes.code128(data)


@pytest.mark.parametrize("data", ["9912345678", "99", "990", "99A-1"])
def test_code128_keeps_a_leading_99(data: str) -> None:
    """python-barcode 0.16 drops a leading "99" (it takes it for a switch to subset C);
    the printer is sent the pair."""
    field_data, modules = zpl.code128_symbol(data)
    text, pattern = read_code128(field_data)
    assert text == data and len(pattern) == modules
    ink = zpl.ZplInk(300.0)
    assert ink.code128(0.0, 0.0, data, 2, 30.0) == (modules + 2 * QUIET_MODULES) * 2 * DOT


def test_code128_geometry_matches_the_pdf() -> None:
    ink = zpl.ZplInk(300.0)
    width = ink.code128(20.0, 100.0, "DH2611-0001", 3, 40.0)
    assert width == barcodes.code128_width("DH2611-0001", 3)
    left = round(20.0 / DOT) + QUIET_MODULES * 3  # bars start inside the quiet zone
    top, bottom = round((300 - 140) / DOT), round((300 - 100) / DOT)
    h = bottom - top
    assert ink.fields == [f"^FO{left},{top}^BY3,3,{h}^BCN,{h},N,N,N,N^FD>:DH>52611>6->50001^FS"]


def test_qr_encodes_the_order_code_where_the_pdf_draws_it(vi: None) -> None:
    order = sample(3)
    (label,) = labels(render([order], include_font=False))
    (qr,) = [(x, y, rest) for _, x, y, rest in fields(label) if "^BQ" in rest]
    x, y, rest = qr
    match = re.fullmatch(r"\^BY(\d+),3,10\^BQN,2,(\d+)\^FH_\^FDMA,(.*)", rest)
    assert match and match[1] == match[2]
    assert match[3] == order.code

    ink = zpl.ZplInk(200.0)
    side = ink.qr(50.0, 60.0, "DH2611-0003", 4)
    modules = barcodes.qr_pixels("DH2611-0003")[0]
    assert side == modules * 4 * DOT
    top = round((200 - 60) / DOT) - modules * 4  # the symbol's top edge, as in the PDF
    assert ink.fields == [
        f"^FO{round(50 / DOT)},{top - zpl.QR_SINK_DOTS}^BY4,3,10^BQN,2,4^FH_^FDMA,DH2611-0003^FS"
    ]


# ----------------------------------------------------------------------------- boxes


def test_boxes_and_rules_cover_what_the_pdf_strokes() -> None:
    ink = zpl.ZplInk(100.0)
    ink.box(10.0, 10.0, 60.0, 30.0, line=2.2)
    ink.rule(5.0, 50.0, 95.0, 50.0, width=0.8)
    ink.rule(20.0, 10.0, 20.0, 90.0, width=0.6)
    ink.rule(0.0, 0.0, 30.0, 30.0)
    # stroke 2.2 pt = 6 dots, centred on the path: the box grows by half a stroke each side
    assert ink.fields == [
        "^FO25,166^GB175,91,6^FS",
        "^FO14,140^GB254,2,2^FS",
        "^FO55,28^GB2,226,2^FS",
        "^FO0,197^GD85,85,2,B,R^FS",
    ]


# ----------------------------------------------------------------------------- the file


def test_font_download_comes_once_first(vi: None) -> None:
    regular = fonts.font_file(fonts.REGULAR).read_bytes()
    bold = fonts.font_file(fonts.BOLD).read_bytes()
    data = render([sample(1), sample(2), long_order(3)])
    head = (
        f"~DYE:ODSANS,B,T,{len(regular)},,".encode()
        + regular
        + f"~DYE:ODSANSB,B,T,{len(bold)},,".encode()
        + bold
    )
    assert data.startswith(head)
    assert data.count(b"~DYE:ODSANS,") == 1 and data.count(b"~DYE:ODSANSB,") == 1
    assert len(labels(data[len(head) :])) == 3

    bare = render([sample(1), sample(2)], include_font=False)
    assert bare.startswith(b"^XA") and b"~DY" not in bare
    assert data[len(head) :].startswith(bare)


def test_progress_after_each_label(vi: None) -> None:
    seen: list[int] = []
    out = io.BytesIO()
    zpl.write_labels(
        out, [sample(i) for i in range(1, 4)], SHOP, LABEL_SIZES["a6"], PRINTED_AT, seen.append
    )
    assert seen == [1, 2, 3]


def test_a4x4_prints_one_a6_label_per_format(vi: None) -> None:
    data = render([sample(1), sample(2), sample(3), sample(4), sample(5)], "a4x4")
    found = labels(data[len(zpl.font_download()) :])
    assert len(found) == 5
    width, height = round(105 / 25.4 * 203), round(148.5 / 25.4 * 203)
    assert all(f"^PW{width}\n^LL{height}\n" in label for label in found)


@pytest.mark.parametrize("size", sorted(LABEL_SIZES))
def test_nothing_spills_off_the_label(vi: None, size: str) -> None:
    orders = [long_order(1), sample(2, tracking="SPXVN0123456789")]
    for label in labels(render(orders, size, include_font=False)):
        pw = int(re.search(r"\^PW(\d+)", label)[1])  # type: ignore[index]
        ll = int(re.search(r"\^LL(\d+)", label)[1])  # type: ignore[index]
        for kind, x, y, rest in fields(label):
            assert 0 <= x < pw and 0 <= y <= ll, (kind, x, y, rest)
            if box := re.match(r"\^G[BD](\d+),(\d+),", rest):
                assert x + int(box[1]) <= pw and y + int(box[2]) <= ll, rest
            elif text := re.match(r"\^A@N,(\d+),(\d+),E:ODSANS(B?)\.TTF(?:\^FR)?\^FH_\^FD", rest):
                h, w, bold = int(text[1]), int(text[2]), bool(text[3])
                shown = unescape(rest[text.end() :])
                assert x + zpl.printer_width(shown, w, bold) <= pw, shown
                assert kind == "T" and y - h >= 0, shown
            elif bars := re.match(r"\^BY(\d+),3,(\d+)\^BCN,\d+,N,N,N,N\^FD(.*)", rest):
                module, h = int(bars[1]), int(bars[2])
                modules = len(read_code128(bars[3])[1])
                assert x + (modules + QUIET_MODULES) * module <= pw, rest
                assert y + h <= ll
            elif qr := re.match(r"\^BY\d+,3,10\^BQN,2,(\d+)\^FH_\^FDMA,(.*)", rest):
                extent = barcodes.qr_pixels(unescape(qr[2]))[0] * int(qr[1])
                assert x + extent <= pw and y + zpl.QR_SINK_DOTS + extent <= ll, rest
            else:
                pytest.fail(f"unexpected field {rest}")


def test_zpl_module_does_not_load_textual() -> None:
    code = (
        "import sys, orderdesk.printing.zpl; "
        "print([m for m in sys.modules if m.split('.')[0] == 'textual' "
        "or m.startswith('orderdesk.tui')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_renders_and_scans_on_an_emulated_printer(vi: None) -> None:
    """When `zplkit` (a local ZPL renderer emulating a ZD621) is installed, the labels
    render with the downloaded font and every barcode scans back to its data. It is not a
    dependency: `pip install zplkit` to run this."""
    zplkit = pytest.importorskip("zplkit")
    import zxingcpp
    from PIL import Image
    from zplkit.rendering import Limits

    orders = [sample(1), long_order(2)]
    document = zplkit.render(
        render(orders),
        zplkit.Options(profile="zd621"),
        limits=Limits(input_bytes=8 << 20, font_bytes=4 << 20),
    )
    assert document.warnings == []
    for order, scene in zip(orders, document.labels, strict=True):
        raster = scene.rasterize()
        image = Image.frombytes("L", (raster.width, raster.height), raster.pixels)
        read = sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image))
        expected = [("Code128", order.code), ("Code128", order.tracking), ("QRCode", order.code)]
        assert read == sorted(expected)

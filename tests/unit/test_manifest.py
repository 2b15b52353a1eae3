"""The handover manifest read back: every parcel is listed once with its totals, the names
keep their diacritics, every barcode scans at 300 dpi, and only scanned parcels are ticked."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from orderdesk.i18n import set_language
from orderdesk.printing import barcodes
from orderdesk.printing.documents import Shop
from orderdesk.printing.manifest import Manifest, ManifestRow, write_manifest

SHOP = Shop("Tiệm Áo Lan", "0901 234 567", "12 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội")
AT = datetime(2026, 11, 27, 14, 30)
RECEIVERS = [
    ("Nguyễn Thị Hồng Nhung", "Phường Sài Gòn, Thành phố Hồ Chí Minh"),
    ("Trần Văn Đức", "Xã Ea Kar, Tỉnh Đắk Lắk"),
    ("Lê Thị Ỷ Lan", "Phường Hai Bà Trưng, Thành phố Hà Nội"),
    ("Đặng Quốc Việt", "Xã Mường Khương, Tỉnh Lào Cai"),
]
# The shapes carriers print: GHN, Viettel Post / J&T digits, SPX, GHTK's long dotted number.
TRACKING = [
    "GHN5XK9P{:04d}",
    "8635123{:05d}",
    "SPXVN01234{:05d}",
    "S22749126.SGP39-J31.13758{:05d}",
]
DPI = 300


def row(i: int, *, tracking: str | None = None, scanned: bool = True) -> ManifestRow:
    name, address = RECEIVERS[i % len(RECEIVERS)]
    number = TRACKING[i % len(TRACKING)].format(i) if tracking is None else tracking
    return ManifestRow(
        code=f"DH2611-{i:04d}",
        tracking=number,
        name=name,
        phone=f"0912 345 {i:03d}",
        address=address,
        cod=0 if i % 5 == 0 else 150_000 + 10_000 * i,
        weight_g=250 + 50 * i,
        scanned=scanned,
    )


def manifest(rows: list[ManifestRow], *, closed: bool = True) -> Manifest:
    return Manifest(SHOP, "Giao Hàng Nhanh (GHN)", "BG-0003", AT, rows, closed)


def write(tmp_path: Path, m: Manifest) -> tuple[int, list[str]]:
    path = tmp_path / "handover.pdf"
    pages = write_manifest(path, m)
    return pages, [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def vi() -> object:
    set_language("vi")
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("lang", "cod", "count", "page_one"),
    [
        ("vi", "Tổng tiền thu hộ (COD): 11.200.000 ₫", "Số kiện: 40", "Trang 1/"),
        ("en", "Total COD to collect: 11,200,000 ₫", "Parcels: 40", "Page 1/"),
    ],
)
def test_forty_parcels_flow_onto_pages_each_listed_once_with_the_totals(
    tmp_path: Path, lang: str, cod: str, count: str, page_one: str
) -> None:
    set_language(lang)
    rows = [row(i) for i in range(1, 41)]
    assert sum(r.cod for r in rows) == 11_200_000
    pages, texts = write(tmp_path, manifest(rows))
    set_language("en")
    assert pages == len(texts) > 1
    everything = "\n".join(texts)
    for r in rows:
        # Once each: no parcel is lost or printed twice where the pages break.
        assert everything.count(r.code) == 1, r.code
        assert everything.count(r.tracking) == 1, r.tracking
    assert cod in everything
    assert count in everything
    assert f"{page_one}{pages}" in texts[0]
    assert f"{pages}/{pages}" in texts[-1]


def test_an_a4_page_holds_at_least_twelve_parcels(tmp_path: Path) -> None:
    rows = [row(i, tracking=f"GHN5XK9P{i:04d}") for i in range(1, 41)]
    _, texts = write(tmp_path, manifest(rows))
    assert sum(r.code in texts[0] for r in rows) >= 12


def test_vietnamese_names_and_addresses_read_back_exactly(tmp_path: Path, vi: object) -> None:
    rows = [row(i) for i in range(1, 5)]
    _, texts = write(tmp_path, manifest(rows))
    text = texts[0]
    assert unicodedata.normalize("NFC", text) == text
    for name, address in RECEIVERS:
        assert name in text
        assert address.split(", ")[0] in text
    for words in (
        "Tiệm Áo Lan",
        "12 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội",
        "BIÊN BẢN BÀN GIAO",
        "Đơn vị vận chuyển: Giao Hàng Nhanh (GHN)",
        "Số: BG-0003",
        "27/11/2026 14:30",
        "Bên giao (shop)",
        "Bên nhận (nhân viên vận chuyển)",
        "(ký, ghi rõ họ tên)",
    ):
        assert words in text, words


def test_every_barcode_on_page_one_scans_at_300_dpi(tmp_path: Path) -> None:
    rows = [row(i) for i in range(1, 41)]
    rows[1] = row(2, tracking="")  # no tracking number yet: the order code is scanned instead
    path = tmp_path / "handover.pdf"
    write_manifest(path, manifest(rows))
    first_page = PdfReader(path).pages[0].extract_text()
    expected = {r.tracking or r.code for r in rows if r.code in first_page}
    assert "DH2611-0002" in expected and "S22749126.SGP39-J31.1375800003" in expected
    image = pdfium.PdfDocument(path)[0].render(scale=DPI / 72, grayscale=True).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert {r.text for r in found} == expected
    per_mm = DPI / 25.4
    for symbol in found:
        assert str(symbol.format) == "Code 128"
        p = symbol.position
        # Tall enough to hit with a hand scanner; bars of at least 0.25 mm (less a hair for
        # the raster's rounding).
        assert p.bottom_left.y - p.top_left.y >= 8 * per_mm
        module = (p.top_right.x - p.top_left.x) / len(barcodes.code128(symbol.text))
        assert module >= 0.245 * per_mm, symbol.text


def test_only_scanned_parcels_are_ticked_when_the_handover_is_closed(
    tmp_path: Path, vi: object
) -> None:
    rows = [row(i, scanned=i % 3 != 0) for i in range(1, 10)]  # 3, 6 and 9 were not scanned
    _, texts = write(tmp_path, manifest(rows, closed=True))
    text = "\n".join(texts)
    assert text.count("✓") == 6
    assert "Đã quét khi bàn giao: 6/9" in text
    assert "Hai bên xác nhận đã bàn giao 6 kiện hàng" in text


def test_a_draft_leaves_every_box_for_the_courier_to_tick(tmp_path: Path, vi: object) -> None:
    rows = [row(i, scanned=True) for i in range(1, 10)]
    _, texts = write(tmp_path, manifest(rows, closed=False))
    text = "\n".join(texts)
    assert text.count("✓") == 0
    assert "BẢN NHÁP" in text
    assert "Đã quét" not in text


def test_the_file_is_written_whole_and_replaces_an_older_one(tmp_path: Path) -> None:
    path = tmp_path / "handover.pdf"
    path.write_bytes(b"an older manifest")
    pages = write_manifest(path, manifest([row(1)]))
    assert pages == len(PdfReader(path).pages) == 1
    assert list(tmp_path.iterdir()) == [path]  # no .tmp left behind

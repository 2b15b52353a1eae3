"""The floor: 1,000 labels drawn the simplest way reportlab allows.

    python benchmarks/floor_labels.py [--count 1000] [--out FILE]

Same content as orderdesk's label (receiver block, sender, COD line, contents, two Code128s,
a QR of the order code) with no tricks: every label draws everything again, barcodes and QR
come from reportlab's own widgets. `bench_print.py` runs this beside orderdesk's printer so
both are measured in the same run on the same machine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    pdfmetrics.registerFont(TTFont("F", str(FONTS / "DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(TTFont("FB", str(FONTS / "DejaVuSansCondensed-Bold.ttf")))
    out = args.out or Path(tempfile.mkdtemp()) / "floor.pdf"
    width, height = 100 * mm, 150 * mm
    c = canvas.Canvas(str(out), pagesize=(width, height))
    for i in range(args.count):
        code = f"DH2611-{i:04d}"
        c.setFont("FB", 12)
        c.drawString(5 * mm, height - 10 * mm, "Giao Hàng Nhanh (GHN) — Chuẩn")
        c.setFont("F", 9)
        c.drawString(5 * mm, height - 16 * mm, "Từ: Shop Áo Đẹp · 0901 234 567")
        c.drawString(5 * mm, height - 20 * mm, "12 Lý Thường Kiệt, Phường Hoàn Kiếm, Hà Nội")
        c.setFont("FB", 14)
        c.drawString(5 * mm, height - 30 * mm, f"Nguyễn Thị Hồng Nhung {i}")
        c.drawString(5 * mm, height - 36 * mm, "0912 345 678")
        c.setFont("F", 11)
        c.drawString(5 * mm, height - 42 * mm, "45 Nguyễn Huệ, Phường Sài Gòn")
        c.drawString(5 * mm, height - 47 * mm, "Thành phố Hồ Chí Minh")
        c.setFont("FB", 22)
        c.drawString(5 * mm, height - 60 * mm, "THU HỘ 350.000 ₫")
        bar = code128.Code128(code, barHeight=14 * mm, barWidth=0.375 * mm)
        bar.drawOn(c, 3 * mm, height - 80 * mm)
        c.setFont("F", 9)
        c.drawString(5 * mm, height - 84 * mm, code)
        tracking = f"GHN{i:09d}VN"
        bar = code128.Code128(tracking, barHeight=12 * mm, barWidth=0.25 * mm)
        bar.drawOn(c, 3 * mm, height - 100 * mm)
        c.drawString(5 * mm, height - 104 * mm, tracking)
        widget = qr.QrCodeWidget(code)
        x0, y0, x1, y1 = widget.getBounds()
        size = 25 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, width - 30 * mm, height - 130 * mm)
        c.setFont("F", 9)
        c.drawString(5 * mm, height - 112 * mm, "Áo thun cổ tròn (Đen, L) x2; Quần jean (32) x1")
        c.drawString(5 * mm, height - 117 * mm, "Khối lượng: 650 g · Cho xem hàng, không thử")
        c.drawString(5 * mm, height - 122 * mm, "Ghi chú: giao giờ hành chính")
        c.drawString(5 * mm, height - 140 * mm, "In ngày 27/11/2026")
        c.showPage()
    c.save()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"floor: {args.count} labels in {seconds:.2f} s, peak {peak:.0f} MB, {out}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

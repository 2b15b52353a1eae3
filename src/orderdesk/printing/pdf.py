"""PDF files: one canvas, fonts registered once, artwork shared across pages as forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from orderdesk.printing import fonts
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink, PdfInk
from orderdesk.printing.invoice import draw_invoice
from orderdesk.printing.label import LabelSize, draw_label
from orderdesk.printing.picklist import draw_picklist, draw_slip
from orderdesk.printing.sheet import Paper

# Called after each document is drawn with how many are done; raising stops the file.
Progress = Callable[[int], None]


class PdfDocument:
    def __init__(self, out: BinaryIO, pagesize: tuple[float, float], title: str) -> None:
        fonts.register()
        self.canvas = Canvas(out, pagesize=pagesize, invariant=True)
        self.canvas.setTitle(title)
        self.canvas.setCreator("orderdesk")
        self.ink = PdfInk(self.canvas)
        self._forms: set[str] = set()

    def shared_for(self, ink: PdfInk) -> Callable[[str, Callable[[Ink], None]], None]:
        def shared(key: str, draw: Callable[[Ink], None]) -> None:
            canvas = self.canvas
            if key not in self._forms:
                canvas.beginForm(key)
                draw(self.ink.moved(0.0, 0.0))
                canvas.endForm()
                self._forms.add(key)
            canvas.saveState()
            canvas.translate(ink.x0, ink.y0)
            canvas.doForm(key)
            canvas.restoreState()

        return shared

    def page(self) -> None:
        self.canvas.showPage()

    def close(self) -> None:
        self.canvas.save()


def write_labels(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    size: LabelSize,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    doc = PdfDocument(out, size.page, "labels")
    slot = 0
    done = 0
    for order in orders:
        if slot == size.per_page:
            doc.page()
            slot = 0
        x0, y0 = size.slots[slot]
        ink = doc.ink.moved(x0, y0)
        draw_label(ink, size, order, shop, printed_at, doc.shared_for(ink))
        slot += 1
        done += 1
        if progress:
            progress(done)
    if done:
        doc.page()
    doc.close()


def write_invoices(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    paper: Paper,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    doc = PdfDocument(out, (paper.width, paper.height or paper.width), "invoices")
    done = 0
    for order in orders:
        draw_invoice(doc.ink, paper, order, shop, printed_at)
        doc.page()
        done += 1
        if progress:
            progress(done)
    doc.close()


def write_slips(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    paper: Paper,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    doc = PdfDocument(out, (paper.width, paper.height), "packing slips")
    done = 0
    for order in orders:
        draw_slip(doc.ink, doc.canvas, paper, order, shop, printed_at)
        doc.page()
        done += 1
        if progress:
            progress(done)
    doc.close()


def write_picklist(
    out: BinaryIO,
    orders: list[PrintOrder],
    paper: Paper,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    doc = PdfDocument(out, (paper.width, paper.height), "pick list")
    draw_picklist(doc.ink, doc.canvas, paper, orders, printed_at)
    doc.page()
    doc.close()
    if progress:
        progress(len(orders))

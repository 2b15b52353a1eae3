"""PDF files: one canvas, fonts registered once, artwork shared across pages as forms.

A big label batch from the command line is drawn by two processes: a forked child draws the
second half of the labels into PDF operators while this process draws the first half, then
this process writes the child's pages into the one file. The child sees the same fonts in
the same order, so its text is encoded exactly as this process would encode it; a label
with a character outside the prepared glyphs is drawn here instead.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

from orderdesk.i18n import get_language, set_language, t
from orderdesk.printing import fonts
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink, PdfInk, UnknownGlyph
from orderdesk.printing.label import LabelSize, draw_label
from orderdesk.printing.sheet import Paper
from orderdesk.timeutil import local_tz, set_local_timezone

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
        self._compressed: bytes | None = None

    def shared_for(self, ink: PdfInk) -> Callable[[str, Callable[[Ink], None]], None]:
        def shared(key: str, draw: Callable[[Ink], None]) -> None:
            canvas = self.canvas
            if key not in self._forms:
                canvas.beginForm(key)
                draw(self.ink.moved(0.0, 0.0))
                canvas.endForm()
                self._forms.add(key)
            _use_form(ink, key)

        return shared

    def append(self, operators: str | bytes, forms: Sequence[str]) -> None:
        """Operators drawn elsewhere (the child process) onto the current page; bytes are
        a whole page's content stream, compressed already."""
        if isinstance(operators, bytes):
            self._compressed = operators
        else:
            self.canvas._code.append(operators)
        self.canvas._formsinuse.extend(forms)

    def page(self) -> None:
        self.canvas.showPage()
        if self._compressed is not None:
            page = self.canvas._doc.Pages.pages[-1]
            # A stream that already names its filter is written as it is (pdfdoc.PDFStream).
            flate = PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])})
            page.Contents = PDFStream(flate, self._compressed)
            self._compressed = None

    def close(self) -> None:
        self.canvas.save()


def _use_form(ink: PdfInk, key: str) -> None:
    canvas = ink.canvas
    canvas._code.append(
        f"q 1 0 0 1 {ink.x0:.4f} {ink.y0:.4f} cm /{canvas._doc.getXObjectName(key)} Do Q"
    )
    canvas._formsinuse.append(key)


# Below this many labels a second process costs more than it saves.
PARALLEL_FROM = 150


def _can_fork() -> bool:
    # Forking a process that runs other threads (the desk) can deadlock the child.
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and os.environ.get("ORDERDESK_SERIAL") != "1"
    )


def write_labels(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    size: LabelSize,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    orders = list(orders)
    doc = PdfDocument(out, size.page, t("doc.kind.labels"))
    child: _Child | None = None
    split = len(orders)
    if len(orders) >= PARALLEL_FROM and _can_fork():
        split = len(orders) * 9 // 20  # this process also writes the file afterwards
        child = _Child(orders[split:], split, shop, size, printed_at, doc.ink)
    try:
        done = 0
        for index, order in enumerate(orders):
            if index and index % size.per_page == 0:
                doc.page()
            x0, y0 = size.slots[index % size.per_page]
            ink = doc.ink.moved(x0, y0)
            drawn = child.result(index) if child is not None and index >= split else None
            if drawn is None:
                draw_label(ink, size, order, shop, printed_at, doc.shared_for(ink))
            else:
                doc.append(*drawn)
            done += 1
            if progress:
                progress(done)
    finally:
        if child is not None:
            child.stop()
    if orders:
        doc.page()
    doc.close()


class _Child:
    """A forked process drawing labels `first`… into operator strings, one per label."""

    def __init__(
        self,
        orders: list[PrintOrder],
        first: int,
        shop: Shop,
        size: LabelSize,
        printed_at: datetime,
        ink: PdfInk,
    ) -> None:
        self.first = first
        self.results: list[tuple[str | bytes, list[str]] | None] | None = None
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        settings = (get_language(), str(local_tz()), ink.face_names())
        self.process = context.Process(
            target=_draw_in_child,
            args=(send, self.receive, orders, first, shop, size, printed_at, settings),
            daemon=True,
        )
        self.process.start()
        send.close()

    def result(self, index: int) -> tuple[str | bytes, list[str]] | None:
        if self.results is None:
            try:
                self.results = self.receive.recv()
            except (EOFError, OSError):
                self.results = []
        position = index - self.first
        if position >= len(self.results):  # type: ignore[arg-type]
            return None
        return self.results[position]  # type: ignore[index]

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receive.close()


def _draw_in_child(
    send: Any,
    inherited_receive: Any,
    orders: list[PrintOrder],
    first: int,
    shop: Shop,
    size: LabelSize,
    printed_at: datetime,
    settings: tuple[str, str, tuple[str, ...]],
) -> None:
    # Ctrl-C is the parent's to handle (it stops this process). Holding the pipe's read
    # end would keep `send` from failing if the parent is killed: the child would wait
    # forever, so it is closed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inherited_receive.close()
    language, zone, face_names = settings
    set_language(language)
    set_local_timezone(zone)
    canvas = Canvas(io.BytesIO(), pagesize=size.page, invariant=True)
    ink = PdfInk(canvas, strict=True)
    results: list[tuple[str | bytes, list[str]] | None] = []
    if ink.face_names() == face_names:
        for index, order in enumerate(orders, first):
            x0, y0 = size.slots[index % size.per_page]
            canvas._code = []
            canvas._formsinuse = []
            here = ink.moved(x0, y0)

            def reference(key: str, _draw: object, here: PdfInk = here) -> None:
                _use_form(here, key)

            try:
                draw_label(here, size, order, shop, printed_at, reference)
            except UnknownGlyph:
                results.append(None)  # drawn by the parent
                continue
            forms = list(canvas._formsinuse)
            if size.per_page == 1:
                # The whole page, as the parent's showPage would write it, compressed here:
                # zlib was a sixth of the parent's time spent writing the file.
                page = "\n".join([canvas._preamble, *canvas._code, " "]) + "\n"
                results.append((zlib.compress(page.encode("utf8")), forms))
            else:
                results.append(("\n".join(canvas._code), forms))
    try:
        send.send(results)
        send.close()
    except (BrokenPipeError, OSError):
        os._exit(0)  # the parent is gone; nothing to report to


def write_invoices(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    paper: Paper,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    from orderdesk.printing.invoice import draw_invoice

    def draw(doc: PdfDocument, order: PrintOrder) -> None:
        draw_invoice(doc.ink, paper, order, shop, printed_at)

    pagesize = (paper.width, paper.height or paper.width)
    _write_each(PdfDocument(out, pagesize, t("doc.kind.invoices")), orders, draw, progress)


def write_slips(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    paper: Paper,
    printed_at: datetime,
    progress: Progress | None = None,
) -> None:
    from orderdesk.printing.picklist import draw_slip

    def draw(doc: PdfDocument, order: PrintOrder) -> None:
        draw_slip(doc.ink, doc.canvas, paper, order, shop, printed_at)

    pagesize = (paper.width, paper.height)
    _write_each(PdfDocument(out, pagesize, t("doc.kind.slips")), orders, draw, progress)


def _write_each(
    doc: PdfDocument,
    orders: Iterable[PrintOrder],
    draw: Callable[[PdfDocument, PrintOrder], None],
    progress: Progress | None,
) -> None:
    """One document per order, each starting on a new page."""
    for done, order in enumerate(orders, 1):
        draw(doc, order)
        doc.page()
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
    from orderdesk.printing.picklist import draw_picklist

    doc = PdfDocument(out, (paper.width, paper.height), t("doc.kind.picklist"))
    draw_picklist(doc.ink, doc.canvas, paper, orders, printed_at)
    doc.page()
    doc.close()
    if progress:
        progress(len(orders))

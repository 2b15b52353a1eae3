"""Documents on paper: shipping labels, invoices, pick lists and packing slips.

Layouts draw on an `Ink` (ink.py): `PdfInk` writes reportlab PDF operators, `ZplInk` writes
ZPL for thermal printers, so a label looks the same on both. `batch.py` turns a selection of
orders into one durable file per document kind and records what was printed.
"""

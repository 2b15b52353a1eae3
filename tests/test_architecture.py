"""The core never imports the desk: everything can run, and be tested, without a terminal."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "orderdesk.db",
    "orderdesk.migrate",
    "orderdesk.config",
    "orderdesk.geo",
    "orderdesk.geo_old",
    "orderdesk.names",
    "orderdesk.address",
    "orderdesk.validation",
    "orderdesk.models.tables",
    "orderdesk.models.reads",
    "orderdesk.services.orders",
    "orderdesk.services.stock",
    "orderdesk.services.ledger",
    "orderdesk.services.products",
    "orderdesk.services.customers",
    "orderdesk.services.doctor",
    "orderdesk.services.demo",
    "orderdesk.formats.orders",
    "orderdesk.formats.products",
    "orderdesk.formats.customers",
    "orderdesk.services.packing",
    "orderdesk.services.shipping",
    "orderdesk.services.print_batches",
    "orderdesk.printing.output",
    "orderdesk.printing.pdf",
    "orderdesk.printing.zpl",
    "orderdesk.printing.printers",
    "orderdesk.carriers",
    "orderdesk.services.tracking",
    "orderdesk.services.problems",
    "orderdesk.services.cod",
    "orderdesk.services.handover",
    "orderdesk.formats.carrier_files",
    "orderdesk.printing.manifest",
    "orderdesk.services.reviews",
    "orderdesk.services.returns",
    "orderdesk.services.reports",
    "orderdesk.services.report_view",
    "orderdesk.formats.reviews",
    "orderdesk.formats.marketplaces",
    "orderdesk.gcpause",
    "orderdesk.cli",
    "orderdesk.cli.main",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_load_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.') "
        "or m.startswith('orderdesk.tui')]; print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

"""Sending to CUPS: `lp` gets an argument list, a failed send keeps the file and marks no
order printed, and a real scheduler takes the jobs (PDF through cups-pdf, ZPL untouched).

The real-CUPS tests start a private cupsd per test session (see tests/cups_server.py) and
skip, saying what is missing, on a machine without CUPS.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

import cups_server
from cups_server import CupsServer, SocketPrinter
from helpers import add_product, order_in
from orderdesk import config
from orderdesk.db import Store
from orderdesk.i18n import set_language
from orderdesk.models.enums import OrderStatus
from orderdesk.models.tables import PrintJob
from orderdesk.printing import printers
from orderdesk.printing.printers import PrinterError, lp_command
from orderdesk.services import print_batches as batch

HOSTILE = "Nhãn 100x150; rm -rf ~ && $(reboot) `id` | cat > /etc/x 'q' \"z\" *"

# ----------------------------------------------------------------------------- lp_command


def test_lp_command_is_an_argument_list_with_the_path_after_double_dash() -> None:
    command = lp_command(
        "Xprinter", Path("/prints/labels-1.pdf"), media="Custom.100x150mm", title="orderdesk"
    )
    assert command == [
        "lp",
        "-d",
        "Xprinter",
        "-t",
        "orderdesk",
        "-o",
        "media=Custom.100x150mm",
        "-o",
        "fit-to-page",
        "--",
        "/prints/labels-1.pdf",
    ]


def test_zpl_goes_raw_without_media_or_scaling() -> None:
    command = lp_command("zebra", Path("l.zpl"), media="Custom.100x150mm", title="t", raw=True)
    assert command[command.index("-o") : command.index("--")] == ["-o", "raw"]
    assert not any("media=" in part or part == "fit-to-page" for part in command)


def test_names_titles_and_paths_with_shell_characters_stay_one_argument() -> None:
    path = Path("-n 5 labels; $(touch pwned).pdf")  # would read as an option without `--`
    command = lp_command(HOSTILE, path, media="A6", title=HOSTILE)
    assert command[command.index("-d") + 1] == HOSTILE
    assert command[command.index("-t") + 1] == HOSTILE
    assert command[-2:] == ["--", str(path)]
    assert command.count(HOSTILE) == 2 and len(command) == 11


# ----------------------------------------------------------------------------- send, fake lp

FAKE_LP = """#!{python}
import json, os, sys
with open(os.environ["FAKE_LP_ARGV"], "w", encoding="utf-8") as out:
    json.dump(sys.argv[1:], out)
if os.environ.get("FAKE_LP_FAIL"):
    sys.stderr.write(os.environ["FAKE_LP_FAIL"] + "\\n")
    sys.exit(1)
print("request id is shop-label-42 (1 file(s))")
"""


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `lp` that only records its arguments; PATH holds nothing else."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(FAKE_LP.format(python=sys.executable))
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_LP_ARGV", str(tmp_path / "argv.json"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "argv.json"


@pytest.mark.skipif(os.name != "posix", reason="the fake lp is a #! script")
def test_send_runs_lp_without_a_shell_and_returns_the_job_id(fake_lp: Path, tmp_path: Path) -> None:
    path = tmp_path / "labels $(touch pwned); `touch pwned2`.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    job = printers.send(HOSTILE, path, media="Custom.100x150mm", title=HOSTILE)
    assert job == "shop-label-42"
    argv = json.loads(fake_lp.read_text(encoding="utf-8"))
    assert ["lp", *argv] == lp_command(HOSTILE, path, media="Custom.100x150mm", title=HOSTILE)
    assert not list(tmp_path.glob("pwned*"))


@pytest.mark.skipif(os.name != "posix", reason="the fake lp is a #! script")
@pytest.mark.parametrize(
    ("stderr", "key"),
    [
        ("lp: Error - The printer or class does not exist.", "err.print.unknown_printer"),
        ('lp: Error - Destination "x" is not accepting jobs.', "err.print.rejected"),
    ],
)
def test_a_refusal_names_the_reason_and_the_kept_file(
    fake_lp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: str, key: str
) -> None:
    monkeypatch.setenv("FAKE_LP_FAIL", stderr)
    path = tmp_path / "labels.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(PrinterError) as caught:
        printers.send("x", path, media="A6", title="t")
    assert caught.value.key == key
    assert str(path) in str(caught.value) and stderr in str(caught.value)


# ----------------------------------------------------------------------------- a shop


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", on_hand=50, weight_g=300, name="Áo thun cổ tròn")
    return store


def confirmed(store: Store, count: int) -> list[str]:
    return [order_in(store, OrderStatus.CONFIRMED) for _ in range(count)]


def marked(store: Store, codes: list[str]) -> set[int]:
    with store.read() as session:
        ids = batch.find_ids(
            session, batch.Selection(codes=tuple(codes)), kind="labels", default_carrier=""
        )
        return batch.printed_ids(session, ids, "labels")


def jobs(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as session:
        return [(j.state, j.printer, j.printer_job) for j in session.exec(select(PrintJob))]


def still_to_print(store: Store) -> list[str]:
    request = batch.Request("labels", batch.Selection(not_printed=True))
    orders, _ = batch.plan(store, request, config.load())
    return sorted(o.code for o in orders)


def failed_batch(store: Store, out: Path, printer: str) -> PrinterError:
    with pytest.raises(PrinterError) as caught:
        batch.run(store, batch.Request("labels", printer=printer, out=out), config.load())
    return caught.value


def assert_kept_and_unmarked(
    store: Store, error: PrinterError, out: Path, codes: list[str]
) -> None:
    assert str(out) in str(error)
    assert out.is_file() and out.stat().st_size > 0
    assert not list(out.parent.glob("*.tmp"))
    assert marked(store, codes) == set()
    assert jobs(store) == []  # the pending job was dropped, not left to be "settled"
    assert still_to_print(store) == sorted(codes)


# ----------------------------------------------------------------------------- no lp


def test_without_lp_the_error_says_so_and_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = tmp_path / "labels.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(PrinterError) as caught:
        printers.send("Xprinter", path, media="A6", title="t")
    assert caught.value.key == "err.print.no_lp"
    assert "lp" in str(caught.value) and str(path) in str(caught.value)
    set_language("vi")
    assert str(path) in str(caught.value)


def test_a_batch_without_lp_keeps_its_file_and_marks_nothing(
    shop: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = confirmed(shop, 3)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "prints" / "labels.pdf"
    error = failed_batch(shop, out, "orderdesk-test-pdf")
    assert error.key == "err.print.no_lp"
    assert_kept_and_unmarked(shop, error, out, codes)
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert all(code in text for code in codes)
    # Printed to a file only, the same orders go through and are marked once.
    again = batch.run(shop, batch.Request("labels", printer="", out=out), config.load())
    assert again.file == out.with_name("labels-2.pdf") and sorted(again.codes) == sorted(codes)
    assert len(marked(shop, codes)) == 3 and still_to_print(shop) == []


# ----------------------------------------------------------------------------- real lp, no server


@pytest.fixture
def real_lp() -> None:
    if shutil.which("lp") is None:
        pytest.skip("`lp` is not installed (apt-get install cups-client)")


def test_no_scheduler_running_is_a_clear_error_and_the_file_is_kept(
    real_lp: None, shop: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scheduler socket that does not exist: this must never reach a real CUPS.
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))
    codes = confirmed(shop, 2)
    out = tmp_path / "labels.pdf"
    error = failed_batch(shop, out, "orderdesk-no-such-printer")
    assert error.key in ("err.print.unknown_printer", "err.print.no_cups")
    assert_kept_and_unmarked(shop, error, out, codes)


def test_no_scheduler_running_is_named_as_such(
    real_lp: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))
    path = tmp_path / "labels.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(PrinterError) as caught:
        printers.send("Xprinter", path, media="A6", title="t")
    assert caught.value.key == "err.print.no_cups" and str(path) in str(caught.value)


# ----------------------------------------------------------------------------- real CUPS


@pytest.fixture(scope="session")
def cups() -> Iterator[CupsServer]:
    missing = cups_server.missing_tools()
    if missing:
        pytest.skip(
            f"real-CUPS tests skipped: {', '.join(missing)} not found on PATH or in /usr/sbin "
            "(apt-get install cups cups-client)"
        )
    try:
        server = cups_server.start()
    except cups_server.Unavailable as error:
        pytest.fail(f"CUPS is installed but a private cupsd would not start: {error}")
    yield server
    server.stop()


@pytest.fixture
def cups_env(cups: CupsServer, monkeypatch: pytest.MonkeyPatch) -> CupsServer:
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    return cups


@pytest.fixture(scope="session")
def pdf_queue(cups: CupsServer) -> str:
    problem = cups_server.cups_pdf_problem()
    if problem:
        pytest.skip(f"cups-pdf queue skipped: {problem}")
    ppd = cups_server.cups_pdf_ppd()
    cups.add_queue("orderdesk-test-pdf", "cups-pdf:/", ppd)
    return "orderdesk-test-pdf"


@pytest.fixture(scope="session")
def raw_printer(cups: CupsServer) -> Iterator[SocketPrinter]:
    printer = SocketPrinter()
    cups.add_queue("orderdesk-test-raw", printer.uri)  # no PPD: a raw queue
    yield printer
    printer.close()


@pytest.fixture(scope="session")
def network_pdf_printer(cups: CupsServer) -> Iterator[SocketPrinter]:
    if not cups_server.GENERIC_PDF_PPD.is_file():
        pytest.skip(
            f"network PDF printer skipped: {cups_server.GENERIC_PDF_PPD} is not installed "
            "(apt-get install cups-filters)"
        )
    printer = SocketPrinter()
    cups.add_queue("orderdesk-test-netpdf", printer.uri, cups_server.GENERIC_PDF_PPD)
    yield printer
    printer.close()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_label_batch_comes_out_of_cups_pdf(
    cups_env: CupsServer,
    pdf_queue: str,
    shop: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codes = confirmed(shop, 3)
    token = uuid.uuid4().hex[:12]
    # A user this machine does not know: cups-pdf files the job in its anonymous folder
    # instead of creating ~/PDF in the home of whoever runs the tests.
    user = f"od{token}"
    monkeypatch.setenv("CUPS_USER", user)
    out = tmp_path / f"labels-{token}.pdf"
    result = batch.run(shop, batch.Request("labels", printer=pdf_queue, out=out), config.load())
    assert result.printer == pdf_queue and result.printer_job.startswith(f"{pdf_queue}-")
    assert jobs(shop) == [("done", pdf_queue, result.printer_job)]
    assert len(marked(shop, codes)) == 3

    folders = cups_server.cups_pdf_out_dirs(user)

    def printed() -> Path | None:
        if not cups_env.completed(result.printer_job):
            return None
        return next((p for d in folders for p in d.glob(f"*{token}*.pdf")), None)

    found = cups_server.poll(printed, timeout=20)
    assert found, f"no PDF with {token} in {folders} after 20 s\n{cups_env.log_tail()}"
    try:
        text = pdf_text(found.read_bytes())
    finally:
        found.unlink()
    assert all(code in text for code in codes), text


@pytest.mark.parametrize(
    ("queue", "printer_fixture"),
    [
        ("orderdesk-test-raw", "raw_printer"),  # a raw queue, as for a Zebra on port 9100
        ("orderdesk-test-netpdf", "network_pdf_printer"),  # a queue with a driver: -o raw
    ],
)
def test_a_zpl_batch_reaches_the_printer_byte_for_byte(
    cups_env: CupsServer,
    shop: Store,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    queue: str,
    printer_fixture: str,
) -> None:
    printer: SocketPrinter = request.getfixturevalue(printer_fixture)
    codes = confirmed(shop, 2)
    before = len(printer.jobs)
    out = tmp_path / "labels.zpl"
    result = batch.run(
        shop, batch.Request("labels", format="zpl", printer=queue, out=out), config.load()
    )
    assert result.printer_job.startswith(f"{queue}-")
    received = printer.wait_for_job(before, timeout=20)
    assert received is not None, f"{queue} got nothing in 20 s\n{cups_env.log_tail()}"
    sent = out.read_bytes()
    assert len(received) == len(sent) and received == sent  # fonts' binary bytes included
    assert all(code.encode() in received for code in codes)


def test_a_pdf_batch_reaches_a_network_pdf_printer(
    cups_env: CupsServer, network_pdf_printer: SocketPrinter, shop: Store, tmp_path: Path
) -> None:
    # Runs as any user: pdftopdf applies media and fit-to-page, the socket backend delivers.
    codes = confirmed(shop, 2)
    before = len(network_pdf_printer.jobs)
    request = batch.Request("labels", printer="orderdesk-test-netpdf", out=tmp_path / "l.pdf")
    result = batch.run(shop, request, config.load())
    assert result.printer_job.startswith("orderdesk-test-netpdf-")
    received = network_pdf_printer.wait_for_job(before, timeout=20)
    assert received is not None, f"the PDF printer got nothing in 20 s\n{cups_env.log_tail()}"
    # A network PDF printer gets the PDF inside a PJL job envelope, as a real one would.
    start, end = received.find(b"%PDF-"), received.rfind(b"%%EOF")
    assert 0 <= start < end, received[:200]
    assert b'JOB NAME = "orderdesk labels l"' in received[:start]
    assert all(code in pdf_text(received[start : end + 5]) for code in codes)


def test_an_unknown_printer_is_named_and_the_file_is_kept(
    cups_env: CupsServer, shop: Store, tmp_path: Path
) -> None:
    codes = confirmed(shop, 2)
    out = tmp_path / "labels.pdf"
    error = failed_batch(shop, out, "orderdesk-no-such-printer")
    assert error.key == "err.print.unknown_printer"
    assert "orderdesk-no-such-printer" in str(error)
    assert_kept_and_unmarked(shop, error, out, codes)


def test_a_printer_refusing_jobs_keeps_the_file_and_marks_nothing(
    cups_env: CupsServer, raw_printer: SocketPrinter, shop: Store, tmp_path: Path
) -> None:
    name = "orderdesk-test-closed"
    cups_env.add_queue(name, raw_printer.uri)
    refused = cups_env.run("cupsreject", "-r", "paper jam", name)
    assert refused.returncode == 0, refused.stderr
    codes = confirmed(shop, 2)
    out = tmp_path / "labels.pdf"
    error = failed_batch(shop, out, name)
    assert error.key == "err.print.rejected"
    assert name in str(error) and "not accepting jobs" in str(error)
    assert_kept_and_unmarked(shop, error, out, codes)


def test_lp_is_understood_whatever_the_seller_s_language(
    cups_env: CupsServer,
    raw_printer: SocketPrinter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    path = tmp_path / "labels.zpl"
    path.write_bytes(b"^XA^FDDH-1^FS^XZ")
    before = len(raw_printer.jobs)
    job = printers.send("orderdesk-test-raw", path, media="A6", title="Nhãn đơn", raw=True)
    assert raw_printer.wait_for_job(before, timeout=20) == path.read_bytes()
    assert job.startswith("orderdesk-test-raw-")
    with pytest.raises(PrinterError) as caught:
        printers.send("orderdesk-no-such-printer", path, media="A6", title="t", raw=True)
    assert caught.value.key == "err.print.unknown_printer"


def test_labels_and_receipts_are_never_rescaled() -> None:
    label = lp_command("x", Path("l.pdf"), media="Custom.100x150mm", title="t", exact=True)
    assert label[label.index("-t") + 2 : label.index("--")] == [
        "-o",
        "media=Custom.100x150mm",
        "-o",
        "print-scaling=none",
    ]
    roll = lp_command("x", Path("r.pdf"), media="", title="t", exact=True)
    assert not any(part.startswith("media=") for part in roll)
    assert "print-scaling=none" in roll and "fit-to-page" not in roll

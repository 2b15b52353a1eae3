"""The command line: what works prints what a seller needs; what fails says one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orderdesk.cli import main

ADD = [
    "order",
    "add",
    "--name",
    "Nguyễn Thị Lan",
    "--phone",
    "0912 345 678",
    "--street",
    "12 Lý Thường Kiệt",
    "--ward",
    "P. Cửa Nam",
    "--province",
    "Hà Nội",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["--lang", "en", *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def call(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", str(db_path), *args)

    assert (
        call(
            "product",
            "add",
            "--sku",
            "AT-1",
            "--name",
            "Áo thun đen",
            "--price",
            "175000",
            "--color",
            "Đen",
            "--size",
            "M",
        )[0]
        == 0
    )
    assert call("stock", "receive", "AT-1", "3")[0] == 0
    return call


def test_an_order_through_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(*ADD, "--item", "AT-1=2", "--shipping-fee", "25000")
    assert code == 0
    order_code = out.strip()
    code, out, _ = cli("order", "show", order_code, "--json")
    shown = json.loads(out)
    assert shown["code"] == order_code and shown["status"] == "pending"
    assert shown["total"] == 375_000 and shown["cod"] == 375_000
    assert {"sku": "AT-1", "qty": 2, "unit_price": 175_000}.items() <= shown["lines"][0].items()
    assert shown["ward"] == "Phường Cửa Nam" and shown["province"] == "Thành phố Hà Nội"
    assert [e["action"] for e in shown["history"]] == ["create"]
    assert cli("order", "confirm", order_code)[0] == 1  # manual items not ticked
    code, out, _ = cli("order", "confirm", order_code, "--all-ticked")
    assert (code, out.strip()) == (0, f"{order_code}: confirmed")
    code, out, _ = cli("order", "list", "--json", "--status", "confirmed")
    listed = json.loads(out)
    assert [o["code"] for o in listed] == [order_code]
    assert {
        "code",
        "status",
        "name",
        "phone",
        "street",
        "ward",
        "province",
        "total",
        "cod",
        "lines",
    } <= listed[0].keys()
    code, out, _ = cli("stock", "list", "--json")
    row = json.loads(out)[0]
    assert {"sku": "AT-1", "on_hand": 3, "reserved": 2, "available": 1}.items() <= row.items()


def test_without_backorder_a_short_order_is_refused_and_nothing_saved(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*ADD, "--item", "AT-1=5")
    assert (code, out) == (1, "")
    assert err.strip() == "orderdesk: not enough stock: AT-1 needs 5, 3 available"
    assert json.loads(cli("order", "list", "--json")[1]) == []
    code, out, err = cli(*ADD, "--item", "AT-1=5", "--allow-backorder")
    assert code == 0 and "waits for stock" in err
    code, out, _ = cli("stock", "receive", "AT-1", "2")
    assert "1 waiting order(s) now pending" in out


def test_many_codes_are_confirmed_one_by_one(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli(*ADD, "--item", "AT-1=1")[1].strip()
    second = cli(*ADD, "--item", "AT-1=1", "--cod", "1000")[1].strip()  # COD mismatch
    code, out, err = cli("order", "confirm", first, second, "NOPE-1", "--all-ticked")
    assert code == 1
    assert out.strip() == f"{first}: confirmed"
    assert f"order {second} cannot be confirmed" in err and "COD 1,000 ₫" in err
    assert "there is no order 'NOPE-1'" in err


def test_stock_adjust_takes_negative_numbers_and_requires_a_reason(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("stock", "adjust", "AT-1", "-1", "--reason", "hỏng")
    assert (code, out.strip()) == (0, "AT-1: on hand 2, reserved 0, available 2")
    assert cli("stock", "adjust", "AT-1", "+4")[0] == 2


def test_messages_follow_the_language(db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    def bare(*args: str) -> tuple[int, str, str]:
        try:
            main(["--db", str(db_path), *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    # Without --lang the shop's setting decides, and a new shop speaks Vietnamese.
    assert bare("order", "show", "KHONG-CO")[2] == "orderdesk: không có đơn 'KHONG-CO'\n"
    assert bare("--lang", "en", "order", "show", "X")[2] == "orderdesk: there is no order 'X'\n"
    assert bare("config", "set", "language", "en")[0] == 0
    assert bare("order", "show", "X")[2] == "orderdesk: there is no order 'X'\n"


# A valid `order add` without its item: each case below adds one bad thing to it.
ADD_BASE = [
    "order",
    "add",
    "--name",
    "A",
    "--phone",
    "0912345678",
    "--street",
    "x",
    "--ward",
    "Cửa Nam",
    "--province",
    "Hà Nội",
]
BAD_INPUTS = [
    (["order", "show", "NOPE"], 1),
    ([*ADD_BASE[:4], "--phone", "0912", *ADD_BASE[6:], "--item", "AT-1=1"], 1),
    ([*ADD_BASE, "--item", "AT-1=-3"], 1),
    ([*ADD_BASE, "--item", "AT-1"], 2),
    ([*ADD_BASE, "--item", "GHOST=1"], 1),
    (["order", "add", "--name", "A"], 2),
    ([*ADD_BASE, "--item", "AT-1=1", "--deliver-by", "31/13/2026"], 1),
    ([*ADD_BASE, "--item", "AT-1=1", "--cod", "-5"], 1),
    ([*ADD_BASE, "--item", "AT-1=1", "--payment", "gold"], 2),
    ([*ADD_BASE[:3], "[bold]x[/]", *ADD_BASE[4:], "--item", "AT-1=1", "--email", "[/x]@"], 1),
    (["order", "list", "--status", "lost"], 2),
    (["order", "cancel", "NOPE"], 1),
    (["order", "ship", "NOPE"], 1),
    (["order", "tick", "NOPE", "contact.address_read_back"], 1),
    (["stock", "receive", "AT-1", "abc"], 1),
    (["stock", "receive", "AT-1", "0"], 1),
    (["stock", "receive", "GHOST", "5"], 1),
    (["stock", "adjust", "AT-1", "0", "--reason", "x"], 1),
    (["stock", "adjust", "AT-1", "-99", "--reason", "x"], 1),
    (["stock", "history", "GHOST"], 1),
    (["product", "add", "--sku", "bad sku", "--name", "x", "--price", "1"], 1),
    (["product", "add", "--sku", "P-1", "--name", "x", "--price", "free"], 1),
    (["import", "orders", "/nonexistent/file.csv"], 1),
    (["import", "pets", "x.csv"], 2),
    (["export", "orders"], 2),
    (["customer", "show", "0999"], 1),
    (["config", "set", "no.such.key", "1"], 1),
    (["config", "set", "language", "fr"], 1),
    (["config", "set", "print.label_size", "huge"], 1),
    (["config", "set", "shop.phone", "hello"], 1),
    (["config", "set", "timezone", "Mars/Base"], 1),
    (["nonsense"], 2),
    (["--lang", "xx", "doctor"], 2),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS)
def test_bad_input_never_shows_a_traceback(cli, args: list[str], expected: int) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*args)
    assert code == expected
    assert "Traceback" not in out + err
    if expected == 1:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and lines[0].startswith("orderdesk: ")
        assert "unexpected error" not in err


def test_a_database_path_that_cannot_be_a_database(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(folder), "order", "list")
    assert code == 1 and err.startswith("orderdesk: cannot open the database")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    code, _, err = run(capsys, "--db", str(junk), "doctor")
    assert code == 1 and "Traceback" not in err and err.startswith("orderdesk:")
    code, _, err = run(capsys, "--db", "nosuchdriver://x/y", "doctor")
    assert code == 1 and err.startswith("orderdesk:")


def test_import_reports_every_bad_row(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.csv"
    path.write_text("sku,name,price\nOK,Áo,1000\nBAD,Áo,abc\n,Áo,5\n", encoding="utf-8")
    code, out, err = cli("import", "products", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"orderdesk: {path}: 2 bad row(s); nothing was imported",
        "  row 3, column price: 'abc' is not an amount of đồng (whole numbers only, e.g. 350000)",
        "  row 4, column sku: is required",
    ]
    code, out, _ = cli("import", "products", str(path), "--dry-run")
    assert code == 1


def test_doctor_and_backup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("doctor") == (0, "All good: stock, ledger and orders agree.\n", "")
    target = tmp_path / "copy.db"
    code, out, _ = cli("backup", str(target))
    assert code == 0 and target.exists()
    assert cli("backup", str(target))[0] == 1


def test_export_writes_files_and_says_how_many(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*ADD, "--item", "AT-1=1")
    for kind in ("orders", "products", "customers"):
        code, out, _ = cli("export", kind, str(tmp_path / f"{kind}.csv"))
        assert code == 0 and out.startswith("1 ")
    assert "Nguyễn Thị Lan" in (tmp_path / "customers.csv").read_text(encoding="utf-8-sig")


def test_orderdesk_db_and_db_option_choose_the_database(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from orderdesk.paths import default_db_path

    env_db = tmp_path / "from-env.db"
    monkeypatch.setenv("ORDERDESK_DB", str(env_db))
    assert run(capsys, "product", "add", "--sku", "E-1", "--name", "x", "--price", "1")[0] == 0
    assert env_db.exists() and not default_db_path().exists()
    flag_db = tmp_path / "from-flag.db"
    assert run(capsys, "--db", str(flag_db), "product", "list", "--json")[1].strip() == "[]"
    code, out, _ = run(capsys, "product", "list", "--json")
    assert [p["sku"] for p in json.loads(out)] == ["E-1"]
    monkeypatch.delenv("ORDERDESK_DB")
    assert run(capsys, "doctor")[0] == 0
    assert default_db_path().exists()  # the default, in the (test's) user data folder
    assert oct(default_db_path().stat().st_mode & 0o777) == "0o600"


def test_doctor_lists_what_is_wrong_and_exits_1(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE stock SET on_hand = on_hand + 7")
    code, out, err = cli("doctor")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "  AT-1: on hand 10 but the ledger sums to 3",
        "orderdesk: 1 problem(s) found",
    ]


def test_printing_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(*ADD, "--item", "AT-1=1")
    order_code = out.strip()
    assert cli("order", "confirm", order_code, "--all-ticked")[0] == 0
    out_dir = tmp_path / "prints"
    code, out, err = cli("print", "labels", "--out", str(out_dir) + "/", "--size", "a6")
    assert code == 0, err
    assert out.startswith("Labels: 1 orders → ") and str(out_dir) in out
    printed = list(out_dir.glob("labels-*.pdf"))
    assert len(printed) == 1
    # Again: nothing left, one line, exit 1; --reprint prints it again.
    code, out, err = cli("print", "labels", "--out", str(out_dir))
    assert (code, out) == (1, "") and err.count("\n") == 1 and "--reprint" in err
    code, out, _ = cli("print", "labels", "--out", str(out_dir), "--reprint", "--format", "zpl")
    assert code == 0 and list(out_dir.glob("labels-*.zpl"))
    code, _, err = cli("print", "invoices", "--size", "b5", "--out", str(out_dir))
    assert code == 1 and "unknown paper size b5" in err
    code, _, err = cli("print", "slips", "--orders", "DH9999-0001", "--out", str(out_dir))
    assert code == 1 and "DH9999-0001" in err
    code, _, err = cli("print", "invoices", "--format", "zpl", "--out", str(out_dir))
    assert code == 1 and "ZPL is for shipping labels only" in err
    code, out, _ = cli("print", "jobs", "--order", order_code, "--json")
    jobs = json.loads(out)
    assert [(j["kind"], j["format"], j["count"]) for j in jobs] == [
        ("labels", "zpl", 1),
        ("labels", "pdf", 1),
    ]
    assert jobs[1]["file"] == str(printed[0]) and jobs[1]["size"] == "a6"


def test_printing_into_a_folder_that_cannot_be_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(*ADD, "--item", "AT-1=1")
    assert cli("order", "confirm", out.strip(), "--all-ticked")[0] == 0
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out, err = cli("print", "labels", "--out", str(blocker / "labels.pdf"))
    assert code == 1 and out == "" and "cannot" in err.lower() and err.count("\n") == 1
    code, _, _ = cli("print", "labels", "--out", str(tmp_path / "ok.pdf"))
    assert code == 0  # nothing was marked by the failed try


def test_the_installed_command_keeps_its_output_and_exit_codes(tmp_path: Path) -> None:
    # `console` ends the process without interpreter teardown: nothing may be lost.
    import os
    import subprocess
    import sys

    env = {**os.environ, "ORDERDESK_HOME": str(tmp_path)}
    command = [sys.executable, "-c", "from orderdesk.cli import console; console()", "--lang", "en"]
    done = subprocess.run(
        [*command, "product", "add", "--sku", "A1", "--name", "Áo", "--price", "1000"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [*command, "product", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["sku"] == "A1"
    refused = subprocess.run(
        [*command, "order", "show", "NOPE"], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "NOPE" in refused.stderr
    usage = subprocess.run([*command, "--bogus"], env=env, capture_output=True, text=True)
    assert usage.returncode == 2 and "--bogus" in usage.stderr

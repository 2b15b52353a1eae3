"""The command line for handover, tracking, problems and COD."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from helpers import SAMPLES, dated_sample, sample_time
from orderdesk.cli import main
from orderdesk.timeutil import local_today, to_local

CARRIERS = SAMPLES / "carriers"


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

    assert call("product", "add", "--sku", "AT-1", "--name", "Áo thun", "--price", "350000")[0] == 0
    assert call("stock", "receive", "AT-1", "10")[0] == 0
    return call


def packed_order(cli, code: str, phone: str) -> None:  # type: ignore[no-untyped-def]
    args = ["order", "add", "--code", code, "--name", "Lan", "--phone", phone, "--street", "1 A"]
    args += ["--ward", "P. Cửa Nam", "--province", "Hà Nội", "--item", "AT-1=1"]
    assert cli(*args)[0] == 0
    assert cli("order", "confirm", code, "--all-ticked")[0] == 0
    assert cli("order", "pack", code)[0] == 0


@pytest.mark.dated
def test_handover_then_tracking_file_then_problems(cli, tmp_path: Path, now: datetime) -> None:  # type: ignore[no-untyped-def]
    packed_order(cli, "DH2611-1001", "0912000001")
    packed_order(cli, "DH2611-1002", "0912000002")
    assert cli("tracking", "set", "DH2611-1001", "GYLXD8T1", "--carrier", "ghn")[0] == 0
    code, _, err = cli("tracking", "set", "DH2611-1002", "GYLXD8T1", "--carrier", "ghn")
    assert code == 1 and "already belongs to order DH2611-1001" in err
    code, out, _ = cli("handover", "open", "--carrier", "ghn")
    assert code == 0 and "BG-0001" in out and "0/2" in out
    code, out, err = cli("handover", "scan", "BG-0001", "GYLXD8T1", "NOPE")
    assert code == 1 and "1/2" in out and "NOPE" in err
    code, out, err = cli("handover", "close", "BG-0001", "--out", str(tmp_path))
    assert code == 0 and "1 parcel(s) shipped" in out and "DH2611-1002" in err
    assert (tmp_path / "BG-0001-ghn.pdf").exists()
    assert (tmp_path / "BG-0001-ghn-upload.xlsx").exists()

    status_file = dated_sample(CARRIERS / "ghn-status.csv", now, tmp_path)
    code, out, err = cli("tracking", "import", str(status_file), "--skip-unknown")
    # Orders 3–5 of the sample are not in this shop: their rows are skipped, each named.
    assert code == 0 and "1 tracking number(s) set" in out
    assert err.count("skipped") == 10 and "GYLXD8T3" in err
    code, out, _ = cli("tracking", "show", "DH2611-1001", "--json")
    assert json.loads(out)[0]["outcome"] == "delivered"
    # Order 2 was left out of the bag, but GHN picked it up and failed to deliver it.
    code, out, _ = cli("problems", "--json")
    assert code == 0 and [(p["rule"], p["code"]) for p in json.loads(out)] == [
        ("failed", "DH2611-1002")
    ]


def test_unknown_rows_are_listed_and_nothing_changes(cli) -> None:  # type: ignore[no-untyped-def]
    packed_order(cli, "DH2611-1001", "0912000001")
    code, _, err = cli("tracking", "import", str(CARRIERS / "ghn-status.csv"))
    assert code == 1
    assert "nothing was changed" in err and "--skip-unknown" in err
    assert "no order has the code or tracking number GYLXD8T2" in err
    _, out, _ = cli("order", "show", "DH2611-1001", "--json")
    assert json.loads(out)["status"] == "packed"


def test_a_taught_status_word_is_used(cli, tmp_path: Path, now: datetime) -> None:  # type: ignore[no-untyped-def]
    packed_order(cli, "DH2611-4001", "0912000001")
    assert cli("tracking", "set", "DH2611-4001", "840000000001", "--carrier", "jt")[0] == 0
    path = tmp_path / "jt.csv"
    when = sample_time(now, datetime(2026, 11, 25, 2, tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S")
    path.write_text(
        "Mã vận đơn,Mã đơn hàng,Thời gian,Trạng thái\n"
        f"840000000001,DH2611-4001,{when},Bưu tá đã ký nhận\n",
        encoding="utf-8",
    )
    code, _, err = cli("tracking", "import", str(path))
    assert code == 1 and "Bưu tá đã ký nhận" in err
    assert cli("config", "set", "statuses.jt.Bưu tá đã ký nhận", "delivered")[0] == 0
    code, out, _ = cli("tracking", "import", str(path))
    assert code == 0 and "1 order(s) now delivered" in out


def test_cod_import_prints_the_reconciliation(cli) -> None:  # type: ignore[no-untyped-def]
    packed_order(cli, "DH2611-1001", "0912000001")
    assert cli("tracking", "set", "DH2611-1001", "GYLXD8T1", "--carrier", "ghn")[0] == 0
    assert cli("order", "ship", "DH2611-1001")[0] == 0
    assert cli("order", "deliver", "DH2611-1001")[0] == 0
    code, out, err = cli("cod", "import", str(CARRIERS / "ghn-cod.csv"), "--json")
    data = json.loads(out)
    assert code == 0 and data["orders"][0]["code"] == "DH2611-1001"
    assert data["orders"][0]["difference"] == 0 and data["paid"] == 325_000
    assert len(data["unmatched"]) == 2  # order 5 of the sample and the stranger


def test_a_file_of_no_known_carrier_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    code, _, err = cli("tracking", "import", str(path))
    assert code == 1 and "cannot tell which carrier" in err and err.count("\n") == 1


def test_review_return_and_exchange_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    packed_order(cli, "DH2611-7001", "0912000007")
    assert cli("order", "ship", "DH2611-7001")[0] == 0
    assert cli("order", "deliver", "DH2611-7001")[0] == 0
    code, out, _ = cli("review", "add", "DH2611-7001", "--stars", "2", "--comment", "Áo bị lỗi")
    assert code == 0 and "review queue" in out
    code, out, _ = cli("review", "queue", "--json")
    [waiting] = json.loads(out)
    assert waiting["code"] == "DH2611-7001" and waiting["phone"] == "0912 000 007"
    assert cli("review", "reply", str(waiting["id"]), "Shop gửi áo mới ạ")[0] == 0
    assert json.loads(cli("review", "queue", "--json")[1]) == []
    code, _, err = cli("return", "create", "DH2611-7001", "--item", "AT-1=2", "--reason", "defect")
    assert code == 1 and "1 left" in err
    code, out, _ = cli("exchange", "DH2611-7001", "--from", "AT-1=1", "--to", "AT-1=1")
    assert code == 0 and "exchange order DH" in out and "COD 0 ₫" in out


def test_reviews_import_from_a_file_all_or_nothing(cli, tmp_path: Path, now: datetime) -> None:  # type: ignore[no-untyped-def]
    first, second = (local_today(now) - timedelta(days=d) for d in (3, 2))
    for n, phone in ((1, "0912000011"), (2, "0912000012")):
        packed_order(cli, f"DH2611-710{n}", phone)
        assert cli("order", "ship", f"DH2611-710{n}")[0] == 0
        assert cli("order", "deliver", f"DH2611-710{n}")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "order_code,stars,comment,date\n"
        f"DH2611-7101,5,Áo đẹp lắm,{first:%d/%m/%Y} 14:05\n"
        f"DH2611-7102,7,Sai màu,{second:%d/%m/%Y}\n"
        "DH2611-9999,1,,\n",
        encoding="utf-8",
    )
    code, _, err = cli("import", "reviews", str(bad))
    assert code == 1
    assert "row 3" in err and "1 to 5" in err and "row 4" in err
    assert json.loads(cli("customer", "show", "0912000011", "--json")[1])["reviews"] == 0
    good = tmp_path / "good.csv"
    good.write_text(
        "order_code,sku,stars,comment,date\n"
        f"DH2611-7101,,5,Áo đẹp lắm,{first:%d/%m/%Y} 14:05\n"
        f"DH2611-7102,AT-1,2,Sai màu,{second:%d/%m/%Y}\n",
        encoding="utf-8",
    )
    code, out, _ = cli("import", "reviews", str(good))
    assert (code, out.strip()) == (0, "2 review(s) recorded; 1 low rating(s) wait for an answer")
    [waiting] = json.loads(cli("review", "queue", "--json")[1])
    assert (waiting["code"], waiting["sku"], waiting["comment"]) == (
        "DH2611-7102",
        "AT-1",
        "Sai màu",
    )
    # The customer's date, not today.
    assert to_local(datetime.fromisoformat(waiting["at"])).date() == second
    assert cli("review", "reply", str(waiting["id"]), "Shop đổi màu cho chị ạ")[0] == 0
    # Again: the same reviews, and the answer stays.
    assert cli("import", "reviews", str(good))[0] == 0
    assert json.loads(cli("review", "queue", "--json")[1]) == []

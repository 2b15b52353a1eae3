"""A throwaway CUPS scheduler for tests: its own config, spool, logs and socket; no systemd.

Why: `printers.send` runs the real `lp`, and only a real scheduler shows that a job is
accepted, that `-o raw` keeps a ZPL file byte for byte and that a PDF comes out the other
end. The system's cupsd is usually not running on a build machine (no systemd in a
container) and must not be touched anyway, so each test session starts its own:

    cupsd -f -c DIR/cupsd.conf -s DIR/cups-files.conf

with every path (ServerRoot, spool, cache, state, logs) inside DIR and a `Listen` on the
Unix socket DIR/cups.sock only, so there is no port to clash on under `pytest -n auto`.
Clients find it through the `CUPS_SERVER` environment variable (a socket path works).

It runs as root or as a normal user. As a normal user, admin requests (`lpadmin`) are
allowed by naming the user's own group as `SystemGroup`; the cups-pdf backend, however, is
mode 0700 root and cupsd only runs such backends when it is root itself, so the cups-pdf
queue needs root. A "network printer" (`socket://127.0.0.1:PORT`, what a thermal printer
on port 9100 is) works for anyone: `SocketPrinter` listens and keeps every job's bytes.

Notes from trying it (CUPS 2.4, Debian 12):
- `-v file:/path` on a raw queue accepts and "completes" the job but writes nothing, so
  the raw test uses a socket printer instead of `FileDevice Yes`.
- The scheduler's folder must be traversable by the `lp` user when cupsd runs as root
  (filters and backends run as `lp`), so it lives in /tmp, not under pytest's 0700 folder;
  that also keeps the socket path short (108 bytes at most).
"""

from __future__ import annotations

import configparser
import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

TOOLS = ("cupsd", "lpadmin", "lpstat", "lp")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPDS = (
    Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"),
    Path("/usr/share/cups/model/CUPS-PDF_opt.ppd"),
    Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"),
)
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
# cups-filters' generic PDF printer: its only filter is pdftopdf (media, fit-to-page).
GENERIC_PDF_PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")

T = TypeVar("T")


class Unavailable(Exception):
    """This machine cannot run the scheduler or the queue asked for; says exactly why."""


def missing_tools() -> list[str]:
    """The CUPS commands not found on PATH (cupsd and lpadmin live in sbin)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [tool for tool in TOOLS if shutil.which(tool, path=search) is None]


def _tool(name: str) -> str:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    found = shutil.which(name, path=search)
    if found is None:
        raise Unavailable(f"`{name}` not found on PATH")
    return found


def poll(check: Callable[[], T | None], timeout: float, interval: float = 0.1) -> T | None:
    """`check()`'s first truthy result, or None once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: cupsd gets SIGTERM if pytest is killed before its finalizer runs."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class CupsServer:
    """A running private cupsd; `env` points CUPS clients at it."""

    root: Path
    socket: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        command = [_tool(args[0]), *args[1:]]
        return subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )

    def add_queue(self, name: str, uri: str, ppd: Path | None = None) -> None:
        """A printer `name` sending to `uri`; raw (nothing re-rendered) without a PPD.

        The PPD is used through a copy that turns off SNMP supply polling: otherwise the
        socket backend spends 4 s asking 127.0.0.1 for ink levels before every job.
        """
        command = ["lpadmin", "-p", name, "-E", "-v", uri]
        if ppd is not None:
            quiet = self.root / f"{name}.ppd"
            quiet.write_text(ppd.read_text(errors="replace") + "\n*cupsSNMPSupplies: False\n")
            command += ["-P", str(quiet)]
        done = self.run(*command)
        if done.returncode != 0:
            raise Unavailable(
                f"lpadmin could not add {name} ({uri}): {done.stderr.strip()}\n{self.log_tail()}"
            )

    def completed(self, job_id: str) -> bool:
        done = self.run("lpstat", "-W", "completed", "-o")
        return any(line.split()[:1] == [job_id] for line in done.stdout.splitlines())

    def log_tail(self, lines: int = 40) -> str:
        log = self.root / "log" / "error_log"
        try:
            text = log.read_text(errors="replace").splitlines()
        except OSError:
            return "(no cupsd error_log)"
        return "cupsd error_log (last lines):\n" + "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _scratch_dir() -> Path:
    base = "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()
    root = Path(tempfile.mkdtemp(prefix="orderdesk-cups-", dir=base))
    root.chmod(0o755)  # as root, filters and backends run as `lp` and must reach the spool
    return root


def _write_config(root: Path) -> None:
    for sub in ("spool/tmp", "cache", "state", "log", "ppd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    files = [
        f"ServerRoot {root}",
        f"RequestRoot {root / 'spool'}",
        f"TempDir {root / 'spool' / 'tmp'}",
        f"CacheDir {root / 'cache'}",
        f"StateDir {root / 'state'}",
        f"AccessLog {root / 'log' / 'access_log'}",
        f"ErrorLog {root / 'log' / 'error_log'}",
        f"PageLog {root / 'log' / 'page_log'}",
        "Printcap",  # empty: do not write /etc/printcap
    ]
    if os.geteuid() != 0:
        # A normal user's cupsd lets that user's group administer it (lpadmin).
        with contextlib.suppress(KeyError):
            files.append(f"SystemGroup {grp.getgrgid(os.getgid()).gr_name}")
    (root / "cups-files.conf").write_text("\n".join(files) + "\n")
    (root / "cupsd.conf").write_text(
        "\n".join(
            [
                f"Listen {root / 'cups.sock'}",
                "LogLevel debug",
                "Browsing No",
                "WebInterface No",
                "DefaultAuthType None",
                "<Location />",
                "  Order allow,deny",
                "  Allow all",
                "</Location>",
            ]
        )
        + "\n"
    )


def start(timeout: float = 20) -> CupsServer:
    """Start a private cupsd and wait until it answers; raises Unavailable saying why not."""
    missing = missing_tools()
    if missing:
        raise Unavailable(f"{', '.join(missing)} not found on PATH")
    root = _scratch_dir()
    _write_config(root)
    sock = root / "cups.sock"
    command = [_tool("cupsd"), "-f", "-c", str(root / "cupsd.conf")]
    command += ["-s", str(root / "cups-files.conf")]
    stdout = open(root / "log" / "cupsd.out", "wb")  # closed below: cupsd holds its own copy
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    finally:
        stdout.close()
    env = {**os.environ, "CUPS_SERVER": str(sock)}
    server = CupsServer(root=root, socket=sock, process=process, env=env)

    def ready() -> bool:
        if process.poll() is not None:
            return True
        done = server.run("lpstat", "-r", timeout=10)
        return "not running" not in done.stdout and done.returncode == 0

    if not poll(ready, timeout) or process.poll() is not None:
        out = (root / "log" / "cupsd.out").read_text(errors="replace").strip()
        reason = f"cupsd did not start ({' '.join(command)}): {out}\n{server.log_tail()}"
        server.stop()
        raise Unavailable(reason)
    return server


# ----------------------------------------------------------------------------- cups-pdf


def cups_pdf_ppd() -> Path | None:
    return next((ppd for ppd in CUPS_PDF_PPDS if ppd.is_file()), None)


def cups_pdf_problem() -> str | None:
    """Why the cups-pdf queue cannot work here, or None when it can."""
    if not CUPS_PDF_BACKEND.exists():
        return (
            f"the cups-pdf backend {CUPS_PDF_BACKEND} is not installed "
            "(apt-get install printer-driver-cups-pdf)"
        )
    if cups_pdf_ppd() is None:
        return f"no cups-pdf PPD in {', '.join(str(p.parent) for p in CUPS_PDF_PPDS)}"
    if os.geteuid() != 0:
        return (
            f"the cups-pdf backend is mode 0700 root and cupsd only runs it as root; "
            f"tests run as uid {os.geteuid()}"
        )
    return None


def _cups_pdf_settings() -> dict[str, str]:
    """cups-pdf.conf as `Key value` pairs (its defaults where the file says nothing)."""
    values = {"Out": "/var/spool/cups-pdf/${USER}", "AnonDirName": "/var/spool/cups-pdf/ANONYMOUS"}
    parser = configparser.ConfigParser(
        delimiters=(" ", "\t"), comment_prefixes=("#",), interpolation=None, strict=False
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    with contextlib.suppress(OSError, configparser.Error):
        parser.read_string("[cups-pdf]\n" + CUPS_PDF_CONF.read_text(errors="replace"))
        values.update({k: v.strip() for k, v in parser["cups-pdf"].items() if v})
    return values


def cups_pdf_out_dirs(user: str) -> list[Path]:
    """Where cups-pdf may put a job of `user`: its Out folder, or the anonymous one for a
    user unknown to this machine."""
    settings = _cups_pdf_settings()
    dirs = [Path(settings["AnonDirName"])]
    with contextlib.suppress(KeyError):
        home = pwd.getpwnam(user).pw_dir
        out = settings["Out"].replace("${HOME}", home).replace("${USER}", user)
        dirs.insert(0, Path(out))
    return dirs


# ----------------------------------------------------------------------------- socket printer


class SocketPrinter:
    """A pretend network printer (AppSocket/JetDirect, like port 9100 on a thermal
    printer): every connection is one job whose bytes are kept in `jobs`."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.jobs: list[bytes] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="socket-printer", daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"socket://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(30)
                chunks = []
                with contextlib.suppress(OSError):
                    while chunk := conn.recv(1 << 16):
                        chunks.append(chunk)
            with self._lock:
                self.jobs.append(b"".join(chunks))

    def wait_for_job(self, index: int, timeout: float = 20) -> bytes | None:
        """The `index`-th job (0-based) once it has fully arrived, or None on timeout."""

        def arrived() -> tuple[bytes] | None:
            with self._lock:
                return (self.jobs[index],) if len(self.jobs) > index else None

        found = poll(arrived, timeout)
        return found[0] if found else None

    def close(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=5)

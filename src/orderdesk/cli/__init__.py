"""The `orderdesk` command: a thin layer over the services (see main.py)."""

from __future__ import annotations

from orderdesk.cli.main import cli, console, main

__all__ = ["cli", "console", "main"]

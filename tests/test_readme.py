"""The README's Quick start is what CI runs: the two commands must stay true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith("orderdesk demo")
    assert "pytest" in commands[1] and "[test]" in commands[1]


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    first, second = quick_start_commands()
    # CI has no terminal, so the demo is built without opening the desk.
    assert f"{first} --no-open" in ci.splitlines()
    assert second in ci.splitlines()

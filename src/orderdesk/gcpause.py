"""Python's cycle collector paused for the length of a bulk job.

An import of 20,000 rows makes a few hundred thousand dicts and tuples that all live until
the job ends; the collector walks them again and again as they pile up and took a third
of a marketplace import (bench_import: 6.1 s with it, 4.4 s without). Nothing such a job
makes is a reference cycle that needs collecting before it ends; collection resumes after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

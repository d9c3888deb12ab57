"""Bounds on reading one document, checked while its text is extracted, before any chunking or embedding.

A small file can expand enormously: a 472 KB PDF whose 3,000 pages share one compressed content stream
extracts 15.6 M characters. So the page count is checked before extraction, and the characters and the
time spent are checked as the text grows; the first bound passed stops the work with a reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class OverLimit(Exception):
    """Extraction stopped at a bound; `reason` names it and the setting that sets it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ExtractLimits:
    """What reading one document may cost: bytes read, characters extracted, PDF pages, seconds."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = 1_000_000
    max_pages: int = 1000
    max_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Any) -> ExtractLimits:
        """The limits a Settings object sets (max_file_mb, ingest_max_chars, pdf_max_pages, extract_max_s)."""
        return cls(max_bytes=int(settings.max_file_mb * 1024 * 1024), max_chars=settings.ingest_max_chars,
                   max_pages=settings.pdf_max_pages, max_seconds=settings.extract_max_s)

    def budget(self) -> Budget:
        """A fresh budget for one document, its clock started now."""
        return Budget(self)


class Budget:
    """Characters and time spent on one document so far; `spend`/`tick` raise OverLimit past a bound."""

    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits
        self.chars = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def spend(self, chars: int) -> None:
        """Count `chars` more characters of text (and check the clock)."""
        self.chars += chars
        if self.chars > self.limits.max_chars:
            raise OverLimit(f"more than {self.limits.max_chars:,} characters of text; the limit is "
                            f"{self.limits.max_chars:,} per document (ingest_max_chars)")
        self.tick()

    def tick(self) -> None:
        """Check the clock."""
        if time.monotonic() > self.deadline:
            raise OverLimit(f"reading the text took longer than {self.limits.max_seconds:g} s; the limit is "
                            f"{self.limits.max_seconds:g} s per document (extract_max_s)")

    def pages(self, count: int) -> None:
        """Check a PDF's page count before any page is read."""
        if count > self.limits.max_pages:
            raise OverLimit(f"{count:,} pages; the limit is {self.limits.max_pages:,} per document (pdf_max_pages)")

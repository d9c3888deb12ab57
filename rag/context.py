"""The numbered context the model reads: few passages, each headed with document, meeting and date."""

from __future__ import annotations

from collections.abc import Sequence

from rag.types import Passage


def header(p: Passage) -> str:
    """'日・モンゴル環境政策対話 — 第10回 (2016年), 開催地: ウランバートル' style header."""
    bits = [p.dialogue or p.title]
    if p.date_label:
        bits.append(p.date_label)
    head = " — ".join(bits)
    if p.venue:
        head += f", 開催地 (venue): {p.venue}"
    elif p.section and p.section != p.title:
        head += f" / {p.section}"
    return head


def build_context(passages: Sequence[Passage], max_chars: int, *, compact: bool = False) -> tuple[str, list[Passage]]:
    """Number passages [1]..[n] within the character budget; return the text and the passages used.

    `compact` shortens each body so that many rows (a count or a list) all fit: there the headers
    (meeting, date, venue) are the evidence.
    """
    lines, used, total = [], [], 0
    body_limit = max(40, max_chars // max(len(passages), 1) - 60) if compact else None
    for p in passages:
        body = p.index_text or p.text
        if body_limit and len(body) > body_limit:
            body = body[:body_limit] + "…"
        block = f"[{len(used) + 1}] {header(p)}\n{body}"
        if used and total + len(block) > max_chars:
            break
        if not used and len(block) > max_chars:
            block = block[:max_chars]  # one huge passage: keep its head rather than nothing
        lines.append(block)
        used.append(p)
        total += len(block)
    return "\n".join(lines), used

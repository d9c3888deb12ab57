"""The numbered context the model reads: few passages, each headed with document, meeting and date,
within a character budget that keeps prefill short; passages can be cut to the sentences that bear on
the question (always for count/list rows, optionally for prose: see benchmarks/RESULTS.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from ingest.tokenizer import tokenize
from rag.types import Passage

_PIECE = re.compile(r"[^。！？\n]+[。！？]?")  # sentences and lines: a meeting row's fields are on lines
_LEAD_SHARE = 2  # passage [1] gets twice the room of the others: the answer is usually there


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


def focus(body: str, terms: Collection[str], limit: int, weight: Callable[[str], float] = lambda t: 1.0) -> str:
    """The pieces of `body` sharing most (rare) question terms, in source order, within `limit` chars.

    Pieces that were not adjacent in the source are joined with '…' so the model sees the cut.
    """
    if len(body) <= limit:
        return body
    pieces = [m.group(0).strip() for m in _PIECE.finditer(body)]
    pieces = [p for p in pieces if p]
    terms = set(terms)

    def score(i: int) -> float:
        return sum(weight(t) for t in terms & set(tokenize(pieces[i])))

    keep: list[int] = []
    total = 0
    for i in sorted(range(len(pieces)), key=lambda i: (-score(i), i)):
        if total + len(pieces[i]) > limit and keep:
            continue
        keep.append(i)
        total += len(pieces[i])
    out = ""
    for j, i in enumerate(sorted(keep)):
        piece = pieces[i] if len(pieces[i]) <= limit else pieces[i][:limit] + "…"
        if j:
            out += " … " if i - 1 not in keep else ("" if out.endswith(("。", "！", "？")) else " ")
        out += piece
    return ("… " if min(keep) > 0 else "") + out + (" …" if max(keep) < len(pieces) - 1 else "")


def build_context(passages: Sequence[Passage], max_chars: int, *, compact: bool = False, cut: bool = False,
                  question: str = "", weight: Callable[[str], float] = lambda t: 1.0) -> tuple[str, list[Passage]]:
    """Number passages [1]..[n] within the character budget; return the text and the passages used.

    With `cut`, each passage gets a share of the budget (passage [1] a double one) and is cut to the
    sentences that share the question's terms; without, whole passages go in rank order while they fit.
    `compact` gives every passage the same small share so that many rows
    (a count or a list) all fit: there the headers (meeting, date, venue) are the evidence.
    """
    lines, used, total = [], [], 0
    n = max(len(passages), 1)
    terms = set(tokenize(question)) if question else set()
    for i, p in enumerate(passages):
        head = f"[{len(used) + 1}] {header(p)}\n"
        body = p.index_text or p.text
        if cut or compact:
            share = 1 if compact or i else _LEAD_SHARE
            room = max_chars * share // (n if compact else n + _LEAD_SHARE - 1)
            body = focus(body, terms, max(40, room - len(head)), weight)
        block = head + body
        if not used and len(block) > max_chars:
            block = block[:max_chars]  # one huge passage: keep its head rather than nothing
        if used and total + len(block) > max_chars:
            break
        lines.append(block)
        used.append(p)
        total += len(block)
    return "\n".join(lines), used

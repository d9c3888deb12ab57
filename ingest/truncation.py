"""Pages cut off mid-sentence: real pages often reach Shiori as their first N bytes, so a page's last sentence
may stop half-way ("…に関する情報共"). What such a sentence would have said is unknown; what it does say
before the cut is kept, but it is no sentence to quote or to check a claim against."""

from __future__ import annotations

import re

# A page that ends on one of these ended whole: a sentence's end, a closing bracket after it, a table's pipe.
_WHOLE_END = re.compile(r"(?:[。．!?！？]|(?<=[A-Za-z0-9)）])\.)[」』）)\]】]*$|\|$")
# How a sentence stopped half-way ends: a particle, a comma, a middle dot, or an English word in lower case.
_UNFINISHED = re.compile(r"(?:[にのをはがとでもやへ、，・]|\b[a-z]+|,)$|、")
# The last sentence end inside a line (what follows it is the unfinished sentence).
_LAST_END = re.compile(r".*(?:[。．!?！？]|\.(?=\s))[」』）)\]】]*", re.S)


def cut_start(text: str) -> int | None:
    """Where the unfinished sentence a cut-off page ends with starts (None when the page ends whole)."""
    body = text.rstrip()
    if not body or _WHOLE_END.search(body):
        return None
    line_start = body.rfind("\n") + 1
    last = _LAST_END.match(body, line_start)
    start = last.end() if last else line_start
    while start < len(body) and body[start].isspace():
        start += 1
    if start >= len(body):
        return None
    # A line that is a title or a link ("…の結果について", "Results of the 7th … Dialogue") ends whole without a
    # full stop; a sentence stopped half-way ends on a particle, a comma or a lower-case word, or follows a
    # finished sentence on its line.
    tail = body[start:]
    if last is None and not _UNFINISHED.search(tail):
        return None
    return start

"""Fuzz (hypothesis) over the whole file → clean → chunk path: never crashes, offsets always map back.

tests/unit/test_splitter.py fuzzes split_document on text; here the input is raw bytes in any of the
supported encodings and as HTML, so decoding, cleaning and chunking are exercised together.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.cleaner import normalize
from ingest.loaders import LoadError, load_document
from ingest.splitter import split_document
from tests.unit.test_splitter import assert_invariants

_JA = st.text(alphabet="あいう漢字カナｶﾅＡＢＣabc 　０１２3456789。、！？!?()（）第回年月日-・※\t\n", max_size=200)
_ANY = st.text(max_size=200)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16"])


def _load(data: bytes, suffix: str):
    """Write bytes to a temporary file with the suffix and load it (None when refused with LoadError)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        try:
            return load_document(path)
        except LoadError as exc:
            assert exc.reason  # a refusal always says why
            return None


def _check(doc, max_chars: int) -> None:
    """Chunks cover the document with offsets that slice back to their text exactly."""
    chunks = split_document(doc, max_chars)
    assert_invariants(doc, chunks)
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_JA, _ANY), encoding=_ENCODINGS, max_chars=st.integers(min_value=20, max_value=400))
def test_encoded_text_files_never_crash_and_offsets_map_back(text, encoding, max_chars):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # not representable in that encoding: not a file anyone has
    doc = _load(data, ".txt")
    if doc is not None:
        _check(doc, max_chars)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_are_loaded_or_refused_with_a_reason(data):
    for suffix in (".txt", ".md", ".html", ".pdf"):
        doc = _load(data, suffix)
        if doc is not None:
            _check(doc, 200)


_TAGS = st.sampled_from(["p", "div", "table", "tr", "td", "br", "h1", "li", "script", "pre", "span", "title"])


@st.composite
def html_pages(draw):
    """Random nested HTML with Japanese text, sometimes unclosed tags."""
    parts = ["<html><head><title>", draw(_JA), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(_TAGS)
        parts.append(f"<{tag}>{draw(_JA)}" + ("" if draw(st.booleans()) else f"</{tag}>"))
    return "".join(parts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=html_pages(), charset=st.sampled_from(["utf-8", "shift_jis", "euc-jp"]))
def test_html_pages_never_crash_and_offsets_map_back(page, charset):
    page = page.replace("<head>", f'<head><meta charset="{charset}">')
    try:
        data = page.encode("cp932" if charset == "shift_jis" else charset)
    except UnicodeEncodeError:
        return
    doc = _load(data, ".html")
    if doc is not None:
        _check(doc, 120)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_JA, _ANY))
def test_normalize_never_crashes_and_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once

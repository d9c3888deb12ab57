"""A series page that lists its meetings as blocks under code headings ("ZWX1", "Chair: …"), which no table reader
takes for records: a value is the named meeting's only where its block is (fake embeddings, no model)."""

from __future__ import annotations

import pytest

from tests.invented_corpus import page_service

PAGE = """Zembla-Xanadu Water Ministers' Meeting (ZWX)

The Zembla-Xanadu Water Ministers' Meeting (ZWX) was launched in 2017. The minister of the host country chairs it.
It builds on the Zembla-Xanadu water memorandum, first signed in Zenda in May 2016.

Past meetings

ZWX1
Date: May 12, 2017
Venue: Zenda
Chair: Mr. OKAMURA Tetsuya, Minister of Water of Zembla

ZWX2
Date: June 3, 2019
Venue: Online
Chair: Hon. Amadou Ba Sarr, Minister of Water of Xanadu
"""


REPORT = """Chair's Summary: The 2nd Zembla-Xanadu Water Ministers' Meeting (ZWX2)

The 2nd Zembla-Xanadu Water Ministers' Meeting (ZWX2) was held online on June 3, 2019, hosted by Xanadu.
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    return page_service(tmp_path_factory.mktemp("blocks"), {"zwx_series.txt": PAGE, "zwx2_summary.txt": REPORT})


def test_the_very_first_meetings_chair_is_the_one_in_its_own_block(service):
    question = "Who was in the chair at the very first ZWX?"
    ev = service.chain.evidence(service.chain.read(question))
    bound = {c.value for c in ev.of_kind("person", bound=True)}
    assert any("OKAMURA" in v for v in bound) and not any("Amadou" in v for v in bound)
    a = service.answer(question)
    assert not a.abstained and "OKAMURA" in a.text and "Amadou" not in a.text


def test_what_was_first_done_of_something_else_is_no_first_meeting(service):
    # "first signed" of the memorandum: the dates told of it are not the 1st meeting's to be bound to.
    ev = service.chain.evidence(service.chain.read("When was the Zembla-Xanadu water memorandum first signed?"))
    dates = [c for c in ev.of_kind("date") if "2016" in c.value]
    assert dates and all(not m.startswith("meeting:") for c in dates for m in c.missing)


def test_held_since_a_year_is_no_first_meetings_value(service):
    # A claim "held since 2017" reads as the first meeting's start: a date, which is no 1st meeting's value to bind.
    from rag.check.claims import ClaimChecker

    claim = "The Zembla-Xanadu Water Ministers' Meeting has been held since 2017, under a memorandum signed in May 2016."
    q = ClaimChecker(service.chain).question(claim)
    ev = service.chain.evidence(q)
    dates = [c for c in ev.of_kind("date") if "2016" in c.value or "2017" in c.value]
    assert dates and all(not m.startswith("meeting:") for c in dates for m in c.missing)

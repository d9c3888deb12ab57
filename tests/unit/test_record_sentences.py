"""rag.series.sentences: a sentence about a named meeting states only what its record gives of what was asked
(invented records)."""

from __future__ import annotations

from ingest.dates import find_dates
from ingest.schema import Record
from rag.read.question import read_question
from rag.series.catalog import Series
from rag.series.records import SeriesFinding
from rag.series.sentences import Composer


class _Catalog:
    """Only what Composer asks of a catalog: a place for the asker."""

    def __init__(self, cut: Record | None = None) -> None:
        self.cut = cut

    def place(self, place, language):
        """The place as written."""
        return place

    def cut_row(self, series):
        """The row the page listing the series stops inside."""
        return self.cut


def _finding(date: str | None, place: str | None) -> SeriesFinding:
    r = Record(record_id="r6", doc_id="d", series="ゼンブラ湖沼フォーラム", number=6,
               date=find_dates(date)[0] if date else None, place=place, summary=None, start=0, end=10)
    return SeriesFinding(series=Series("s", ("ゼンブラ湖沼フォーラム",), (r,)), matching=[r], picked=[r])


def test_a_record_with_neither_date_nor_place_says_nothing_of_when_or_where():
    q = read_question("第6回ゼンブラ湖沼フォーラムは、いつ、どこで開催されましたか。")
    assert Composer(_Catalog(), q).named(_finding(None, None)) == []


def test_a_record_states_what_it_gives():
    q = read_question("第6回ゼンブラ湖沼フォーラムはいつ開催されましたか。")
    [st] = Composer(_Catalog(), q).named(_finding("2023年11月", None))
    assert "2023年11月" in st.text
    assert Composer(_Catalog(), q).named(_finding(None, "コルビア")) == []  # a place does not say when


def test_a_country_is_no_answer_to_which_city():
    # A record's place that is only a country ("中国") does not say which city hosts the meeting.
    q = read_question("Which Chinese city will host the 6th Zembla Lakes Forum?")
    assert Composer(_Catalog(), q).named(_finding(None, "中国")) == []
    [st] = Composer(_Catalog(), q).named(_finding(None, "大連"))
    assert "大連" in st.text


def _numbered(numbers: list[int], place: str) -> list[Record]:
    return [Record(record_id=f"r{k}", doc_id="d", series="ゼンブラ湖沼フォーラム", number=k,
                   date=find_dates(f"{2015 + k}年5月")[0], place=place if k % 2 else "コルビア", summary=None,
                   start=k * 10, end=k * 10 + 5) for k in numbers]


def test_a_count_under_a_condition_over_a_list_with_unlisted_meetings_is_said_as_no_answer():
    from rag.series.records import Conditions, RecordFinding

    records = _numbered([1, 2, 4, 5], "オンライン")  # the 3rd is not listed: it may have met online too
    online = [r for r in records if r.place == "オンライン"]
    finding = RecordFinding(kind="count", conditions=Conditions(places=["オンライン"]), findings=[SeriesFinding(
        series=Series("s", ("ゼンブラ湖沼フォーラム",), tuple(records)), matching=online, picked=online)])
    q = read_question("ゼンブラ湖沼フォーラムはオンラインで何回開催されましたか。")
    [st] = Composer(_Catalog(), q).compose(finding)
    assert st.short and "2回" in st.text and "第3回は資料に記載がなく" in st.text
    complete = _numbered([1, 2, 3, 4, 5], "オンライン")
    online = [r for r in complete if r.place == "オンライン"]
    finding = RecordFinding(kind="count", conditions=Conditions(places=["オンライン"]), findings=[SeriesFinding(
        series=Series("s", ("ゼンブラ湖沼フォーラム",), tuple(complete)), matching=online, picked=online)])
    [st] = Composer(_Catalog(), q).compose(finding)
    assert not st.short and "3回" in st.text and "記載がなく" not in st.text


def _named_with_summary(summary: str, topic: list[str]):
    from rag.series.records import Conditions, RecordFinding

    r = Record(record_id="r4", doc_id="d", series="ゼンブラ湖沼フォーラム", number=4,
               date=find_dates("2020年12月")[0], place="オンライン", summary=summary, start=0, end=10)
    return RecordFinding(kind="named", conditions=Conditions(number=4, topic=topic), findings=[SeriesFinding(
        series=Series("s", ("ゼンブラ湖沼フォーラム",), (r,)), matching=[r], picked=[r])])


def test_a_summary_that_never_names_the_asked_topic_is_not_quoted_as_its_answer():
    q = read_question("第4回ゼンブラ湖沼フォーラムでは、水質分野について何に合意しましたか。")
    finding = _named_with_summary("初めてオンラインで開催し、共同研究の中間成果を確認しました。", ["水質", "分野"])
    assert Composer(_Catalog(), q).compose(finding) == []
    finding = _named_with_summary("水質分野の共同調査を2021年度から実施することに合意しました。", ["水質", "分野"])
    [st] = Composer(_Catalog(), q).compose(finding)
    assert "共同調査" in st.text


def test_a_question_naming_no_topic_is_answered_by_the_whole_summary():
    q = read_question("第4回ゼンブラ湖沼フォーラムでは何が話し合われましたか。")
    [st] = Composer(_Catalog(), q).compose(_named_with_summary("共同研究の中間成果を確認しました。", []))
    assert "中間成果" in st.text


def test_a_count_over_a_list_the_page_cuts_off_is_said_as_no_answer():
    from rag.series.records import Conditions, RecordFinding

    records = _numbered([1, 2, 3, 4, 5], "コルビア")
    finding = RecordFinding(kind="count", conditions=Conditions(), findings=[SeriesFinding(
        series=Series("s", ("ゼンブラ湖沼フォーラム",), tuple(records)), matching=records, picked=records)])
    q = read_question("How many Zembra Lake Forums have been held?")
    [st] = Composer(_Catalog(cut=records[-1]), q).compose(finding)
    assert st.short and "5 meetings" in st.text and "may be higher" in st.text
    [st] = Composer(_Catalog(), q).compose(finding)
    assert not st.short and "5 meetings" in st.text
    # Asked what the page lists, the listed count is the answer.
    q = read_question("How many Zembra Lake Forums does the page list?")
    [st] = Composer(_Catalog(cut=records[-1]), q).compose(finding)
    assert not st.short and "5 meetings" in st.text
    q = read_question("ゼンブラ湖沼フォーラムはこれまで何回開催されたと記載されていますか。")
    [st] = Composer(_Catalog(cut=records[-1]), q).compose(finding)
    assert not st.short and "5回" in st.text


def test_a_count_up_to_the_date_of_the_row_a_page_is_cut_in_is_whole():
    # A list runs in time: the rows the cut took come after the 5th (2020年5月), so "by May 2020" is whole.
    from rag.series.records import Conditions, RecordFinding

    records = _numbered([1, 2, 3, 4, 5], "コルビア")
    finding = RecordFinding(kind="count", conditions=Conditions(until=find_dates("2020年5月")[0]), findings=[
        SeriesFinding(series=Series("s", ("ゼンブラ湖沼フォーラム",), tuple(records)), matching=records, picked=records)])
    q = read_question("ゼンブラ湖沼フォーラムは2020年5月までに何回開催されましたか。")
    [st] = Composer(_Catalog(cut=records[-1]), q).compose(finding)
    assert not st.short and "5回" in st.text

"""rag.values.candidates: typed values code finds in passages (extract) and ranks for a question (score).

Passages are hand-made with invented names; each ranking test has a distractor value of the same kind in
another sentence, so the best candidate must be picked for what its sentence says.
"""

from __future__ import annotations

import pytest

from rag.read.question import Question, read_question
from rag.types import Passage
from rag.values.candidates import Candidate, extract, rarity, score


def passage(text: str, doc: str = "doc", start: int = 0, section: str | None = None) -> Passage:
    return Passage(chunk_id=f"{doc}:{start}", doc_id=doc, title="t", text=text, start=start,
                   end=start + len(text), section=section)


def even(_: str) -> float:
    return 1.0


def ranked(q: Question | str, passages: list[Passage], doc_texts: dict[str, str] | None = None,
           weight=even) -> list[Candidate]:
    q = read_question(q) if isinstance(q, str) else q
    return score(extract(q, passages, doc_texts or {}), q, weight)


def best(q: Question | str, passages: list[Passage], *kinds: str, **kw) -> Candidate:
    return next(c for c in ranked(q, passages, **kw) if c.kind in kinds)


def values(cands: list[Candidate], kind: str) -> list[str]:
    return [c.value for c in cands if c.kind == kind]


# --- dates and times ------------------------------------------------------------------------------

SIGNED_JA = passage("フリードニアとの覚書は2019年5月14日、オストラバで締結された。\n翌年の2020年3月2日には記念式典が開催された。")
SIGNED_EN = passage("The memorandum with Freedonia was signed in Ostrava on 14 May 2019.\n"
                    "A ceremony was held in Brno on 2 March 2020.")


@pytest.mark.parametrize(("question", "value"), [
    ("フリードニアとの覚書はいつ締結されましたか？", "2019年5月14日"),
    ("記念式典はいつ開催されましたか？", "2020年3月2日"),
])
def test_japanese_date_of_the_asked_event(question, value):
    c = best(question, [SIGNED_JA], "date")
    assert c.value == value and c.date is not None
    assert SIGNED_JA.text[c.start:c.end] == value  # the exact span it comes from
    assert value in c.context and c.context.endswith("。")


@pytest.mark.parametrize(("question", "value", "iso"), [
    ("When was the memorandum with Freedonia signed?", "14 May 2019", "2019-05-14"),
    ("When was the ceremony held?", "2 March 2020", "2020-03-02"),
])
def test_english_date_of_the_asked_event(question, value, iso):
    c = best(question, [SIGNED_EN], "date")
    assert (c.value, c.date.iso()) == (value, iso)


def test_english_sentences_on_one_line_are_separate_contexts():
    p = passage("The memorandum with Freedonia was signed in Ostrava on 14 May 2019. "
                "A ceremony was held in Brno on 2 March 2020.")
    assert best("When was the ceremony held?", [p], "date").value == "2 March 2020"


def test_a_better_retrieved_passage_does_not_beat_the_one_naming_the_event():
    ceremony = passage("記念式典は2020年3月2日にオストラバで開催された。", doc="a")
    signing = passage("覚書は2019年5月14日に締結された。", doc="b")
    c = best("覚書はいつ締結されましたか？", [ceremony, signing], "date")
    assert (c.value, c.doc_id, c.rank) == ("2019年5月14日", "b", 1)


def test_a_target_year_loses_to_the_year_something_happened():
    p = passage("フリードニアは2030年までに排出量を削減する。\nフリードニアは2019年に排出量を削減した。")
    assert best("フリードニアはいつ排出量を削減しましたか？", [p], "date").value == "2019年"


def test_an_english_target_year_loses_to_the_year_something_happened():
    p = passage("Freedonia cuts emissions by 2030.\nFreedonia cuts emissions in 2019.")
    assert best("When does Freedonia cut emissions?", [p], "date").value == "2019"


def test_time_of_day_when_the_question_asks_what_time():
    p = passage("The seminar starts at 14:00 on 5 November 2019.\nA reception follows at 18:30.")
    assert best("What time does the reception start?", [p], "time").value == "18:30"
    assert best("What time does the seminar start?", [p], "time").value == "14:00"
    assert values(ranked("When is the seminar?", [p]), "time") == []  # a date question gets no times


def test_japanese_time_of_day():
    p = passage("セミナーは午後2時に始まる。\n懇親会は午後6時30分から。")
    assert best("セミナーは何時に始まりますか？", [p], "time").value == "午後2時"


# --- places ---------------------------------------------------------------------------------------

def test_japanese_place_where_the_event_happened():
    c = best("フリードニアとの覚書はどこで締結されましたか？", [SIGNED_JA], "place")
    assert (c.value, c.label) == ("オストラバ", "で")


def test_japanese_place_is_only_the_place():
    p = passage("フリードニアとの覚書は2019年5月14日にオストラバで締結された。")
    assert best("フリードニアとの覚書はどこで締結されましたか？", [p], "place").value == "オストラバ"


@pytest.mark.parametrize(("question", "value"), [
    ("Where was the ceremony held?", "Brno"),
    ("Where was the forum held?", "Olomouc"),
])
def test_english_place_of_the_asked_event(question, value):
    p = passage("The ceremony was held in Brno.\nThe forum was held in Olomouc.")
    c = best(question, [p], "place")
    assert (c.value, c.label) == (value, "in")


def test_place_from_a_venue_field():
    p = passage("1. 日 時 令和元年11月5日（火）午後2時～午後4時\n2. 会 場 オストラバ市庁舎 大会議室")
    c = best("セミナーの会場はどこですか？", [p], "place")
    assert (c.value, c.label) == ("オストラバ市庁舎 大会議室", "会場")
    assert c.context.startswith("会 場")  # the field, label included, is its context


def test_a_label_line_above_the_passage_still_names_the_value():
    doc = "案内\n■ 会場\nオストラバ市庁舎 大会議室\n■ 日時\n2019年11月5日（火）\n"
    i = doc.index("オストラバ")
    p = Passage(chunk_id="c", doc_id="D", title="t", text=doc[i:], start=i, end=len(doc))
    q = "セミナーの会場はどこですか？"
    with_doc = best(q, [p], "place", doc_texts={"D": doc})
    assert (with_doc.value, with_doc.label) == ("オストラバ市庁舎 大会議室", "会場")
    assert doc[with_doc.start:with_doc.end] == "オストラバ市庁舎 大会議室"  # offsets are the document's
    assert doc[with_doc.ctx_start:with_doc.ctx_end].startswith("会場")
    assert all(c.label is None for c in ranked(q, [p]) if c.kind == "place")  # without the document: no label


# --- people and organisations ---------------------------------------------------------------------

def test_english_people_with_their_titles_and_roles():
    p = passage("Minister Karel Novak signed the memorandum.\nMs. Jana Horakova, Deputy Mayor of Ostrava, opened the seminar.")
    people = {c.value: c.role for c in ranked("Who attended?", [p]) if c.kind == "person"}
    assert set(people) == {"Karel Novak", "Jana Horakova"}
    assert people["Karel Novak"].startswith("Minister")
    assert people["Jana Horakova"].startswith("Ms Deputy Mayor of Ostrava")
    assert best("Who opened the seminar?", [p], "person").value == "Jana Horakova"
    assert best("Who signed the memorandum?", [p], "person").value == "Karel Novak"


def test_japanese_people_under_group_headers():
    p = passage("出席者\n＜フリードニア環境省＞\n山田 太郎 局長\n鈴木 花子 課長\n＜オストラバ市＞\nノヴァーク 市長")
    people = {c.value: c.role for c in ranked("セミナーの出席者は誰ですか？", [p]) if c.kind == "person"}
    assert people == {"山田 太郎": "フリードニア環境省 局長", "鈴木 花子": "フリードニア環境省 課長",
                      "ノヴァーク": "オストラバ市 市長"}


def test_a_group_of_people_gives_a_count():
    p = passage("出席者\n＜フリードニア環境省＞\n山田 太郎 局長\n鈴木 花子 課長\n＜オストラバ市＞\nノヴァーク 市長")
    q = read_question("フリードニア環境省からは何人が出席しましたか？")
    assert values(extract(q, [p], {}), "quantity") == ["2人(フリードニア環境省)"]  # the group it names
    assert best(q, [p], "quantity").value == "2人(フリードニア環境省)"


def test_how_many_attended_with_no_side_named_is_every_group_together():
    # A count of one group answers no question that names no group: the whole list does.
    p = passage("出席者\n＜フリードニア環境省＞\n山田 太郎 局長\n鈴木 花子 課長\n＜オストラバ市＞\nノヴァーク 市長")
    q = read_question("セミナーには何人が出席しましたか？")
    assert values(extract(q, [p], {}), "quantity") == ["3人(フリードニア環境省 2人、オストラバ市 1人)"]


def test_a_group_header_ending_the_label_line_opens_its_group_and_a_note_lists_no_attendee():
    # "(3) 出席者 <X>": the header at the end of the label line; "※ … video message" is no one who attended.
    p = passage("- (3) 出席者 <オストラバ市>\n\nMr. Karel Novak オストラバ市副市長\n\nMr. Jan Dvorak オストラバ市環境局長\n\n"
                "<北浦市>\n\n山田 太郎\n\n北浦市環境局長\n\n※佐藤 一郎 北浦市長からのビデオメッセージを放映")
    for text in ("オストラバ市側からは何人が出席しましたか？", "締結式に北浦市から出席したのは何人ですか？"):
        side = read_question(text)
        assert len(values(extract(side, [p], {}), "quantity")) == 1
    assert best(read_question("オストラバ市側からは何人が出席しましたか？"), [p], "quantity").value == "2人(オストラバ市)"
    assert best(read_question("締結式に北浦市から出席したのは何人ですか？"), [p], "quantity").value == "1人(北浦市)"
    whole = read_question("締結式には何人が出席しましたか？")
    assert values(extract(whole, [p], {}), "quantity") == ["3人(オストラバ市 2人、北浦市 1人)"]


def test_a_number_in_a_table_is_read_under_its_column():
    # The row of 2022 holds three numbers; the question names one column: only that column's number answers.
    text = ("研修の実績\n\n年度　研修員　オンライン参加者　事業費\n2021年度　0人　24人　310万円\n"
            "2022年度　6人　18人　520万円\n2023年度　11人　9人　780万円\n")
    p = passage(text)
    q = read_question("2022年度のオンライン参加者は何人ですか？")
    got = [c for c in extract(q, [p], {"doc": text}) if c.kind == "quantity"]
    assert {"24人", "18人", "9人"} <= {c.value for c in got}
    assert not {"0人", "6人", "11人", "310万円", "520万円"} & {c.value for c in got}
    assert best(q, [p], "quantity", doc_texts={"doc": text}).value == "18人"
    # A question naming no column keeps every number, each under its column.
    anyq = read_question("2022年度は何人でしたか？")
    assert {c.label for c in extract(anyq, [p], {"doc": text}) if c.kind == "quantity"} >= {
        "研修員", "オンライン参加者", "事業費"}


@pytest.mark.parametrize(("question", "ja", "text", "unit", "value"), [
    # The counted thing is the head of the phrase after "how many", not its first word.
    ("How many Japanese cities joined the network?", "日本 都市 ネットワーク 参加", "ネットワークには4か国6都市が参加した。",
     "cities", "6都市"),
    # A counter of a kind (人, か国) answers only a question about that kind.
    ("How many projects were carried out?", "事業 実施", "研修員12人を受け入れ、5件の事業を実施した。", "projects", "5件"),
    ("How many households were surveyed?", "世帯 調査", "調査員12人が、58世帯を調査した。", "households", "58世帯"),
])
def test_a_count_answers_only_in_a_counter_of_what_is_counted(question, ja, text, unit, value):
    q = read_question(question).with_japanese(ja)
    assert q.unit == unit
    assert values(ranked(q, [passage(text)]), "quantity") == [value]


def test_organisation_from_a_host_field():
    p = passage("Date: 5 November 2019\nVenue: Ostrava City Hall, Main Hall\nOrganizer: Ministry of Environment of Freedonia")
    c = best("Who is the organizer?", [p], "org")
    assert (c.value, c.label) == ("Ministry of Environment of Freedonia", "Organizer")


def test_the_doers_of_the_asked_event():
    p = passage("記念式典はブルノで開催された。\nフリードニア環境省とオストラバ市が共同事業を立ち上げた。")
    c = best("共同事業を立ち上げたのはどこですか？", [p], "org")
    assert c.value == "フリードニア環境省とオストラバ市"


# --- quantities -----------------------------------------------------------------------------------

FIGURES_JA = passage("オストラバの人口は約29万人である。\nオストラバ市は2019年に廃棄物1,200トンをリサイクルした。\n"
                     "セミナーには45人が参加した。")
FIGURES_EN = passage("Ostrava has a population of about 290,000 people.\nIn 2019 the city recycled 1,200 tonnes of waste.\n"
                     "45 people attended the seminar.")


@pytest.mark.parametrize(("question", "value", "unit"), [
    ("オストラバの人口は何人ですか？", "約29万人", "人"),
    ("セミナーには何人が参加しましたか？", "45人", "人"),
])
def test_japanese_quantity_with_its_unit(question, value, unit):
    c = best(question, [FIGURES_JA], "quantity")
    assert (c.value, c.role) == (value, unit)


@pytest.mark.parametrize(("question", "value", "unit"), [
    ("What is the population of Ostrava?", "about 290,000 people", "people"),
    ("How many tonnes of waste did Ostrava recycle?", "1,200 tonnes", "tonnes"),
    ("How many people attended the seminar?", "45 people", "people"),
])
def test_english_quantity_with_its_unit(question, value, unit):
    c = best(question, [FIGURES_EN], "quantity")
    assert (c.value, c.role) == (value, unit)


def test_a_quantity_in_another_unit_does_not_answer():
    # "how many tonnes": the numbers of people are no answer at all, not just worse ones.
    assert values(ranked("How many tonnes of waste did Ostrava recycle?", [FIGURES_EN]), "quantity") == ["1,200 tonnes"]


def test_a_number_near_none_of_the_asked_words_is_dropped():
    p = passage("Ostrava has a population of about 290,000 people.\nThe budget was 3 million euros.")
    assert values(ranked("What is the population of Ostrava?", [p]), "quantity") == ["about 290,000 people"]


def test_meeting_numbers_are_not_quantities():
    q = read_question("How many people attended?")
    assert values(extract(q, [passage("第3回会合には45人が参加した。")], {}), "quantity") == ["45人"]


# --- labelled fields and phone numbers ------------------------------------------------------------

NOTICE = passage("1. 日 時 令和元年11月5日（火）午後2時～午後4時\n2. 会 場 オストラバ市庁舎 大会議室\n"
                 "3. 言 語 日本語・チェコ語（同時通訳あり）\n電 話：03-1234-5678　ファックス：03-1234-9999")


def test_the_value_under_the_label_the_question_names():
    c = ranked("セミナーの言語は何ですか？", [NOTICE])[0]
    assert (c.kind, c.value, c.label) == ("field", "日本語・チェコ語(同時通訳あり)", "言語")


def test_phone_number_under_its_label_beats_the_fax_number():
    c = ranked("問い合わせ先の電話番号は何ですか？", [NOTICE])[0]
    assert (c.kind, c.value, c.label) == ("field", "03-1234-5678", "電話")
    phones = values(ranked("問い合わせ先の電話番号は何ですか？", [NOTICE]), "phone")
    assert sorted(phones) == ["03-1234-5678", "03-1234-9999"]


def test_english_phone_question_reads_the_japanese_label_through_its_rendering():
    q = read_question("What is the telephone number for inquiries?").with_japanese("問い合わせ先の電話番号は何ですか？")
    c = ranked(q, [NOTICE])[0]
    assert (c.value, c.label) == ("03-1234-5678", "電話")


def test_no_phone_numbers_unless_asked():
    assert values(ranked("セミナーの会場はどこですか？", [NOTICE]), "phone") == []


# --- spans, sentences and weights -----------------------------------------------------------------

def test_offsets_are_document_offsets_and_contexts_are_whole_sentences():
    doc = "前置き。\n" + SIGNED_JA.text
    p = passage(SIGNED_JA.text, start=doc.index("フリードニア"))
    c = best("記念式典はいつ開催されましたか？", [p], "date")
    assert doc[c.start:c.end] == "2020年3月2日"
    assert doc[c.ctx_start:c.ctx_end] == c.context == "翌年の2020年3月2日には記念式典が開催された。"


def test_every_sentence_is_a_candidate_for_any_question():
    sents = values(extract(read_question("なぜ延期されたのですか？"), [SIGNED_JA], {}), "sentence")
    assert sents == ["フリードニアとの覚書は2019年5月14日、オストラバで締結された。", "翌年の2020年3月2日には記念式典が開催された。"]


def test_only_the_asked_kinds_are_extracted():
    kinds = {c.kind for c in extract(read_question("記念式典はいつ開催されましたか？"), [SIGNED_JA], {})}
    assert kinds == {"date", "sentence"}


def test_rare_question_words_weigh_most():
    p = passage("The seminar on noise was held in Brno.\nThe seminar on forests was held in Olomouc.")
    q = "Where was the seminar on noise and forests held?"
    assert best(q, [p], "place", weight=lambda t: 3.0 if t == "forests" else 1.0).value == "Olomouc"
    assert best(q, [p], "place", weight=lambda t: 3.0 if t == "noise" else 1.0).value == "Brno"
    assert rarity(0) == 1.0 and rarity(1) > rarity(10) > rarity(1000) > 0


def test_scores_are_sorted_best_first():
    cands = ranked("When was the ceremony held?", [SIGNED_EN])
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)


def test_a_sentence_the_pages_cut_stopped_half_way_is_no_candidate():
    doc = ("第4回ゼンブラ湖沼フォーラムは、2020年12月にオンラインで開催された。"
           "水質分野では、流域の監視に関する共同調査を行うことで合")
    q = read_question("第4回ゼンブラ湖沼フォーラムでは、水質分野について何に合意しましたか。")
    sentences = [c.value for c in extract(q, [passage(doc, "D")], {"D": doc}) if c.kind == "sentence"]
    assert sentences and not any("共同調査" in s for s in sentences)
    whole = doc + "意した。"
    sentences = [c.value for c in extract(q, [passage(whole, "D")], {"D": whole}) if c.kind == "sentence"]
    assert any("共同調査" in s for s in sentences)


def test_the_pages_own_date_is_no_event_date():
    doc = ("ペルー・アレキパ市との都市間連携\n印刷用ページを表示する　掲載日：2024年4月1日更新\n"
           "北浦市とアレキパ市は、2024年1月に環境協力覚書を更新しました。")
    q = read_question("北浦市とアレキパ市の環境協力覚書はいつ更新されましたか。")
    dates = [c.value for c in extract(q, [passage(doc, "D")], {"D": doc}) if c.kind == "date"]
    assert dates == ["2024年1月"]
    en = "Last updated: 12 March 2024\nThe memorandum was renewed in January 2024."
    q = read_question("When was the memorandum renewed?")
    assert [c.value for c in extract(q, [passage(en, "E")], {"E": en}) if c.kind == "date"] == ["January 2024"]


def test_people_in_a_block_under_a_label_naming_their_part_carry_the_label():
    doc = ("Results of the 3rd Japan-Peru Environmental Policy Dialogue\n\n■ Co-chairs\n\n"
           "(Japan) Mr. TANAKA Ichiro, Director-General for Global Environment, MOE\n"
           "(Peru) Ms. ROJAS Isabel, Vice Minister of Environmental Management, MINAM\n\n"
           "About 40 people took part.\n")
    q = read_question("Who co-chaired the 3rd Japan-Peru dialogue for Peru?")
    people = {c.value: c.label for c in extract(q, [passage(doc, "P")], {"P": doc}) if c.kind == "person"}
    assert people.get("ROJAS Isabel") == "Co-chairs" and people.get("TANAKA Ichiro") == "Co-chairs"


def test_an_office_ending_a_sentence_titles_nobody_after_it():
    p = passage("Mr. Jan Dvorak, Deputy Mayor of Ostrava, served as co-chair. Dr. Eva Novak, Researcher, served as "
                "rapporteur.")
    people = values(ranked("Who was the rapporteur?", [p]), "person")
    assert "Dr" not in people and "Eva Novak" in people


def test_a_heading_over_a_table_gives_no_field_value():
    # The first line under "研修員の受入れ" names the table's columns: it answers nothing.
    p = passage("■研修員の受入れ・専門家の派遣\n年度　来県研修員　オンライン研修参加者　専門家派遣\n"
                "令和元年度（2019年度）　8名　－　－\n令和2年度（2020年度）　0名　12名　－\n")
    q = read_question("ゼンダ州から来た研修員の受入れが一番多かったのはどの年度？")
    assert not [c for c in extract(q, [p], {}) if c.kind == "field"]
    p = passage("セミナー概要\n言語：英語（日本語通訳あり）\n")
    assert [c.value for c in extract(read_question("セミナーの言語は何ですか？"), [p], {}) if c.kind == "field"]


@pytest.mark.parametrize(("tail", "title"), [
    (" 地球環境局審議官、タレク・オマル 環境省次官補。海洋ごみについて議論した。", "地球環境局審議官"),
    (" 環境大臣（当時）\u3000参加国：5か国", "環境大臣（当時）"),
    (", Minister of Environment, Kenya. The meeting agreed", "Minister of Environment, Kenya."),
])
def test_a_listed_persons_title_ends_at_the_lists_mark(tail, title):
    # Regression: "森 早苗 地球環境局審議官、タレク・オマル 環境省次官補。…" gave 森 the partner's title and the
    # rest of the row as her own (shown in answers, and read for her side).
    from rag.values.candidates import _own_sentence

    assert _own_sentence(tail) == title

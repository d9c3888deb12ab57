"""Values in prose bound to what was asked: the event's own verb (returned, not departed), the next meeting
apart from the reported one, a plan apart from what happened, the day when the day is asked, and a count of one
way of taking part (online, in person) apart from the whole (invented pages)."""

from __future__ import annotations

import dataclasses

import pytest

from rag.read.question import read_question
from rag.read.relations import relations_in
from tests.bound import ask, bound, of


def _bound(question, text: str, kind: str, sections: dict[str, str] | None = None) -> list[str]:
    return list(dict.fromkeys(c.value for c in bound(question, text, sections=sections) if c.kind == kind and c.bound))


_TRIP = ("ヴァルナ環境大臣は、2025年8月1日（金）に日本を出発してゼンビア共和国を訪問し、"
         "8月7日（木）に帰国しました。8月3日（日）、ゼンダにおいて協力覚書に署名しました。")


@pytest.mark.parametrize(("question", "date"), [
    ("When did the minister get back to Japan?", "8月7日(木)"),
    ("大臣が日本を出発したのはいつですか。", "2025年8月1日(金)"),
    ("大臣が覚書にサインしたのは何日？", "8月3日(日)"),
])
def test_a_trip_date_is_the_one_its_own_verb_states(question, date):
    assert _bound(question, _TRIP, "date") == [date]


def test_new_event_words_are_relations():
    assert "sign" in relations_in("覚書にサインした")
    assert "renew" in relations_in("期間を延ばすことが決まった")
    assert "register" in relations_in("The project was registered under the scheme.")
    assert "contribute" in relations_in("How much did the city chip in?")
    assert "adopt" in relations_in("When was the project selected?") & relations_in("令和元年度に採択された事業")


_FORUM = ("第2回ゼンビア環境フォーラムは、2025年5月にゼンダで開催されました。"
          "同フォーラムの次回会合は、2027年にヴァルナで開催される予定です。")


def test_the_next_meeting_is_answered_only_from_a_clause_telling_of_it():
    assert _bound("Where is the Zembia environment forum meeting next time?", _FORUM, "place") == ["ヴァルナ"]
    assert _bound("ゼンビア環境フォーラムはどこで開催されましたか。", _FORUM, "place") == ["ゼンダ"]


def test_a_paragraph_led_by_next_meeting_tells_of_the_next_meeting():
    text = ("7. Outcome. The forum was held in Zenda.\n"
            "8. Next meeting. The participants welcomed the offer of Japan to host the 6th Forum (ZEF6) in Tokyo in 2026.")
    found = _bound("Where's the next Zembia environment forum going to be?", text, "place")
    assert "Tokyo" in found and "Zenda" not in found and "ZEF" not in found  # (an acronym is no place)


def test_a_day_asked_is_not_answered_by_a_year():
    assert not _bound("第5回ゼンビア環境政策対話は何月何日に開かれる？",
                      "第5回ゼンビア環境政策対話は、2026年に東京で開催する予定です。", "date")
    text = "The 5th Japan-Zembia dialogue will be held in Tokyo in 2026."
    assert not _bound("On which day will the 5th Japan-Zembia dialogue be held?", text, "date")
    assert _bound("When will the 5th Japan-Zembia dialogue be held?", text, "date") == ["2026"]


def test_a_plan_does_not_answer_when_something_happened():
    text = "Zenda will start the separate collection of organic waste in April 2027."
    assert not _bound("When did Zenda start collecting organic waste separately?", text, "date")
    assert _bound("When will Zenda start collecting organic waste separately?", text, "date") == ["April 2027"]


_PARTICIPANTS = "対話はハイブリッド形式で行われ、両国から約60名（うちオンライン参加約25名）が参加しました。"


def test_a_count_of_one_way_of_taking_part_answers_only_that_way():
    online = ask("How many people joined the dialogue online?", "対話にオンラインで参加したのは何人？")
    assert _bound(online, _PARTICIPANTS, "quantity") == ["約25名"]
    assert _bound("対話には何人が参加しましたか。", _PARTICIPANTS, "quantity") == ["約60名"]
    text = "In total, 120 people took part: 45 people in person and 75 people online."
    assert _bound("How many people attended in person?", text, "quantity") == ["45 people"]


@pytest.mark.parametrize(("question", "count"), [
    ("How many of the people at the workshop were from Zembia?", False),
    ("How many countries attended the 3rd forum?", False),
    ("How many sessions did the workshop have?", True),
    ("How many times has the forum met?", True),
])
def test_a_count_of_people_at_a_meeting_is_no_count_of_meetings(question, count):
    assert read_question(question).count is count


@pytest.mark.parametrize(("question", "asks"), [
    ("What date is on the press release about the trip?", True),
    ("When did the minister return from the trip?", False),
])
def test_the_date_on_a_release_is_its_issue(question, asks):
    assert read_question(question).asks_published is asks


def test_a_way_a_count_takes_in_or_leaves_out_is_not_the_way_asked():
    text = "研修員の累計は、来日研修が80人、オンライン受講者を含めると115人です。"
    assert _bound("オンライン受講者を含めた研修員の累計は何人ですか。", text, "quantity") == ["115人"]
    assert _bound("来日した研修員の累計は何人ですか。", text, "quantity") == ["80人"]


def test_a_country_before_an_office_is_no_persons_name():
    text = "（1）チリ環境大臣との会談\n8月25日、ゼンダにおいて、ルイス・キスペ環境大臣と会談しました。"
    people = [c.value for c in bound("チリの環境大臣と会談したのはいつ、誰とですか", text) if c.kind == "person"]
    assert "チリ" not in people and "ルイス・キスペ" in people, people


def test_from_a_party_is_no_start_but_from_a_time_is():
    assert "start" not in relations_in("本市からは副市長が出席しました。")
    assert "start" in relations_in("本事業は2019年（令和元年）10月から始まった。")
    text = ("本事業は令和元年（2019年）10月に開始しました。令和6年11月20日には完了式典が行われ、"
            "本市からは副市長が出席しました。")
    assert _bound("ゼンダ市との事業はいつ始まりましたか。", text, "date") == ["令和元年(2019年)10月"]


def test_when_a_meeting_was_with_no_verb_asks_when_it_was_held():
    assert read_question("第3回ワークショップって何日にあった？").relations == frozenset({"hold"})
    text = ("The 3rd Zenda–Valna Workshop was held on October 15, 2025, in Valna. The two cities' partnership "
            "agreement was signed on November 9, 2021.")
    assert _bound("第3回ワークショップって何日にあった？", text, "date") == ["October 15, 2025"]


def test_bare_numbers_in_a_sentence_about_people_count_people():
    text = ("The 2nd Zenda–Valna Workshop was held in Valna. In total, 130 people took part: 50 in person and 80 "
            "online. Of the in-person participants, 12 came from Japan and 38 from Valna.")
    assert _bound("How many people joined the 2nd Zenda–Valna Workshop online?", text, "quantity") == ["80"]
    assert _bound("How many people took part in the 2nd Zenda–Valna Workshop in person?", text, "quantity") == ["50"]


def test_a_countrys_part_of_a_count_answers_a_question_naming_that_country():
    text = ("The 2nd Zenda–Valna Workshop was held in Valna. In total, 130 people took part: 50 in person and 80 "
            "online. Of the in-person participants, 12 came from Japan and 38 from Chile.")
    assert _bound("How many participants of the 2nd Zenda–Valna Workshop came from Chile?", text, "quantity") == ["38"]


def test_a_way_of_coming_does_not_restrict_a_count_of_countries():
    text = "令和5年度に受け入れた研修員は、12か国の計120人です。研修はすべて来日して行われました。"
    assert "12か国" in _bound("令和5年度の来日研修員は何か国から来ましたか。", text, "quantity")


def test_the_next_meeting_told_under_a_next_heading():
    text = "第5回ゼンビア環境政策対話は、2026年に東京で開催する予定です。"
    q = read_question("Where's the next Japan-Zembia policy dialogue going to be held?").with_japanese(
        "次回の日本・ゼンビア環境政策対話はどこで開催されますか")
    cands = bound(q, {"d": text}, sections={"d": "3．次回の開催"})
    assert {c.value for c in cands if c.kind == "place" and c.bound} == {"東京"}


def test_an_amount_from_a_source_is_no_part_of_a_count_of_people():
    text = "In 2024 the Zenda plant received 1,200 tonnes from Valna City."
    assert _bound("How many tonnes of waste did the Zenda plant receive in 2024?", text, "quantity") == ["1,200 tonnes"]


def test_a_plan_in_any_of_its_words_does_not_answer_when_something_happened():
    # "見込み", "going to": still to come, read from one list (ingest/data/tense.json), by questions and clauses alike.
    text = "ゼンダ市の新処理施設は、2027年4月に稼働を開始する見込みです。"
    assert not _bound("ゼンダ市の新処理施設はいつ稼働を開始しましたか。", text, "date")
    assert _bound("ゼンダ市の新処理施設はいつ稼働を開始する見込みですか。", text, "date") == ["2027年4月"]
    assert read_question("When is the plant going to start operating?").asks_future


@pytest.mark.parametrize(("question", "modes"), [
    ("How many people joined the dialogue online?", {"online"}),
    ("オンラインで参加したのは何人？", {"online"}),
    ("オンライン参加者を含めた参加者は何人？", set()),
    ("オンラインは数えないで、何人が参加した？", set()),
    ("Excluding online participants, how many attended?", set()),
    ("How many attended, not counting the online ones?", set()),
])
def test_a_way_the_question_takes_in_or_leaves_out_is_not_the_way_asked(question, modes):
    from ingest.names import equivalence

    assert read_question(question).modes == {equivalence(m) for m in modes}


@pytest.mark.parametrize("question", ["第2回セッションはいつ？", "記念式典はどこであった？", "When was the 2nd session?"])
def test_a_kind_of_event_asked_when_or_where_asks_when_or_where_it_was_held(question):
    # The kinds of event are data (ingest/data/names.json series_kinds), read by one function.
    assert "hold" in read_question(question).relations


def test_a_count_asked_without_a_way_is_neither_the_whole_nor_that_way():
    # 約60名 takes in the online 約25名; the in-person count is not stated.
    assert not _bound("オンラインは数えないで、対話には何人が参加しましたか。", _PARTICIPANTS, "quantity")
    assert not _bound("Excluding those online, how many people took part?", _PARTICIPANTS, "quantity")
    text = "In total, 120 people took part: 45 people in person and 75 people online."
    assert _bound("Not counting online participants, how many people took part?", text, "quantity") == ["45 people"]
    assert _bound("オンラインを含めて、参加者は何人？", _PARTICIPANTS, "quantity") == ["約60名"]


def test_a_count_of_people_is_the_side_it_came_from():
    text = "これまでに、ゼンダ市から延べ64人、ヴァルナ市から延べ12人の研修員を受け入れました。"
    assert _bound("ゼンダ市からの研修員は延べ何人？", text, "quantity") == ["64人"]
    assert _bound("ヴァルナ市からの研修員は延べ何人？", text, "quantity") == ["12人"]
    assert not _bound("研修員は延べ何人受け入れた？", text, "quantity")  # each is one city's part


def test_an_amount_set_for_one_aim_year_answers_no_other():
    text = ("ゼンビア政府は、2030年までに埋立量を2020年比で25％削減することを目指しており、"
            "2040年に向けた新たな目標を策定中である。")
    assert not _bound("ゼンビアは2040年までに埋立量を何％減らす？", text, "quantity")
    assert _bound("ゼンビアは2030年までに埋立量を何％減らす？", text, "quantity") == ["25%"]
    en = "Zembia aims to cut landfilled waste by 25% by 2030 and by 40% by 2040."
    assert _bound("By how much does Zembia aim to cut landfilled waste by 2040?", en, "quantity") == ["40%"]


def test_a_pages_title_line_answers_no_what_question():
    title = "ヴァルナ環境大臣とゼンビア環境相との会談及び第2回日・ゼンビア環境政策対話の結果について"
    text = (f"{title}\n１．第2回日・ゼンビア環境政策対話\n"
            "第2回日・ゼンビア環境政策対話では、次回の対話を2027年にゼンダで開催することで一致しました。")
    cands = [c for c in bound("第2回日・ゼンビア環境政策対話で、次の対話についてはどう決まった？", text, titles={"d": title})
             if c.kind == "sentence" and c.bound]
    assert cands and all(title not in c.value and "１．" not in c.value for c in cands)


def test_a_company_name_may_start_in_hiragana_where_its_cell_starts():
    text = "採択年度 | 事業名 | 代表事業者\n令和元年度 | 屋根置き太陽光発電の導入 | みなかぜエナジー株式会社\n"
    orgs = [c.value for c in bound("Which company runs the rooftop solar project?", text) if c.kind == "org"]
    assert "みなかぜエナジー株式会社" in orgs and "エナジー株式会社" not in orgs


def test_the_end_of_a_span_is_not_when_it_started():
    text = "2015年、ゼンダ市ごみ収集改善プロジェクトを開始（2018年3月まで、事業費約9,000万円）。"
    assert _bound("ゼンダ市ごみ収集改善プロジェクトが始まったのはいつ？", text, "date") == ["2015年"]
    assert _bound("ゼンダ市ごみ収集改善プロジェクトはいつまで？", text, "date") == ["2018年3月"]


def test_a_count_at_a_meeting_held_one_way_is_a_count_of_that_way():
    text = "令和2年（2020年）\n・11月、オンラインで第1回技術ワークショップを開催（参加者約40名）\n"
    assert _bound("令和2年のオンラインワークショップには何人くらい参加した？", text, "quantity") == ["約40名"]


def test_an_aim_to_start_by_a_year_is_no_end_and_a_receiver_is_no_origin():
    text = "ゼンダ市の新施設は、2030年までの稼働開始を目指しています。"
    assert _bound("ゼンダ市の新施設は、何年までの稼働開始を目指していますか。", text, "date") == ["2030年"]
    people = "ヴァルナ市は、これまでにゼンダ市から延べ21人の研修員を受け入れました。"
    assert _bound("ヴァルナ市が受け入れた研修員は延べ何人？", people, "quantity") == ["21人"]


def test_a_count_at_a_meeting_held_several_ways_is_no_count_of_one():
    text = ("今回の対話は、ゼンダ市を会場に、対面とオンラインを組み合わせたハイブリッド形式で行われ、"
            "約60名（うちオンライン参加約25名）が参加しました。")
    online = ask("Roughly how many people joined the dialogue online?", "対話にオンラインで参加したのは何人？")
    assert _bound(online, text, "quantity") == ["約25名"]


def test_a_bodys_acronym_is_a_doer_a_series_code_is_no_place():
    text = "本プログラムは、環境省と JICA が令和5年2月に立ち上げたイニシアチブです。"
    found = [c.value for c in bound("本プログラムを立ち上げたのはどこですか？", text) if c.bound and c.kind in ("org", "place")]
    assert "JICA" in found


def test_each_city_of_a_dashed_pair_is_a_subject_the_page_must_name():
    from rag.find.evidence import subjects

    q = read_question("When did the Yokohama–Bangkok city partnership get extended?")
    assert {"Yokohama", "Bangkok"} <= set(subjects(q, []))
    # A name the gazetteer does not know is not required: its page may write it in kanji ("Zenda" as 善田).
    assert "Zenda" not in subjects(read_question("When was the Zenda–Bangkok memorandum renewed?"), [])
    assert "Japan" not in subjects(read_question("When was the Japan–Zembia memorandum renewed?"), [])


def test_a_value_under_another_countrys_section_is_not_the_asked_countrys():
    text = ("8月25日（月）、リマのペルー環境省において環境大臣と会談し、新たな協力覚書に署名しました。"
            "大臣は28日にコロンビア共和国へ移動しました。")  # the page names Colombia too
    peru = {"d": "1．ペルー共和国（8月25日～27日） / （1）環境大臣との会談及び協力覚書への署名"}
    assert "リマ" not in _bound("Where did the minister sign the memorandum with Colombia?", text, "place", peru)
    assert "リマ" in _bound("Where did the minister sign the memorandum with Peru?", text, "place", peru)


def test_the_office_asked_is_the_one_after_who_is_the():
    text = "Mr. LI Wen, Vice Minister of Ecology and Environment of China, attended on behalf of the Minister."
    q = "Who is the Chinese Minister of Ecology and Environment on whose behalf the Vice Minister attended?"
    assert read_question(q).roles == {"minister"}
    assert not _bound(q, text, "person")
    assert _bound("Who was the Chinese Vice Minister who attended?", text, "person")


_RELEASE = ("報道発表資料\n令和7年2月18日\n"
            "　本日、第2回日本・ゼンビア環境政策対話を東京で開催しました。\n"
            "　同日午後、両国の大臣が会談しました。\n"
            "　前日17日には、第5回日本・ゼンビア合同委員会が東京都内で開催されました。\n"
            "　翌19日には、ゼンビアの大臣がヴァルナ市を訪問する予定です。\n")


def test_days_a_release_tells_relative_to_its_own_date():
    from ingest.dates import page_date, relative_dates

    days = [(d.text, (d.year, d.month, d.day)) for d in relative_dates(_RELEASE, page_date(_RELEASE))]
    assert days == [("本日", (2025, 2, 18)), ("同日", (2025, 2, 18)), ("前日17日", (2025, 2, 17)),
                    ("翌19日", (2025, 2, 19))]
    dates = [c for c in bound("When was the 5th Japan-Zembia joint committee held?", _RELEASE)
             if c.kind == "date" and c.bound]
    assert [(c.value, c.date.day) for c in dates][:1] == [("前日17日", 17)]


def test_a_span_up_to_a_years_end_is_no_aim():
    text = "平成26年度から令和6年度末までに、ゼンダ市から延べ72人の研修員を受け入れました。"
    dates = [c for c in bound("When did Varna start receiving trainees from Zenda?", text) if c.kind == "date"]
    assert dates and "not-an-event" not in dates[0].missing


def test_a_fiscal_year_asked_is_not_answered_by_another_events_day():
    text = "2月17日には合同委員会で新たな方法論3件が採択されました。令和元年度に採択された太陽光発電事業は稼働中です。"
    found = _bound("In which fiscal year was the solar project selected?", text, "date")
    assert "2月17日" not in found and "令和元年度" in found


def test_a_venue_is_the_city_its_sentence_names_within_the_host_country():
    from rag.answer.facts import _most_precise

    text = "8. Next meeting. The participants welcomed the offer of Japan to host the 6th Forum (ZEF6) in Tokyo in 2026."
    cands = [c for c in bound("Where's the next Zembia environment forum going to be?", text)
             if c.kind == "place" and c.bound]
    assert _most_precise(cands).value == "Tokyo"


def test_a_count_does_not_take_the_verb_of_the_count_before_it():
    text = ("事業期間中、本市の職員を延べ34人ゼンダ市に派遣し、同市の職員を延べ21人、研修員として本市に受け入れました。")
    assert _bound("ゼンダ市から受け入れた研修員は延べ何人？", text, "quantity") == ["21人"]


_STATUS = ("令和2年2月14日、ゼンダ市役所において両市長が環境協力に関する覚書に署名しました。覚書の有効期間は5年間です。"
           "現在、両市は覚書の更新に向けて協議を進めています（令和7年1月現在）。")


def test_a_date_a_state_is_told_at_answers_no_when():
    # "（令和7年1月現在）" says when the talks were under way, not when anything was renewed or signed.
    assert not _bound("When did the two cities renew their memorandum?", _STATUS, "date")
    assert not _bound("両市が覚書を更新したのはいつ？", _STATUS, "date")
    assert _bound("両市が覚書に署名したのはいつ？", _STATUS, "date") == ["令和2年2月14日"]
    text = "As of March 2025, the working group had met twice. The group was set up in May 2024."
    assert _bound("When was the working group set up?", text, "date") == ["May 2024"]


_REPORT_7 = ("The 7th Japan–Zembia Environmental Policy Dialogue was held in Zenda on October 22, 2024.\n"
             "Both sides agreed that the 8th dialogue will be held in Varna in 2026.")


def test_the_meeting_after_the_reported_one_is_the_next_though_no_word_says_next():
    from tests.bound import bound

    q = "Where will the next Japan–Zembia dialogue be held?"
    found = [c.value for c in bound(q, _REPORT_7, meetings={"d": 7}) if c.kind == "place" and c.bound]
    assert "Varna" in found and "Zenda" not in found
    assert read_question("次の日ゼ政策対話はどこでやる予定？").asks_next
    assert read_question("次回の対話はいつ？").asks_next
    assert not read_question("次の世代の環境教育はどこで行われた？").asks_next


_MINISTERS_6 = ("The 6th Zembia Ministers' Meeting was held in Zenda on 12 September 2024.\n"
                "A Youth Environment Forum was held on 11 September 2024, the day before the Meeting.")


def test_a_side_event_of_a_named_meeting_is_dated_by_its_own_clause():
    from tests.bound import bound

    def dates(question):
        return [c.value for c in bound(question, _MINISTERS_6, meetings={"d": 6}, series=["ゼンビア閣僚会合"])
                if c.kind == "date" and c.bound]

    assert dates("第6回ゼンビア閣僚会合のユースフォーラムはいつ開催された？") == ["11 September 2024"]
    assert "12 September 2024" in dates("When was the 6th Zembia Ministers' Meeting held?")


def test_yesterday_and_tomorrow_with_their_day_are_days_of_the_release_too():
    from ingest.dates import page_date, relative_dates

    text = ("報道発表資料\n令和7年5月21日\n"
            "　昨日20日に東京において第7回日本・ゼンビア環境政策対話を開催し、本日、両国の大臣が会談しました。"
            "明日22日には、大臣がヴァルナ市を訪問します。\n")
    days = [(d.text, (d.year, d.month, d.day)) for d in relative_dates(text, page_date(text))]
    assert days == [("昨日20日", (2025, 5, 20)), ("本日", (2025, 5, 21)), ("明日22日", (2025, 5, 22))]
    dates = [c for c in bound("第7回日本・ゼンビア環境政策対話は何日に開催された？", text) if c.kind == "date" and c.bound]
    assert [(c.value, c.date.day) for c in dates][:1] == [("昨日20日", 20)]


def test_the_days_before_and_after_are_told_from_the_event_not_the_release():
    # A release of the 16th tells a meeting on the 14th, then "前日13日" and "翌15日": the 15th is no next month's.
    from ingest.dates import page_date, relative_dates

    text = ("報道発表資料\n令和7年10月16日\n"
            "　令和7年10月14日（火）、ゼンビアにおいて第8回日本・ゼンビア環境政策対話を開催しました。\n"
            "　前日13日、審議官は大臣を表敬訪問しました。\n"
            "　翌15日には、審議官がヴァルナ市を訪問しました。\n")
    days = [(d.text, (d.year, d.month, d.day)) for d in relative_dates(text, page_date(text))]
    assert days == [("前日13日", (2025, 10, 13)), ("翌15日", (2025, 10, 15))]


_PAST_MEETINGS = ("第4回ゼンビア環境閣僚会合の開催結果について\n\n"
                  "令和6年5月14日、ゼンダにおいて第4回ゼンビア環境閣僚会合が開催され、6か国が参加しました。\n\n"
                  "これまでの開催実績\n\n"
                  "第1回（平成30年6月、東京）\n議長：山辺一郎 環境大臣（当時）　参加国：5か国\n\n"
                  "第2回（令和2年9月、ヘルシンキ（フィンランド））\n議長国：フィンランド　参加国：7か国\n")


def test_a_reports_list_of_past_meetings_is_theirs_not_the_reported_meetings():
    # Regression: on a page reporting the 4th meeting, "参加国：5か国" under the heading "第1回（…）" was bound to
    # the 4th (the page's own meeting decided before the heading line above the value).
    q4 = "第4回ゼンビア環境閣僚会合には何か国が参加しましたか。"
    got = [c.value for c in bound(q4, {"d": _PAST_MEETINGS}, meetings={"d": 4}) if c.kind == "quantity" and c.bound]
    assert got == ["6か国"]
    q1 = "第1回ゼンビア環境閣僚会合には何か国が参加しましたか。"
    got = [c.value for c in bound(q1, {"d": _PAST_MEETINGS}, meetings={"d": 4}) if c.kind == "quantity" and c.bound]
    assert got == ["5か国"]


_ROWS = ("第6回\n2022年11月\nゼンダ\n共同議長：ラウル・メンデス 環境省次官、川辺 直樹 地球環境審議官。廃棄物管理について議論した。\n\n"
         "第7回\n2024年6月\n東京\n共同議長：森 早苗 地球環境局審議官、タレク・オマル 環境省次官補。海洋ごみについて議論した。\n")


def test_a_name_in_kanji_on_a_page_about_japan_and_a_country_writing_names_otherwise_is_japans():
    # Regression: "Japan's co-chair at the 7th" found no co-chair of Japan's side: a katakana name there was the
    # partner's, but a kanji name with a title naming no country was nobody's.
    q = ask("Who co-chaired the 7th Japan–Peru dialogue for Japan?", "第7回 日本 ペルー 対話 日本側 共同議長")
    cands = bound(q, {"d": _ROWS}, titles={"d": "日・ペルー環境政策対話"})
    people = [c.value for c in cands if c.kind == "person" and c.bound]
    assert people[:1] == ["森 早苗"] and "タレク・オマル" not in people
    # On a page about Japan and China a kanji name is no one's side by its script alone.
    cands = bound(q, {"d": _ROWS}, titles={"d": "日・中国環境政策対話"})
    assert "森 早苗" not in [c.value for c in cands if c.kind == "person" and c.bound and not c.missing]


@pytest.mark.parametrize(("question", "person"), [
    ("Who chaired the 3rd ZMM?", "Lena OKAFOR"),
    ("Who co-chaired the 3rd ZMM?", "HARADA Ken"),
])
def test_stacked_honorifics_title_the_name_after_them(question, person):
    # Regression: "H.E. Dr. Lena OKAFOR" gave a person "Dr", "H.E. Mr. HARADA Ken" a person "Mr".
    text = ("The 3rd ZMM was held in Lagos on 4 May 2023. The meeting was chaired by H.E. Dr. Lena OKAFOR, Minister of "
            "Environment of Nigeria. H.E. Mr. HARADA Ken, State Minister of the Environment of Japan, served as co-chair.")
    cands = bound(question, {"d": text}, titles={"d": "Chair's Summary of the 3rd ZMM"}, meetings={"d": 3})
    assert not {"Dr", "Mr"} & {c.value for c in cands if c.kind == "person"}
    assert [c.value for c in cands if c.kind == "person" and c.bound][:1] == [person]


def test_both_sides_representatives_are_no_one_of_japans_side():
    # Regression: "両国の代表" read as a person "両国" was taken as Japan's by its script (a kanji name).
    q = ask("who signed the 2019 renewal of the japan-peru MoC on the Japanese side?", "2019年 日本 ペルー 覚書 更新 日本側 署名")
    text = "第4回\n令和元年11月\n東京 両国の代表が協力覚書の更新に署名した。\n\n協力覚書の更新に署名する両国代表\n"
    both = [c for c in bound(q, {"d": text}, titles={"d": "日・ペルー環境政策対話"}) if c.kind == "person" and c.value == "両国"]
    assert all("agent:JP" in c.missing for c in both)


def test_a_list_introduced_by_a_sentence_with_a_colon_states_what_each_item_is():
    # Regression: "- Kenya: KES 90 million over 2026–2028;" under "The following contributions were announced:"
    # stated no announcing (only an indented line had a lead: the bullet above it).
    from rag.values.binding import _bullet_lead

    text = ("The 3rd ZMM was held in Lagos on 4 May 2023.\n\nThe following contributions to the Initiative were "
            "announced:\n- Japan: JPY 300 million over FY2026–FY2028;\n- Kenya: KES 90 million over 2026–2028;\n")
    at = text.index("KES 90")
    c = of(bound("How much did Kenya announce?", text), "sentence", "- Kenya: KES 90 million over 2026–2028;")
    c = dataclasses.replace(c, start=at, end=at + 14)
    assert "announced" in _bullet_lead(c, text)
    assert _bullet_lead(dataclasses.replace(c, start=5, end=8), text) == ""  # no bullet, no lead


def test_a_currency_code_is_no_acronym_a_clause_must_name():
    # Regression: "JPY" in a claim was an acronym, so "3億円" (the same yen, written in Japanese) was not its subject.
    from rag.values.binding import Binder

    q = ask("At the 3rd ZMM Japan announced JPY 300 million for the Initiative.", "第3回 ZMM 日本 表明 円")
    assert "JPY" not in Binder(q, {}, {}, {}, (), ()).acronyms


def test_a_two_character_kanji_surname_with_an_office_is_japans_on_a_page_about_japan_and_vietnam():
    # "チャン・ホン・ハー天然資源環境大臣及び山口環境大臣は…署名した": 山口 is Japan's minister, the other Viet Nam's.
    q = ask("Which Japanese minister signed the joint plan at the 7th dialogue?", "第7回 対話 共同計画 署名 日本 大臣")
    text = ("第7回\n2023年11月\nハノイ\nチャン・ホン・ハー天然資源環境大臣及び山口環境大臣は、共同協力計画に合意し、署名した。\n")
    cands = bound(q, {"d": text}, titles={"d": "日・ベトナム環境政策対話"}, meetings={"d": 7})
    assert [c.value for c in cands if c.kind == "person" and c.bound] == ["山口"]


def test_the_day_before_is_told_from_a_day_it_fits():
    # "前日8日" in a release of the 9th: the day before the 9th, not before the last date told ("…3月31日に期限…").
    from ingest.dates import page_date, relative_dates

    text = ("報道発表資料\n令和7年7月9日\n"
            "　現行の覚書は2026年3月31日に期限を迎えるため、新たな覚書に署名しました。\n"
            "　前日8日には、東京において第6回日本・ゼンビア環境政策対話を開催しました。\n")
    days = [(d.text, (d.year, d.month, d.day)) for d in relative_dates(text, page_date(text))]
    assert ("前日8日", (2025, 7, 8)) in days


_MOC = ("2016年3月にゼンダで署名され、2021年3月に5年間延長された現行の覚書は2026年3月31日に期限を迎えるため、"
        "本日署名された新たな覚書は2026年4月1日に発効します。")


@pytest.mark.parametrize(("question", "date"), [
    ("ゼンビアとの覚書はいつ延長された？", "2021年3月"),
    ("When does the new Zembia memorandum kick in?", "2026年4月1日"),
    ("When does the current Zembia memorandum run out?", "2026年3月31日"),
])
def test_each_date_of_a_clause_is_its_own_verbs(question, date):
    assert _bound(question, _MOC, "date")[:1] == [date]


def test_a_when_question_with_a_verb_not_read_is_not_answered_by_another_acts_date():
    # "take root" is no relation Shiori knows: the signing's or the expiry's date is not known to be the one asked.
    assert _bound("When did the Zembia memorandum take root?", _MOC, "date") == []
    # …while a meeting's date still answers "when was …" with no verb of its own.
    held = "第6回日本・ゼンビア環境政策対話は、2025年7月8日に東京で開催されました。"
    assert _bound("When was the 6th Japan-Zembia dialogue?", held, "date") == ["2025年7月8日"]


def test_a_semicolon_ends_the_clause_a_value_takes_its_verb_from():
    text = ("Pledges: Japan, JPY 600 million over FY2026-FY2028; Zembia, ZMK 12 million to set up a training hub in "
            "Zenda, which is to open in 2027; the regional bank, USD 1.5 million.")
    assert _bound("When did the training hub in Zenda open?", text, "date") == []


def test_a_latin_name_given_an_office_after_it_is_a_person():
    text = "The forum in 2019 was attended by Lin Wei, Mayor of Zenda, and by the Zembia Trade Council."
    cands = bound("Who attended the forum in 2019 as mayor?", text)
    assert of(cands, "person", "Lin Wei").role == "Mayor of Zenda"
    assert not [c for c in cands if c.kind == "person" and "Council" in c.value]


def test_what_is_to_happen_does_not_answer_when_it_happened():
    text = "Zembia pledged ZMK 12 million to set up a regional training hub in Zenda, which is to open in 2027."
    assert _bound("When did the regional training hub in Zenda open?", text, "date") == []


def test_a_persons_own_clause_dates_what_they_did():
    # Asked of 2025: the one who signed in 2016 (said in a clause of their own) did not sign then.
    text = ("Report of the 4th Zembla Ministers Meeting (2025)\n"
            "Hon. Kwesi Mensah-Tetteh, who as Minister signed Zembla's first Memorandum of Cooperation with Japan "
            "in March 2016, attended as a special guest.")
    cands = bound("Who signed the new Zembla memorandum in 2025?", text)
    assert "years:2025" in of(cands, "person", "Kwesi Mensah-Tetteh").missing


def test_the_people_before_wa_do_what_the_sentence_ends_with():
    # "AとBは、CとDの立会いのもと、…に署名": A and B signed; C and D witnessed.
    text = ("令和6年5月20日、ゼンダ市の北原一郎市長とヴァルナ市のマリア・ソト市長は、ゼンビア共和国のアナ・ルイス＝ペレス"
            "環境大臣及び南雲健環境大臣政務官の立会いのもと、ゼンダ市役所において覚書に署名しました。")
    signed = [c.value for c in bound("ゼンダ市とヴァルナ市の覚書に署名したのは誰？", text) if c.kind == "person" and c.bound]
    witnessed = [c.value for c in bound("ゼンダ市とヴァルナ市の覚書の署名式、立ち会ったのは誰？", text)
                 if c.kind == "person" and c.bound]
    assert set(signed) == {"北原一郎", "マリア・ソト"}
    assert set(witnessed) == {"アナ・ルイス=ペレス", "南雲健"}  # (values are read NFKC: ＝ is =)


def test_going_to_see_a_place_is_visiting_it():
    # With no verb read, the meeting the day before would stand alone; "go see" is a visit (relations.json).
    text = ("報道発表資料\n令和7年10月16日\n"
            "　令和7年10月14日（火）、ゼンビアにおいて第8回日本・ゼンビア環境政策対話を開催しました。\n"
            "　前日13日、審議官は大臣と会談しました。\n"
            "　翌15日には、審議官がヴァルナ市の処分場を訪問しました。\n")
    dates = [c for c in bound("What day did the councillor go see the landfill in Varna?", text)
             if c.kind == "date" and c.bound]
    assert dates and dates[0].value == "翌15日"


def test_the_city_of_x_a_money_question_names_is_its_payer():
    text = ("令和6年度の本市の関連予算は約600万円でした。このほか、同年度には環境省の都市間連携事業として約3,500万円が"
            "措置されています。ゼンダ市は施設用地を無償で提供しています。")
    q = read_question("How much money did the city of Zenda put into the compost plant?")
    assert q.sides == ("Zenda",) and "contribute" in q.relations
    assert _bound(q.text, text, "quantity") == []


def test_each_subject_of_parallel_ga_clauses_shares_the_next_verb():
    # "日本側からはA局長が、ゼンビア側からはB長官が共同議長を務め、…約60名が参加": A co-chaired (not only attended).
    text = ("日本側からは北原一郎地球環境局長が、ゼンビア側からはマリア・ソト環境庁長官が共同議長を務め、両国政府のほか"
            "関係企業から約60名が参加しました。")
    cands = bound("日本側の共同議長は誰？", text)
    assert of(cands, "person", "北原一郎").bound


def test_a_count_of_them_in_person_counts_the_people_before():
    text = ("The 4th Zembla Ministers Meeting was held in Zenda on 18 November 2025. In all, 142 participants "
            "registered, 98 of them in person and 44 online.")
    assert _bound("How many participants attended the meeting in Zenda in person?", text, "quantity")[:1] == ["98"]

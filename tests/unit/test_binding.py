"""rag.values.binding: a value of the asked type answers only when its clause, label or title states the asked
relation, of the asked party, as asked (issue 17, "right or silent"). Invented pages; each has a value of the
right type that is bound to something else, and the test asserts that one is not an answer."""

from __future__ import annotations

import pytest

from tests.bound import answers, ask, bound, of

FUND = ("日本は、ゼンブラ清浄大気基金に3億円を拠出した。同基金は2050年までに排出ゼロを目指す。"
        "ゼンブラ政府はゼンブラ清浄大気基金に5億円を拠出した。")


def test_a_payers_amount_is_not_another_payers_nor_a_target_year():
    q = ask("How much did Japan contribute to the Zembla Clean Air Fund?", "日本はゼンブラ清浄大気基金にいくら拠出しましたか？")
    assert q.agents == {"JP"} and q.focus == {"contribute"}
    cands = bound(q, FUND)
    assert answers(cands, "quantity") == ["3億円"]
    assert "agent:JP" in of(cands, "quantity", "5億円").missing  # Zembla's amount, not Japan's
    year = of(cands, "quantity", "2050年").missing
    assert "unit:not-a-year" in year and "unit:money" in year  # a year is never an amount of money


GRANTS = ("The Ministry of the Environment will provide JPY 1.2 billion over three years, and the Zemblan side "
          "KZT 850 million.\n"
          "ゼンブラ側は運営費として年間約3億2,000万テンゲを負担する。")


def test_an_amount_is_money_whatever_its_currency_and_wherever_it_is_written():
    # A currency code before the number ("JPY 1.2 billion") or a currency other than yen and dollars ("テンゲ")
    # makes the number an amount, kept with the value; a count of people never is one.
    cands = bound("How much will the Ministry of the Environment provide?", GRANTS)
    assert answers(cands, "quantity")[:1] == ["JPY 1.2 billion"]
    tenge = bound("ゼンブラ側は毎年いくら負担しますか？", GRANTS)
    assert answers(tenge, "quantity")[:1] == ["約3億2,000万テンゲ"]  # (its clause is not cut at "3億2,")


def test_japanese_payer_question_binds_the_same_way():
    cands = bound("日本はゼンブラ清浄大気基金にいくら拠出しましたか？", FUND)
    assert answers(cands, "quantity") == ["3億円"]


def test_the_home_countrys_minister_is_not_the_partners():
    text = "会合には、日本の大森一郎環境大臣とゼンブラ共和国のミハイル・ドロスキー環境大臣が出席した。"
    cands = bound("Who is Japan's environment minister?", text)
    assert answers(cands, "person") == ["大森一郎"]
    assert of(cands, "person", "ミハイル・ドロスキー").missing == ("agent:JP",)


def test_a_minister_of_a_country_named_in_another_script_is_theirs():
    # "the UK's" in the question, 英国 on the page: one country however written.
    text = "会合には、英国のジョン・ハートリー環境大臣、ゼンブラ共和国のミハイル・ドロスキー環境大臣、日本の大森一郎環境大臣が出席した。"
    cands = bound(ask("Who is the UK's environment minister?", "英国の環境大臣は誰ですか？"), text)
    assert answers(cands, "person") == ["ジョン・ハートリー"]


def test_the_chair_is_not_an_attendee_and_an_attendee_is_not_the_chair():
    text = ("第3回ゼンブラ環境会合は2022年5月10日に開催された。"
            "会合では田中花子審議官が議長を務め、佐藤次郎課長、鈴木三郎室長が出席した。")
    chair = bound("Who chaired the meeting?", text)
    assert answers(chair, "person") == ["田中花子"]
    assert "relation:chair" in of(chair, "person", "佐藤次郎").missing
    attended = bound("会合に出席したのは誰ですか？", text)
    assert set(answers(attended, "person")) == {"佐藤次郎", "鈴木三郎"}
    assert "relation:attend" in of(attended, "person", "田中花子").missing


def test_people_listed_before_their_verb_share_it():
    # "A、B、Cが出席した": every listed person attended, not only the one next to the verb.
    text = "会合には、英国のジョン・ハートリー環境大臣、ゼンブラ共和国のミハイル・ドロスキー環境大臣、日本の大森一郎環境大臣が出席した。"
    cands = bound(ask("Which British minister attended?", "どの英国の大臣が出席しましたか？"), text)
    assert answers(cands, "person") == ["ジョン・ハートリー"]
    assert of(cands, "person", "大森一郎").missing == ("agent:GB",)


def test_people_listed_after_an_english_verb_share_it():
    text = ("The meeting was attended by Minister Anna Korvel of Zembla, Director Piet Hallam of Valdoria "
            "and Mayor Lars Brodin of Zembla.")
    assert set(answers(bound("Who attended the meeting?", text), "person")) == {"Anna Korvel", "Piet Hallam", "Lars Brodin"}


def test_a_listed_person_does_not_take_the_verb_of_a_person_before_the_list():
    text = "会合では田中花子審議官が議長を務め、佐藤次郎課長、鈴木三郎室長が出席した。"
    assert "role:chair" in of(bound("会合の議長は誰ですか？", text), "person", "佐藤次郎").missing


def test_the_total_is_not_a_count_nor_one_projects_amount():
    text = "本基金は8件の事業を支援した。各事業の予算は2,000万円である。事業の予算の合計は1億6,000万円であった。"
    cands = bound("8件の事業の予算の合計はいくらですか？", text)
    assert cands and answers(cands, "quantity") == ["1億6,000万円"]
    assert {"unit:money", "total"} <= set(of(cands, "quantity", "8件").missing)
    assert of(cands, "quantity", "2,000万円").missing == ("total",)


def test_the_total_in_english():
    text = ("The fund supported 8 projects. The budget of each project was 20 million yen. "
            "The total budget of the projects was 160 million yen.")
    cands = bound("What was the total budget of the 8 projects?", text)
    assert answers(cands, "quantity") == ["160 million"]
    assert "total" in of(cands, "quantity", "20 million").missing
    assert "unit:money" in of(cands, "quantity", "8 projects").missing


def test_the_date_of_another_event_on_the_page_is_not_the_renewal():
    text = ("日本とゼンブラの協力協定は2015年4月1日に署名された。同協定は2020年3月15日に更新された。"
            "2019年6月には記念式典が開催された。")
    cands = bound("When was the agreement renewed?", text)
    assert answers(cands, "date") == ["2020年3月15日"]
    assert of(cands, "date", "2015年4月1日").missing == ("relation:renew",)
    assert of(cands, "date", "2019年6月").missing == ("relation:renew",)


def test_each_date_takes_the_verb_of_its_own_clause():
    text = "旧協定は2017年3月に満了し、2017年6月に新協定が署名された。"
    signed = bound("新協定はいつ署名されましたか？", text)
    assert answers(signed, "date") == ["2017年6月"]


def test_a_city_or_body_is_not_the_country_asked():
    # "which country's hosting the next one": the country offered, not the body named in the same sentence.
    text = "The participants welcomed the offer of Fiji to host the 5th Meeting in 2027, to be organised with MOEZ."
    cands = bound(ask("which country's hosting the next meeting?", "次回の会合はどの国で開催されますか？"), text)
    assert "not-a-country" in of(cands, "place", "MOEZ").missing
    assert "not-a-country" not in of(cands, "place", "Fiji").missing


def test_a_country_is_not_the_city_asked():
    # A real country (the gazetteer knows it) beside an invented city.
    text = "会合は英国のバルドリアで開催された。"
    cands = bound(ask("In which city was the meeting held?", "会合はどの都市で開催されましたか？"), text)
    assert "not-a-city" in of(cands, "place", "英国").missing
    assert "バルドリア" in answers(cands, "place")


# --- people: titles, labelled fields, honorifics ----------------------------------------------------------

def test_titled_names_in_japanese_prose():
    from ingest.names import NOT_NAMES_JA, TITLES_JA
    from ingest.tokenizer import titled_names

    text = "会合では北川涼子環境大臣が挨拶し、ゼンブラのアンナ・コルヴェル環境大臣と会談した。環境省の局長も出席した。"
    got = [(t.name, t.title, text[t.start:t.end]) for t in titled_names(text, TITLES_JA, NOT_NAMES_JA)]
    assert got == [("北川涼子", "環境大臣", "北川涼子"), ("アンナ・コルヴェル", "環境大臣", "アンナ・コルヴェル")]  # no name in 環境省の局長


def test_a_places_office_is_no_titled_name():
    from ingest.names import NOT_NAMES_JA, TITLES_JA
    from ingest.tokenizer import titled_names

    # "白砂浦市長": the mayor of a place whose name ends in a place word (浦), not a person called 白砂.
    assert [t.name for t in titled_names("白砂浦市長が挨拶した。", TITLES_JA, NOT_NAMES_JA)] == []
    # "ホルムガルド州環境局長": the office of a province written in katakana.
    assert [t.name for t in titled_names("ホルムガルド州環境局長が挨拶した。", TITLES_JA, NOT_NAMES_JA)] == []


def test_a_labelled_chair_is_bound_and_holds_no_second_person():
    text = "■ 会合の概要\n日時：2023年4月12日\n場所：バルドリア市庁舎\n議長：山田太郎　ゼンブラ大学　教授\n出席者：約40名\n"
    for question in ("Who chaired the meeting?", "会合の議長は誰ですか？"):
        people = [c for c in bound(question, text) if c.kind == "person"]
        chair = of(people, "person", "山田太郎")
        assert chair.bound and chair.label == "議長" and "教授" in (chair.role or "")
        assert text[chair.start:chair.end] == "山田太郎"
        # Regression: the line's name was also read as "山田太郎 ゼンブラ" at a wrong offset (one before the
        # line), so the labelled person came twice.
        assert [c.value for c in people] == ["山田太郎"], [c.value for c in people]


def test_honorific_abbreviations_end_no_sentence():
    from rag.values.candidates import _sentences

    p_text = "Mr. Piet Hallam of the Valdoria City Council attended the seminar. Dr. Anna Korvel gave the keynote speech."
    cands = bound("Who gave the keynote speech?", p_text)
    assert answers(cands, "person") == ["Anna Korvel"]
    assert "relation:speak" in of(cands, "person", "Piet Hallam").missing
    from tests.bound import passage

    p = passage(p_text)
    assert [p.text[s:e] for s, e in _sentences(p)] == [
        "Mr. Piet Hallam of the Valdoria City Council attended the seminar.", "Dr. Anna Korvel gave the keynote speech."]


FORUMS = ("The 3rd Valdorian Lakes Forum will be hosted by Korvia City in 2026. "
          "The 2nd Valdorian Lakes Forum was held in Ostrava.")


def test_a_word_of_the_name_asked_about_is_not_its_answer():
    cands = bound("第3回ゼンブラ湖沼フォーラムはどこで開催されますか。", "第3回ゼンブラ湖沼フォーラムは2026年にコルビア市で開催される。")
    assert "in-question" in of(cands, "place", "ゼンブラ").missing
    assert answers(cands, "place")[0] == "コルビア市"


def test_a_sentence_naming_another_meeting_is_not_the_asked_ones():
    # The 3rd meeting is named just before, in the same paragraph: the 2nd's own sentence decides.
    cands = bound("Where will the 3rd Valdorian Lakes Forum be held?", FORUMS)
    assert "meeting:3" in of(cands, "place", "Ostrava").missing


def test_a_claim_may_name_the_value_it_claims():
    from dataclasses import replace

    from rag.read.question import read_question

    q = replace(read_question("The 3rd Valdorian Lakes Forum will be held in Korvia."), types=("where",), claim=True)
    assert "in-question" not in of(bound(q, FORUMS), "place", "Korvia").missing


def test_months_quoted_words_and_the_first_word_of_a_longer_name_are_no_places():
    text = ('The 4th Korvian Basin Forum was held on 15-16 November 2024 in Ostrava. '
            'Under the theme "Restoring rivers", the forum held two sessions.')
    places = [c.value for c in bound("Where was the 4th forum held?", text) if c.kind == "place"]
    assert "Ostrava" in places
    assert not {"November", "Restoring", "Korvian"} & set(places)


def test_a_code_no_series_goes_by_must_be_named_in_the_values_clause():
    text = ("覚書は2024年3月5日に署名された。"
            "ZOP31は2024年11月11日から22日までコルビアで開催された。")
    cands = bound("What were the dates of ZOP31?", text)
    assert "subject:ZOP31" in of(cands, "date", "2024年3月5日").missing
    assert "subject:ZOP31" not in of(cands, "date", "2024年11月11日から22日").missing


def test_a_code_tied_to_its_own_line_is_not_the_other_lines():
    # One field holds the seminar's date and a note on ZOP31's session: only the note's dates are ZOP31's.
    text = ("(1) 日時 2024年11月15日(金) 午前10時～正午(現地時間) ※ZOP31の会期は2024年11月11日(月)～22日(金)\n"
            "(2) 場所 コルビア会議場\n")
    cands = bound("What were the dates of the ZOP31 session?", text)
    assert "subject:ZOP31" in of(cands, "date", "2024年11月15日(金)").missing
    assert answers(cands, "date") and "2024年11月15日" not in answers(cands, "date")[0]


def test_a_phrase_cut_inside_a_noun_phrase_is_no_place():
    text = "覚書は、ZOP31（第31回締約国会議）のジャパン・パビリオンで署名された。"
    places = [c.value for c in bound("覚書はどこで署名されましたか。", text) if c.kind == "place"]
    assert not any(p.startswith("の") for p in places)


def test_a_listed_persons_role_ends_with_their_sentence():
    # The line goes on past the signer's sentence to what the other party did: that is not the signer's side.
    text = ("・2019年4月1日　協定を締結（本市は松井 和夫 白砂浦市長（当時）が署名。ゼンダ市は書面により署名）\n"
            "・2022年4月1日　協定を更新\n")
    cands = bound("Who signed the original 2019 agreement on behalf of Zenda?", text)
    assert answers(cands, "person") == []
    assert "side:Zenda" in of(cands, "person", "松井 和夫").missing
    assert answers(bound("Who signed the original 2019 agreement?", text), "person") == ["松井 和夫"]


def test_how_many_attended_an_occasion_asks_attendance_not_the_occasions_relation():
    # "締結式には何人が出席": the ceremony is where; what is asked is how many attended. A count of the listed
    # signers and witnesses says nothing of attendance.
    text = ("白砂浦市とゼンダ市の協力覚書締結式\n（1）日時　2024年5月10日\n（2）場所　ゼンダ市庁舎\n（3）署名者\n"
            "　＜白砂浦市＞\n　松井 和夫　白砂浦市長\n（4）立会人\n　山下 真一　白砂浦市議会議長\n　＜ゼンダ市＞\n　Mr. Karl Brenner\n")
    q = ask("白砂浦市とゼンダ市の覚書締結式には何人が出席しましたか。")
    assert q.focus == {"attend"}
    assert answers(bound(q, text), "quantity") == []
    stated = "白砂浦市とゼンダ市の協力覚書締結式には、両市の関係者約30人が出席した。"
    assert answers(bound(q, stated), "quantity") == ["約30人"]


def test_a_sentence_about_something_else_does_not_say_what_an_acronym_is():
    # The page names the ZCX elsewhere; the sentence closest to "what is it" is about another initiative.
    text = ("ゼンブラ炭素クレジット交換制度（ZCX）は2019年に始まった。\n"
            "グリーン・ハーバー・イニシアチブは、環境省と白砂浦市が2023年2月に立ち上げたイニシアチブで、港湾の脱炭素を支援する。")
    cands = bound("What does ZCX stand for?", text)
    harbour = [c for c in cands if c.kind == "sentence" and "イニシアチブ" in c.context]
    assert harbour and all("subject:ZCX" in c.missing for c in harbour)
    named = [c for c in cands if c.kind == "sentence" and "ZCX" in c.context]
    assert named and not any(m.startswith("subject:") for c in named for m in c.missing)


CONTACT = ("(6) ゼンブラ基金について\n基金は2019年に設立された。\n\n"
           "問い合わせ先\t担当課：環境局 国際協力課 電話：0123-45-6789 ファックス：0123-45-6790\n")


def test_a_phone_number_is_the_phone_line_and_a_fax_number_the_fax_line():
    assert answers(bound("What phone number should I call about the Zembla fund?", CONTACT), "phone") == ["0123-45-6789"]
    assert answers(bound("問い合わせ先のファックス番号は何ですか？", CONTACT), "phone") == ["0123-45-6790"]


def test_a_contact_block_belongs_to_the_page_not_to_the_section_it_ends():
    from rag.find.evidence import about_ok
    from tests.bound import passage

    p = passage(CONTACT, "d", section="(6) ゼンブラ基金について")
    page = "白砂浦市とホルムガルド州の協力\n" + CONTACT
    phone = [c for c in bound("What phone number should I call about the Shirasuna-ura partnership?", CONTACT,
                                sections={"d": p.section}) if c.kind == "phone"][0]
    assert about_ok(phone, ["白砂浦市"], page)
    assert not about_ok(phone, ["ゼンダ市"], page)


def test_until_the_end_of_a_year_is_the_end_asked():
    text = ("The members thanked Vellmar City for its work and asked it to remain the Secretariat until the end of "
            "2029. The Secretariat was first set up in 2014.")
    cands = bound("Until when was Vellmar City asked to remain the Secretariat?", text)
    assert answers(cands, "date") == ["2029"]
    assert "end" in of(cands, "date", "2014").missing


def test_a_reports_short_form_of_the_asked_country_is_that_country():
    # "ペ国" is how a report shortens ペルー once named.
    text = ("本事業は、日本とペルー共和国の協力で実施する。"
            "環境省は3年間で総額2億円を補助する。ペ国側は用地を提供し、接続工事費（約80万米ドル）を負担する。")
    cands = bound("本事業で、ペルー側が負担する金額はいくらですか。", text)
    assert answers(cands, "quantity")[:1] == ["約80万米ドル"]  # the currency is the value's own


def test_a_meeting_the_values_own_sentence_names_is_its_meeting_whatever_the_page_reports():
    # A report on the 12th forum says who chaired the 11th.
    text = ("Ms. ORLOVA Mira, Mayor of Korvia, chaired the Forum. Mr. BRANDT Emil, Mayor of Ostrava, "
            "who had chaired ARF-11, acted as Vice-Chair.")
    cands = bound("Who chaired the eleventh forum?", {"d": text}, meetings={"d": 12})
    assert answers(cands, "person") == ["BRANDT Emil"]
    assert "meeting:11" in of(cands, "person", "ORLOVA Mira").missing


def test_a_value_the_own_clause_ties_to_another_meeting_is_not_the_asked_meetings():
    # The summary of the 6th forum names who chaired the 5th; the 6th's chair is another person.
    text = ("Mr. BRANDT Emil, Mayor of Ostrava, who chaired ARF-5, opened the session. "
            "The Forum was chaired by Ms. ORLOVA Mira.")
    cands = bound("Who chaired the sixth forum?", {"d": text}, meetings={"d": 6})
    assert answers(cands, "person") == ["ORLOVA Mira"]
    assert "meeting:6" in of(cands, "person", "BRANDT Emil").missing


def test_an_era_name_is_no_place():
    cands = bound("第5回ゼンブラ湖沼フォーラムはどの都市で開催されますか。", "第5回ゼンブラ湖沼フォーラムは、令和8年度中に日本で開催することで一致した。")
    assert not answers(cands, "place")


def test_the_asked_office_must_be_stated_rapporteur_and_witness():
    text = ("The workshop was chaired by Ms. ORLOVA Mira. Dr. KRAL Jonas, Senior Researcher, served as rapporteur. "
            "The signing was witnessed by Mr. SATO Ken, Director of the International Division of the Ministry of the "
            "Environment of Japan. Mayor BRANDT Emil signed on behalf of Ostrava.")
    assert answers(bound("Who was the rapporteur of the workshop?", text), "person") == ["KRAL Jonas"]
    witness = bound("Which Ministry of the Environment official witnessed the signing?", text)
    assert answers(witness, "person")[:1] == ["SATO Ken"]
    assert "relation:witness" in of(witness, "person", "BRANDT Emil").missing


def test_a_date_without_its_hour_does_not_say_at_what_time():
    text = "The ceremony took place on 9 March 2026 at the city hall."
    cands = bound("At what time did the ceremony start?", text)
    assert "time-of-day" in of(cands, "date", "9 March 2026").missing


def test_a_co_chair_question_is_not_answered_by_the_chair():
    text = "The Forum was chaired by Ms. ORLOVA Mira. Mr. BRANDT Emil, Mayor of Ostrava, served as co-chair."
    assert answers(bound("Who was the co-chair of the Forum?", text), "person") == ["BRANDT Emil"]
    ja = "第5回ゼンブラ湖沼フォーラムでは、コルビア市長の田中一郎氏が議長を務め、副市長の佐藤次郎氏が共同議長を務めた。"
    cands = bound("第5回ゼンブラ湖沼フォーラムで共同議長を務めたのは誰ですか。", ja)
    assert "佐藤次郎" in answers(cands, "person") and "田中一郎" not in answers(cands, "person")
    both = "The Forum was co-chaired by Ms. ORLOVA Mira and Mr. BRANDT Emil."
    assert answers(bound("Who chaired the Forum?", both), "person") == ["ORLOVA Mira", "BRANDT Emil"]


def test_a_middle_initial_ends_no_sentence_and_no_name():
    from rag.values.candidates import _sentences
    from tests.bound import passage

    text = "The Forum was chaired by Ms. Vera K. Orlova, Mayor of Korvia. Dr. Jan Brandt served as rapporteur."
    assert answers(bound("Who chaired the Forum?", text), "person") == ["Vera K. Orlova"]
    p = passage(text)
    assert len(_sentences(p)) == 2


PRESS = ("薄霞ヶ台市ホーム > 報道発表\n\n薄霞ヶ台市 環境局\n\nロヴェナ市と協力覚書を締結しました\n\n"
         "薄霞ヶ台市は、ロヴェナ市と、ごみの減量に関する協力覚書を締結しました。\n\n"
         "このうち、環境省の委託費が3か年で最大6,000万円、本市の負担が各年度1,200万円です。"
         "ロヴェナ市も3か年で800万ペソを負担します。")


def test_this_city_is_the_page_opening_city_and_a_ministrys_amount_is_no_citys():
    own = bound("薄霞ヶ台市の各年度の負担はいくらですか。", {"d": PRESS}, titles={"d": "ロヴェナ市と協力覚書を締結しました"})
    assert answers(own, "quantity")[:1] == ["1,200万円"]
    assert "side:薄霞ヶ台市" in of(own, "quantity", "6,000万円").missing  # the ministry's, not the city's
    assert "side:薄霞ヶ台市" in of(own, "quantity", "800万ペソ").missing  # the partner's
    partner = bound("ロヴェナ市の負担はいくらですか。", {"d": PRESS}, titles={"d": "ロヴェナ市と協力覚書を締結しました"})
    assert "1,200万円" not in answers(partner, "quantity") and "6,000万円" not in answers(partner, "quantity")


ATTENDEES = ("Results of the 4th Japan-Peru Environmental Policy Dialogue\n\n■ Primary attendees\n\n(Peru)\n"
             "Ms. Rosa QUISPE, Vice Minister, Ministry of the Environment\n"
             "Mr. Luis VARGAS, Minister Counsellor, Embassy of Peru in Japan\n\n(MOE Japan)\n"
             "Kenta MORI, Director-General for Global Environmental Affairs\n")


def test_a_partners_embassy_in_japan_makes_no_japanese_official():
    # "Embassy of Peru in Japan" names Japan as where the embassy sits, not whom its official serves.
    cands = bound(ask("Which Japanese official attended the dialogue?", "日本の出席者は誰ですか"), ATTENDEES)
    assert answers(cands, "person") == ["Kenta MORI"]
    assert "agent:JP" in of(cands, "person", "Luis VARGAS").missing


def test_who_came_for_or_from_a_country_binds_to_that_country():
    assert answers(bound("Who attended the dialogue for Peru?", ATTENDEES), "person") == ["Rosa QUISPE", "Luis VARGAS"]
    assert answers(bound("Who attended from Japan?", ATTENDEES), "person") == ["Kenta MORI"]


def test_by_how_much_asks_a_degree_not_money():
    text = "当事業によってゼンブラ市の廃棄物量が32%削減された。同市は2030年までにさらなる削減を目指す。"
    cands = bound(ask("By how much did Zembla's waste decrease?", "ゼンブラ市の廃棄物量はどれだけ削減されましたか"), text)
    assert answers(cands, "quantity") == ["32%"]


def test_a_country_the_question_names_however_written_is_no_place_answer():
    text = ("2012年12月5日には、カタール国ドーハにおいて、日本国環境省とペルー共和国環境省が"
            "「環境協力に関する協力覚書」に署名しました。")
    cands = bound(ask("Where did Japan and Peru sign the memorandum?", "日本とペルーはどこで覚書に署名しましたか"), text)
    assert "ドーハ" in answers(cands, "place")
    assert "in-question" in of(cands, "place", "ペルー共和国").missing  # a party, however written
    # The signing body is who signed, not where.
    assert not [c for c in cands if c.kind == "org" and c.bound]


def test_which_body_did_it_asked_with_doko_is_answered_by_the_body():
    # "…立ち上げたのはどこ" asks which body launched it; "どこで" asks where.
    text = "2021年、環境省とJICAがゼンブラ都市連携プログラムを立ち上げた。"
    assert answers(bound("ゼンブラ都市連携プログラムを立ち上げたのはどこですか？", text), "org")


def test_a_katakana_name_on_a_page_about_japan_and_one_partner_is_the_partners():
    text = ("2017年4月には、山本環境大臣とシティ環境林業大臣が環境協力に関する覚書を更新しました。")
    q = ask("Who was Peru's minister when the memorandum was renewed in April 2017?", "ペルー 大臣 更新")
    cands = bound(q, {"P": text}, titles={"P": "日・ペルー環境政策対話"})
    assert answers(cands, "person") == ["シティ"]
    assert "agent:PE" in of(cands, "person", "山本").missing
    # With no single partner in the title, a katakana name is nobody's in particular.
    assert not answers(bound(q, {"P": text}, titles={"P": "環境協力の歩み"}), "person")



def test_a_table_cell_is_read_under_its_column_and_not_with_the_next_cells_unit():
    # "9人　780万円": the people count is no amount of money because the next cell holds yen; and the
    # question names the 事業費 column, so only that column's numbers answer.
    table = ("研修の実績\n\n年度　研修員　オンライン参加者　事業費（決算額）\n2021年度　0人　24人　310万円\n"
             "2022年度　6人　18人　520万円\n2023年度　11人　9人　780万円\n")
    assert answers(bound("2023年度の事業費はいくらでしたか？", table), "quantity") == ["780万円"]
    people = bound("2022年度のオンライン参加者は何人ですか？", table)
    assert answers(people, "quantity") == ["18人"]
    money = bound("2023年度の予算はいくらでしたか？", table)
    assert "9人" not in answers(money, "quantity") and "11人" not in answers(money, "quantity")


def test_a_province_asked_is_not_answered_by_its_country():
    text = "第8回対話はサンティアゴで開かれ、その際にチリのヴァルナ州で廃棄物発電施設の竣工式が行われた。"
    for q in ("廃棄物発電施設の竣工式が行われたのはどこの州ですか？", "竣工式はどの州で行われましたか？"):
        cands = bound(q, text)
        assert "チリ" not in answers(cands, "place") and "サンティアゴ" not in answers(cands, "place"), q


def test_a_place_the_question_names_must_be_named_by_the_answers_page():
    # ポズナン names the series here too (so it is no `about` name), but a page that never names it does not
    # answer a question about it: the other city's funder is not this project's.
    from rag.find.evidence import subjects
    from rag.read.question import read_question

    q = read_question("ポズナンでの植林事業の資金はどこから出ましたか？")
    assert subjects(q, []) == ["ポズナン"]
    docs = {"a": "北浦市はポズナン市で植林事業を実施した。事業の資金は緑化基金が拠出した。",
            "b": "堺市の事業では、ゼンブラ開発銀行が資金を拠出した。"}
    cands = bound(q, docs, about=subjects(q, []))
    assert "ゼンブラ開発銀行" not in answers(cands, "org") + answers(cands, "place")


def test_a_report_on_one_meeting_dated_in_its_head_dates_its_lists():
    # "the 2023 dialogue": the attendee list of a report on one meeting, dated in its head, is that
    # meeting's, though no line of the list says 2023.
    text = ("Press Release\n\nFebruary 21, 2023\n\nResults of the 7th Japan-Chile Environmental Policy Dialogue\n\n"
            "The two ministries held the 7th dialogue in Tokyo.\n\n■ Primary attendees\n\n(Chile)\n"
            "Mr. Pablo ROJAS, Vice Minister, Ministry of the Environment\nMs. Ana VERA, Director, Ministry of the "
            "Environment\n\n(MOE Japan)\nHiroshi TANAKA, Vice-Minister for Global Environmental Affairs\n")
    q = ask("How many attendees did Chile send to the 2023 dialogue?")
    assert answers(bound(q, {"r": text}, meetings={"r": 7}), "quantity") == ["2人(Chile)"]
    assert "years:2023" in of(bound(q, {"r": text}), "quantity", "2人(Chile)").missing  # no report: no date


def test_a_span_of_years_is_no_amount_whatever_money_follows_it():
    from tests.bound import bound

    text = "大臣は、令和7年度から3年間で総額約12億円規模の協力を実施することを表明しました。"
    got = {c.value: c.missing for c in bound("ゼンビアとの協力に日本はいくら出す？", text) if c.kind == "quantity"}
    assert "unit:money" in got["3年間"] and "unit:money" not in got["約12億円"]


FUNDERS = ("ゾルタ市の地域暖房事業の総事業費は約15億円です。このうち環境省の補助が6億2,000万円、"
           "ゾルタ熱供給公社の自己資金が4億円です。研修事業には北浜商工会議所にも協賛いただいています。\n"
           "ユーラシア地域銀行（ERB）は、廃棄物事業向けに5,000万米ドルの融資枠を設けます。")


def test_the_payer_a_money_question_names_is_the_amounts_own():
    # The party right before a noun of money, or the subject of a verb of paying, is the payer: an amount
    # answers only if its clause names it; a payer named with no amount gets none.
    ministry = ask("ゾルタ市の暖房事業、環境省の補助はいくら？")
    assert ministry.agents == {"JP"}
    assert answers(bound(ministry, FUNDERS), "quantity")[:1] == ["6億2,000万円"]
    bank = ask("ERBが廃棄物事業向けに用意するローンの枠はいくら？")
    assert bank.sides == ("ERB",)
    assert answers(bound(bank, FUNDERS), "quantity")[:1] == ["5,000万米ドル"]
    sponsor = ask("北浜商工会議所は研修事業にいくら協賛した？")
    assert sponsor.sides == ("北浜商工会議所",)
    assert answers(bound(sponsor, FUNDERS), "quantity") == []  # named as a sponsor, with no amount
    company = ask("How much of its own money is Zolta Heat Supply investing?")
    assert company.sides == ("Zolta Heat Supply",)


PLEDGES = ("日本は、2026年度から2028年度までの3年間で総額12億円の支援を表明し、うち2026年度分の支援額は4億円とした。"
           "ゾルタ側は運営費として毎年約3億2,000万テンゲを負担する。\n"
           "MOE will provide JPY 300 million over the three years, and the Ministry of Ecology of Zolta KZT 850 million.")


def test_a_sum_over_years_answers_neither_per_year_nor_one_year_of_it():
    one_year = bound("日本の2026年度の支援額はいくら？", PLEDGES)
    assert answers(one_year, "quantity")[:1] == ["4億円"]
    assert "span" in of(one_year, "quantity", "12億円").missing
    per_year = bound("How much does MOE give per year?", PLEDGES)
    assert answers(per_year, "quantity") == []  # only a sum over three years is given
    assert "per-year" in of(per_year, "quantity", "JPY 300 million").missing
    yearly = bound("ゾルタ側は毎年いくら負担しますか？", PLEDGES)
    assert answers(yearly, "quantity")[:1] == ["約3億2,000万テンゲ"]  # said per year: it answers
    total = bound("日本の支援の総額はいくら？", PLEDGES)
    assert answers(total, "quantity")[:1] == ["12億円"]  # the sum is what a question about the total asks


def test_the_cost_of_an_aim_is_no_sum_said_of_something_else():
    text = ("同事業では、環境省が観測局の整備に3年間で総額約1億8,000万円を拠出する。"
            "各国は、観測局を2030年までに150か所に拡充することを目指す。")
    cands = bound("観測局を2030年までに150か所にする目標、費用はどれくらいかかる？", text)
    assert answers(cands, "quantity") == []
    assert "aim-year" in of(cands, "quantity", "約1億8,000万円").missing


def test_an_amounts_payer_is_the_nearest_party_before_it_even_one_whose_name_holds_and():
    text = "MOE will provide JPY 300 million, and the Ministry of Ecology and Natural Resources KZT 850 million."
    cands = bound("How much does MOE give to the programme?", text)
    assert answers(cands, "quantity") == ["JPY 300 million"]
    assert "agent:JP" in of(cands, "quantity", "KZT 850 million").missing


def test_a_date_of_another_sentence_than_the_one_naming_the_asked_acronym_is_not_its():
    text = ("環境省は、2016年3月にゾルタ共和国との間で環境協力覚書に署名しました。"
            "また、2024年8月には、二国間クレジット制度（JCM）に関する二国間文書に署名しました。")
    cands = bound("When was the JCM document with Zolta signed?", text)
    assert answers(cands, "date")[:1] == ["2024年8月"]
    assert "subject:JCM" in of(cands, "date", "2016年3月").missing


def test_construction_asked_is_not_any_start():
    text = ("本市は令和元年度から職員をゾルタ市に派遣して支援しています。"
            "熱供給プラントの事業は令和6年11月に採択され、令和7年5月に着工しました。")
    cands = bound("ゾルタ市の熱供給事業、工事が始まったのはいつ？", text)
    assert answers(cands, "date")[:1] == ["令和7年5月"]
    assert "relation:build" in " ".join(of(cands, "date", "令和元年度").missing)


STATIONS = ("同事業では、環境省が令和5年度から令和7年度までの3年間で総額約1億8,000万円を拠出する。"
            "2025年8月末までに環境省は約1億3,500万円を支出し、観測局9か所を設置済みである。"
            "各国は、観測局を98か所（2025年10月時点）から150か所に拡充することを目指す。")


def test_as_of_a_date_asks_what_was_reached_then():
    # Not a sum set for a span still running then, nor a figure told as of another date.
    spent = bound("2025年8月末までに環境省はいくら支出した？", STATIONS)
    assert answers(spent, "quantity")[:1] == ["約1億3,500万円"]
    assert "until" in of(spent, "quantity", "約1億8,000万円").missing
    built = bound("2025年8月末の時点で観測局は何か所設置済み？", STATIONS)
    assert "as-of-date" in of(built, "quantity", "98か所").missing


def test_a_signing_date_is_not_when_an_agreement_takes_effect():
    text = ("The first memorandum was signed on 28 July 2015. "
            "The new memorandum was signed on 21 May 2025 and enters into force on 28 July 2025.")
    cands = bound("When does the new memorandum take effect?", text)
    assert [c.date.year for c in cands if c.kind == "date" and c.bound][:1] == [2025]
    assert "relation:in_force" in of(cands, "date", "28 July 2015").missing


def test_a_moderator_asked_is_no_chair():
    text = "The 6th Zelqa Forum was held in Vila Serena. It was chaired by Mr. Rafael ALVES, National Secretary."
    assert answers(bound("Who moderated the 6th Zelqa Forum?", text), "person") == []
    ja = "第6回ゼルカ・フォーラムでは、ゼルカ銀行のカロリナ・ベガ氏が進行役を務めた。"
    assert answers(bound("第6回ゼルカ・フォーラムの進行役は誰？", ja), "person")[:1] == ["カロリナ・ベガ"]


def test_a_whole_is_not_the_part_its_bracketed_breakdown_names():
    text = "・令和5年度事業費　2,860万円（うち環境省委託費 2,200万円、市負担 660万円）"
    cands = bound("ゼルカ市との連携事業の令和5年度事業費のうち、環境省委託費はいくらですか。", text)
    assert answers(cands, "quantity")[:1] == ["2,200万円"]
    assert "relation:contribute" in of(cands, "quantity", "2,860万円").missing


CHAIRED = ("The 3rd Meeting was held in Velma, Zembla, on 4 May 2025. The Meeting was chaired by Hon. Tavita MOALE, "
           "Minister for Environment of Zembla, and co-chaired by Ms. KUROSE Aki, State Minister of the Environment "
           "of Japan.")


def test_the_one_who_chaired_not_the_co_chair_beside_them():
    # "Hon." ends no sentence: the chair's clause keeps its verb; a co-chair beside a chair did not chair.
    cands = bound("Who chaired the 3rd Meeting?", CHAIRED)
    assert answers(cands, "person") == ["Tavita MOALE"]
    assert "relation:chair" in of(cands, "person", "KUROSE Aki").missing


def test_a_co_chair_in_english_answers_a_japanese_co_chair_question():
    cands = bound(ask("第3回会合で日本側の共同議長を務めたのは誰？"), CHAIRED)
    assert answers(cands, "person") == ["KUROSE Aki"]


def test_a_line_under_a_bullet_is_about_that_bullet():
    # "・更新：…" over "　有効期間：5年（…まで）": the validity is the renewed memorandum's, not the first one's.
    text = ("■覚書\n・締結：2018年5月17日、ヴァルナ市役所にて覚書を締結\n　有効期間：3年（2021年5月16日まで）\n"
            "・更新：2024年11月21日、東京にて覚書を更新\n　有効期間：5年（2029年11月20日まで）\n")
    cands = bound(ask("When does the renewed memorandum expire?", "更新 覚書 期限"), text)
    assert answers(cands, "date") == ["2029年11月20日"]
    assert "relation:renew" in of(cands, "date", "2021年5月16日").missing


def test_the_last_person_of_a_list_shares_its_verb_past_the_titles_between():
    # "co-chaired by Ms. A, Head of …, ZMA, and Mr. B, Director …": B co-chaired too; the titles between the names
    # state no verb of their own.
    text = ("The dialogue was co-chaired by Ms. Ana VELMA, Head of the Office of International Affairs, ZMA, and "
            "Mr. KUROSE Aki, Director of the International Cooperation Division, MOE.")
    cands = bound(ask("Who co-chaired the dialogue?", "対話 共同議長"), text)
    assert answers(cands, "person") == ["Ana VELMA", "KUROSE Aki"]


def test_a_co_chair_named_beside_the_chair_is_not_the_chair_in_japanese_either():
    # "Aが議長を、Bが共同議長を務め": 共同議長 says B co-chaired (a co-chair chairs only where no one else is the chair).
    text = ("本日、ゼンダ市内の会議場において、ゼンブラ共和国のミハイル・ドロスキー環境大臣が議長を、大森環境大臣が共同議長を務め、"
            "第3回ゼンブラ環境大臣会合が開催されました。")
    chair = bound("第3回ゼンブラ環境大臣会合で議長を務めたのは誰？", text)
    assert answers(chair, "person") == ["ミハイル・ドロスキー"]
    assert "relation:chair" in of(chair, "person", "大森").missing
    both = "第3回ゼンブラ環境大臣会合は、ドロスキー大臣と大森大臣が共同議長を務めた。"
    assert set(answers(bound("第3回ゼンブラ環境大臣会合で議長を務めたのは誰？", both), "person")) == {"ドロスキー", "大森"}


def test_who_signed_names_the_people_with_their_cities_office_never_the_city():
    page = "令和6年5月7日、リヴナ市庁舎において、大森 健太 桜川市長とアナ・コヴァルスカ リヴナ市長が覚書に署名した。"
    cands = bound("桜川市とリヴナ市の覚書に署名したのは誰？", page)
    people = [c for c in cands if c.kind == "person"]
    assert {c.value for c in people} == {"大森 健太", "アナ・コヴァルスカ"}
    assert (of(cands, "person", "大森 健太").role or "").startswith("桜川市長")
    assert answers(cands, "person")


def test_a_working_groups_first_meeting_is_not_the_meeting_that_set_it_up():
    page = ("第5回日・ルリタニア環境政策対話の結果について\n１．概要\n（１）日時：令和7年3月4日（火）\n"
            "２．主な結果\n　水素作業部会を設置し、第１回会合を来年春頃を目途に開催することで一致しました。\n"
            "Separately, the Fourth Ruritania Environment Ministers' Meeting was held on 12 June 2025.\n")
    cands = bound("when did the hydrogen working group have its first meeting?", page,
                  titles={"d": "第5回日・ルリタニア環境政策対話の結果について"})
    assert answers(cands, "date") == []
    assert "event-kind" in of(cands, "date", "令和7年3月4日(火)").missing


def test_todays_figure_is_no_answer_to_what_is_aimed_for_by_a_year():
    page = "同県内の自動観測地点を、現在の１４か所から２０３０年までに４０か所へ増やすことを目標とします。"
    cands = bound("県内の自動観測地点、2030年までに何か所にする？", page)
    assert answers(cands, "quantity") == ["40か所"]
    assert "current" in of(cands, "quantity", "14か所").missing


@pytest.mark.parametrize("question", ["第4回会合で日本が表明した支援額は？", "How much did Japan announce at the 4th meeting?"])
def test_an_amount_in_an_english_report_answers_a_japanese_asker_and_any_form_of_the_verb(question):
    page = ("The Fourth Ruritania Environment Ministers' Meeting was held on 3 May 2025.\n"
            "Japan announced JPY 400 million over FY2026-FY2028 to support the Partnership. "
            "Ruritania announced RTD 15 million for a training centre.")
    cands = bound(question, page, meetings={"d": 4})
    assert answers(cands, "quantity") == ["JPY 400 million"]


def test_where_it_was_first_signed_is_neither_where_it_was_renewed_nor_where_a_signing_is_planned():
    page = ("・平成30年10月24日　桜川市役所において、両市長が「環境協力に関する覚書」に署名\n"
            "・令和7年10月23日　リヴナ市庁舎において、両市長が覚書を更新。\n"
            "翌２３日には、リヴナ市庁舎において、両市長による覚書の更新署名式が行われる予定です。")
    cands = bound("桜川市とリヴナ市が最初に覚書に署名したのはどこ？", page)
    assert answers(cands, "place")[:1] == ["桜川市役所"]
    renewed = [c for c in cands if c.kind == "place" and c.value == "リヴナ市庁舎"]
    assert renewed and all(set(c.missing) & {"renewal", "planned"} for c in renewed)


def test_where_people_went_asks_of_their_visit_not_of_their_attending_and_accented_places_are_places():
    page = ("Some 45 participants attended the dialogue in Katowice.\n"
            "On the following day, the participants visited a sorting facility in Zielonów.")
    q = ask("第7回対話の翌日、参加者はどこを見学した？")
    assert q.focus == {"visit"}
    assert answers(bound(q, page, meetings={"d": 7}), "place")[:1] == ["Zielonów"]


@pytest.mark.parametrize("question", ["How many people took part in the 3rd dialogue?", "第3回対話の参加者は何人？"])
def test_a_number_of_participants_counts_people_whatever_the_question_calls_them(question):
    page = ("The 3rd Japan-Ruritania Environmental Policy Dialogue was held in Strelsau.\n"
            "Some 45 participants, 15 of them online, from the two ministries and six companies.")
    assert answers(bound(question, page, meetings={"d": 3}), "quantity")[:1] == ["45"]


def test_physically_there_asks_for_those_in_the_room_not_the_total():
    page = "The 4th Ruritania Forum was held in Strelsau.\nIn total 96 participants attended: 71 in person and 25 online."
    assert answers(bound("how many folks were physically there at the 4th forum?", page, meetings={"d": 4}),
                   "quantity")[:1] == ["71"]


def test_a_japanese_askers_payer_must_be_named_to_take_an_amount_from_an_english_report():
    page = ("The 4th Ruritania Forum was held in Strelsau. Observers from the RDCB Commission attended.\n"
            "Japan announced JPY 400 million over FY2026-FY2028 to support the Partnership.")
    assert answers(bound("RDCB委員会の拠出表明額は？", page), "quantity") == []


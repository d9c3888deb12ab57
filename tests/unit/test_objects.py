"""rag.values.binding: a value told of another thing on the page is no answer about the thing asked (issue 17,
"about whom it was asked"). Each invented page tells of two things of one kind (two facilities, two
memoranda) in different sentences; the value of the other one is not an answer."""

from __future__ import annotations

from rag.read.question import read_question
from tests.bound import answers, bound, of

CITY = ("ゼンダ市との協力\n"
        "本市は平成29年にルリタニアのゼンダ市と環境協力に関する覚書を締結しました。"
        "令和4年度からは、本市の職員がゼンダ市を訪れ、廃棄物管理の技術指導を行っています。"
        "ゼンダ市北部の堆肥化施設は、起工式が令和4年10月に行われ、令和6年5月に稼働を開始しました。"
        "また、同市中心部では、市民向けの環境学習センターの建設が進んでいます。"
        "同センターは令和9年春の開所を予定しています。"
        "これまでに延べ20名の研修員を本市に受け入れました。")


def test_a_date_told_of_another_facility_does_not_answer_for_the_asked_one():
    learning = bound("環境学習センターはいつ開所した？", CITY)
    assert answers(learning, "date") == []  # only planned; the compost plant's start is another facility's
    assert any(m.startswith("about:") for m in of(learning, "date", "令和6年5月").missing)
    compost = bound("堆肥化施設はいつ稼働を開始した？", CITY)
    assert answers(compost, "date")[:1] == ["令和6年5月"]


def test_opening_is_read_and_a_groundbreaking_does_not_answer_it():
    q = read_question("堆肥化施設はいつオープンしたの？")
    assert q.relations == {"open"}
    opened = bound(q, CITY)
    assert answers(opened, "date")[:1] == ["令和6年5月"]  # "稼働を開始" opens it
    assert "relation:open" in of(opened, "date", "令和4年10月").missing  # the groundbreaking ceremony
    assert read_question("When did the hub open?").relations == {"open"}


HUB = ("Zenda and Kitami: ten years of cooperation\n"
       "The two cities signed a memorandum of cooperation in 2016. "
       "Kitami has sent engineers to Zenda every year since 2018. "
       "Ruritania pledged RUR 3 million to set up a regional recycling training hub in Zenda, which is to open in 2028. "
       "Participants visited the Zenda composting plant, built with Kitami's support and in operation since May 2024. "
       "A youth exchange between the two cities is planned for 2026.")


def test_an_english_date_told_of_another_facility_does_not_answer_for_the_asked_one():
    hub = bound("When did the recycling training hub in Zenda open?", HUB)
    assert answers(hub, "date") == []  # only "is to open in 2028"
    assert any(m.startswith("about:") for m in of(hub, "date", "May 2024").missing)
    plant = bound("When did the composting plant in Zenda start operating?", HUB)
    assert answers(plant, "date")[:1] == ["May 2024"]


def test_a_sentence_pointing_back_takes_its_thing_from_the_sentence_before():
    text = ("Zenda and Kitami\n"
            "The two cities signed a memorandum in 2016. "
            "Kitami trains engineers from Zenda every year. "
            "A regional recycling training hub was built in Zenda with Kitami's support. "
            "It opened in May 2025. "
            "A youth exchange between the two cities is planned for 2026.")
    assert answers(bound("When did the recycling training hub open?", text), "date")[:1] == ["May 2025"]


def test_a_thing_named_in_most_sentences_is_what_the_page_is_about():
    # The page is about the memorandum: a sentence need not name it again to tell of it.
    text = ("ゼンダ市との覚書\n"
            "本市とゼンダ市の覚書は平成29年に締結されました。"
            "覚書の有効期間は3年間です。"
            "令和2年に覚書を3年間延長しました。"
            "令和5年8月に、両市は協議を行いました。"
            "令和8年3月31日をもって失効しました。")
    assert answers(bound("ゼンダ市との覚書はいつ効力がなくなった？", text), "date")[:1] == ["令和8年3月31日"]


def test_losing_effect_is_an_expiry():
    assert read_question("古いほうの覚書はいつ効力がなくなった？").relations == {"expire"}
    assert read_question("旧協定はいつ効力を失ったか。").relations == {"expire"}


LISTED = ("ゼンダ市との協力\n\n"
          "本市はゼンダ市と平成28年から交流しています。\n\n"
          "■覚書\n"
          "・締結：平成30年5月17日、本市役所にて締結\n"
          "・延長：令和3年5月、オンライン協議を経て延長\n\n"
          "■研修\n"
          "・令和4年度：研修員5名を受け入れ\n"
          "・令和5年度：研修員8名を受け入れ\n\n"
          "■施設\n"
          "・堆肥化施設：令和6年5月に稼働開始\n"
          "・環境学習センター：令和9年春に開所予定\n")


def test_an_item_of_a_list_is_about_what_heads_the_list():
    assert answers(bound("ゼンダ市との覚書、延長したのはいつ？", LISTED), "date")[:1] == ["令和3年5月"]
    learning = bound("環境学習センターはいつ開所した？", LISTED)
    assert answers(learning, "date") == []
    assert any(m.startswith("about:") for m in of(learning, "date", "令和6年5月").missing)  # the item above, another facility's


def test_a_note_pointing_back_is_about_the_line_above():
    text = ("日・ゼンブラ環境政策対話\n\n"
            "第1回対話は2010年に東京で開催された。\n"
            "第2回対話は2012年にゼンダで開催され、両省は環境協力に関する覚書を取り交わした。\n"
            "※本覚書については、2011年12月8日、ダーバンでの二国間会談の際に両大臣による署名が行われた。\n"
            "第3回対話は2014年に東京で開催された。\n"
            "第4回対話は2016年にゼンダで開催された。\n")
    assert answers(bound("ゼンブラとの環境協力覚書に両大臣が署名したのはいつ？", text), "date")[:1] == ["2011年12月8日"]


def test_an_english_word_before_another_only_qualifies_it():
    # "main sites": the sites are asked about, "main" need not be said; "recycling training hub": a hub.
    assert read_question("How many main sites are there in the Zemblan network?").objects == ("sites", "network")
    assert read_question("When did the recycling training hub open?").objects == ("hub",)
    assert read_question("How many people from Zembla are listed as main attendees?").objects == ()  # a qualifier


def test_an_event_of_another_kind_does_not_answer_for_the_kind_asked():
    text = ("日・ゼンブラ環境政策対話の結果について\n"
            "2025年3月10日、第5回日・ゼンブラ環境政策対話を東京で開催しました。"
            "両国は、廃棄物管理に関する作業部会を設置することで一致しました。"
            "作業部会の初会合は2025年9月頃に開催する予定です。"
            "2025年3月9日には、ゼンダ市のごみ処理施設の起工式が行われました。"
            "次回の対話は2027年にゼンブラで開催する予定です。")
    group = bound("When did the waste working group hold its first meeting?", text)
    assert answers(group, "date") == []  # only planned
    assert "event-kind" in of(group, "date", "2025年3月9日").missing  # a groundbreaking ceremony
    assert "event-kind" in of(group, "date", "2025年3月10日").missing  # the dialogue that set the group up
    assert answers(bound("第5回対話はいつ開催された？", text), "date")[:1] == ["2025年3月10日"]


PARAGRAPHS = ("ゼンダ市の施設\n\n"
              "ルリタニアのゼンダ市とは平成28年から交流しています。\n"
              "研修員の受入れも続けています。\n\n"
              "堆肥化施設と資源回収センター\n"
              "　ゼンダ市の市場から出る生ごみを発酵させてエネルギーを回収する「ゼンダ堆肥化施設」は、本市の企業の"
              "技術で整備されました。令和4年10月に起工式が行われ、令和6年5月に稼働を開始しました。\n"
              "　また、同市北部では、資源ごみを選別する資源回収センターの起工式が令和6年11月に行われました。"
              "同センターは令和9年春の開所を予定しています。\n")


def test_a_run_of_nouns_the_page_writes_is_found_whole_and_a_paragraph_is_no_list():
    # The paragraphs stand under a heading naming both facilities; "エネルギーを回収" is no 資源回収センター.
    centre = bound("資源回収センターはいつオープンしたの？", PARAGRAPHS)
    assert answers(centre, "date") == []
    assert any(m.startswith("about:") for m in of(centre, "date", "令和6年5月").missing)
    plant = bound("ゼンダ堆肥化施設はいつ稼働を開始した？", PARAGRAPHS)
    assert answers(plant, "date")[:1] == ["令和6年5月"]  # its paragraph's first sentence names it


def test_a_heading_names_what_it_heads_unless_it_joins_two_things():
    joined = bound("資源回収センターはいつオープンしたの？", PARAGRAPHS, sections={"d": "堆肥化施設と資源回収センター"})
    assert answers(joined, "date") == []  # the heading heads both facilities' paragraphs
    text = ("ゼンダ市との協力\n\n"
            "本市はゼンダ市と平成28年から交流しています。\n"
            "研修員の受入れも続けています。\n"
            "ゼンダ市北部には資源回収センターがあります。\n"
            "職員の派遣も行っています。\n\n"
            "令和5年11月に起工式が行われ、令和7年6月に稼働を開始しました。\n")
    one = bound("資源回収センターはいつオープンしたの？", text, sections={"d": "資源回収センター"})
    assert answers(one, "date")[:1] == ["令和7年6月"]  # the heading right above names it
    assert answers(bound("資源回収センターはいつオープンしたの？", text), "date") == []  # without it, nothing does


def test_another_thing_of_the_asked_kind_beside_the_value_is_a_rival():
    # 資源 is said all over the page (what it is about); the sentence names another 回収センター.
    text = ("ゼンダ市の資源循環\n"
            "ゼンダ市は資源循環を進めています。\n"
            "資源ごみの分別は平成30年に始まりました。\n"
            "資源の回収量は年々増えています。\n"
            "令和6年5月に生ごみ回収センターが稼働を開始しました。\n"
            "資源回収センターは建設中です。\n")
    centre = bound("資源回収センターはいつ稼働を開始した？", text)
    assert answers(centre, "date") == []
    assert "about:資源回収センター" in of(centre, "date", "令和6年5月").missing

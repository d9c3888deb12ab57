"""rag.read.question: what a question asks, read by code (types, order, count/list, number, years, names, unit).

Names and places are invented (Freedonia, Ostrava, Brno): the reading must not depend on the seed documents.
"""

from __future__ import annotations

import pytest

from ingest.names import countries_in
from rag.read.question import Question, entities, read_question


@pytest.mark.parametrize(("text", "types"), [
    ("フリードニアとの覚書はいつ締結されましたか？", ("when",)),
    ("When was the memorandum with Freedonia signed?", ("when",)),
    ("What were the dates of the Ostrava seminar?", ("when",)),
    ("第10回日本・フリードニア政策対話はどこで開催されましたか？", ("where",)),
    ("Where was the 10th Japan–Freedonia policy dialogue held?", ("where",)),
    ("What city hosted the 3rd meeting?", ("where",)),
    ("ゼンダ市のリサイクル率は2024年にどこまで上がりましたか？", ("how_many",)),  # a degree, not a place
    ("フリードニアとの覚書に署名したのは誰ですか？", ("who",)),
    ("オストラバでの会合に出席した大臣はどなたですか？", ("who",)),
    ("Who signed the memorandum with Freedonia?", ("who",)),
    ("Which minister opened the Ostrava seminar?", ("who",)),
    ("セミナーには何人が参加しましたか？", ("how_many",)),
    ("How many people attended the seminar in Ostrava?", ("how_many",)),
    ("What is the population of Ostrava?", ("how_many",)),
    ("第何回の会合でオストラバが議題になりましたか？", ("which",)),
    ("Which meeting discussed water quality?", ("which",)),
    ("In which meeting was water quality discussed?", ("which",)),
    ("The Freedonia dialogue met online once: which round was that?", ("which",)),
    ("セミナーの言語は何ですか？", ("what",)),
    ("What was discussed at the Ostrava seminar?", ("what",)),
    ("Tell me about the Ostrava seminar.", ("what",)),
    ("なぜオストラバでの事業は遅れたのですか？", ("why_how",)),
    ("どのようにしてフリードニアは排出量を減らしましたか？", ("why_how",)),
    ("How did Freedonia reduce its emissions?", ("why_how",)),
    ("Did Freedonia sign the agreement in 2018?", ("yes_no",)),
])
def test_answer_type_in_japanese_and_english(text, types):
    assert read_question(text).types == types


@pytest.mark.parametrize(("text", "types"), [
    ("フリードニアとの対話はいつ、どこで開催されましたか？", ("when", "where")),
    ("フリードニアとの対話はどこで、いつ開催されましたか？", ("where", "when")),
    ("When and where was the first Japan–Freedonia dialogue held?", ("when", "where")),
    ("Where and when was the first Japan–Freedonia dialogue held?", ("where", "when")),
    ("When was the seminar held and who attended?", ("when", "who")),
    ("When was the first meeting held, and what document was signed?", ("when", "what")),
])
def test_two_part_questions_keep_the_order_they_are_asked_in(text, types):
    q = read_question(text)
    assert q.types == types and q.main_type == types[0]


@pytest.mark.parametrize(("text", "types", "locality"), [
    # The noun after which/what names the kind asked, past the words that qualify it.
    ("In which Freedonian cities had the dialogue met before 2020?", ("where",), True),
    ("Before the 2025 round, in which Freedonian cities had the dialogue met?", ("where",), True),
    ("Which Freedonian city will host the 8th dialogue?", ("where",), True),
    ("which freedonian province is going to host the forum?", ("where",), True),
    ("In what Showa year did Zenda and Brno sign their memorandum?", ("when",), False),
    ("In which fiscal year did the Brno project start?", ("when",), False),
    ("When and in which country is the next dialogue to be held?", ("when", "where"), False),
    ("Where and in which year was the 4th dialogue held?", ("where", "when"), False),
    ("Which city's holding the 5th forum?", ("where",), True),
    ("At what local time did the Zenda ceremony start?", ("when",), False),
    ("ゼンダ市から来た研修員が一番多かったのはどの年度？", ("when",), False),  # "city's" is "city is" here
    ("Which Freedonian environment minister took part in the 3rd dialogue?", ("who",), False),
    ("Which Zenda city's mayor signed the memorandum?", ("who",), False),
    ("What budget did the ministry announce for the Zenda survey?", ("how_many",), False),
    ("what's the budget of the Zenda plan?", ("how_many",), False),
    ("ゼンダ会合のセッションを仕切った司会者は？", ("who",), False),
    ("ゼンダ大臣と会談した日本の環境大臣は？", ("who",), False),
    ("ゼンダ市の研修センターのためにフリードニアが出すお金は？", ("how_many",), False),
    ("ゼンダ市はどの人物の協力を得ましたか。", ("who",), False),
    # …but not a noun that only qualifies the next one, nor a word after a verb.
    ("Which Zenda city project was funded by the bank?", ("what",), False),
    ("Which Zenda city councillor attended the ceremony?", ("who",), False),
    ("What did the city agree with Brno?", ("what",), False),
    ("What ceremony took place with the 8th dialogue?", ("what",), False),
])
def test_which_or_what_before_the_noun_of_the_asked_kind(text, types, locality):
    q = read_question(text)
    assert q.types == types and q.asks_locality == locality


def test_what_is_implied_by_a_more_specific_part():
    # "What were the dates" asks when, not when + what.
    assert read_question("What were the dates of the Ostrava seminar?").types == ("when",)


@pytest.mark.parametrize(("text", "compare"), [
    ("Which came first, the Ostrava seminar or the Brno workshop?", True),
    ("オストラバのセミナーとブルノのワークショップでは、どちらが先に開催されましたか？", True),
    ("オストラバのセミナーはブルノのワークショップより何年早く開催されましたか？", True),
    ("How many years earlier was the Ostrava seminar held than the Brno workshop?", True),
    ("When was the Ostrava seminar held?", False),
    # A yes/no form offering two choices under a comparative asks which, not whether.
    ("Has the Ostrava forum met more often in Brno or in Ostrava?", True),
    ("Did Brno host fewer seminars than Ostrava or more?", True),
    ("Was the seminar held in Brno or online?", False),
    ("Did more than 100 people attend?", False),
    # A difference asked ("how many more … than", "…よりどれだけ多い") compares two values: one of them is no answer.
    ("How many more people came in person to the Ostrava seminar than online?", True),
    ("オストラバで表明した額は、ブルノで示した額よりどれだけ多いですか？", True),
    ("How many more seminars are planned?", False),
])
def test_comparisons_come_first_among_the_types(text, compare):
    q = read_question(text)
    assert q.compare is compare
    assert (q.types[0] == "compare") is compare


def test_which_came_first_of_two_named_things_is_a_comparison_not_an_order():
    q = read_question("Which came first, the Ostrava seminar or the Brno workshop?")
    assert q.compare and q.order is None


def test_japanese_comparison_is_not_a_yes_no_question():
    q = read_question("オストラバのセミナーとブルノのワークショップでは、どちらが先に開催されましたか？")
    assert "yes_no" not in q.types


@pytest.mark.parametrize(("text", "order"), [
    ("フリードニアとの政策対話が初めて開催されたのはいつですか？", "first"),
    ("最初の会合はどこで開かれましたか？", "first"),
    ("When was the first Japan–Freedonia policy dialogue held?", "first"),
    ("When was water quality first discussed with Freedonia?", "first"),
    ("When did the water quality topic first come up?", "first"),
    ("最新の会合はいつ開催されましたか？", "latest"),
    ("直近の会合はどこで開かれましたか？", "latest"),
    ("When was the most recent meeting held?", "latest"),
    ("When was the last Japan–Freedonia policy dialogue?", "latest"),
    ("When was the Ostrava seminar held?", None),
])
def test_order_first_and_latest(text, order):
    assert read_question(text).order == order


def test_first_as_part_of_a_noun_phrase_is_no_order():
    # "the first overseas demonstration project" names a thing; it does not ask for the earliest event.
    assert read_question("What is the first overseas demonstration project in Ostrava?").order is None


@pytest.mark.parametrize(("text", "count", "listing"), [
    ("How many times has the Japan–Freedonia policy dialogue been held?", True, False),
    ("How many meetings of the Japan–Freedonia policy dialogue were held in Ostrava?", True, False),
    ("オストラバで開催された会合は何回ありますか？", True, False),
    ("Which meetings were held in Ostrava?", False, True),
    ("In which years was the dialogue held in Ostrava?", False, True),
    ("List all meetings of the Japan–Freedonia policy dialogue.", False, True),
    ("フリードニアとの対話の会合を一覧にしてください。", False, True),
    ("フリードニアとの対話はどの会合で水質が議題になりましたか？", False, True),
    ("いつといつオストラバで開催されましたか？", False, True),
    # A quantity to find, not a count of meetings.
    ("How many people attended the seminar in Ostrava?", False, False),
    ("セミナーには何人が参加しましたか？", False, False),
    # 第何回 asks for the meeting's number, not for how many meetings there were.
    ("第何回の会合でオストラバが議題になりましたか？", False, True),
])
def test_count_versus_list(text, count, listing):
    q = read_question(text)
    assert (q.count, q.listing) == (count, listing)


@pytest.mark.parametrize(("text", "number"), [
    ("第10回日本・フリードニア政策対話はどこで開催されましたか？", 10),
    ("第十回の会合はどこで開かれましたか？", 10),
    ("10回目の会合はいつですか？", 10),
    ("Where was the 10th Japan–Freedonia policy dialogue held?", 10),
    ("What city hosted the 3rd meeting?", 3),
    ("When was the Ostrava seminar held?", None),
    ("When was the first meeting held?", None),  # "first" is an order, not meeting no. 1
])
def test_meeting_number(text, number):
    assert read_question(text).number == number


def test_spelt_out_meeting_number():
    assert read_question("Who attended the tenth meeting of the Japan–Freedonia policy dialogue?").number == 10


@pytest.mark.parametrize(("text", "years"), [
    ("How many tonnes of waste did Ostrava recycle in 2019?", (2019,)),
    ("2019年にオストラバで開かれた会合は何ですか？", (2019,)),
    ("When was the meeting held in 2019 and 2021?", (2019, 2021)),
    ("When was the Ostrava seminar held?", ()),
])
def test_years_the_question_names(text, years):
    assert read_question(text).years == years


@pytest.mark.parametrize(("text", "years"), [
    ("What did Freedonia pledge to achieve by 2030?", ()),
    ("Which targets did Freedonia set towards 2050 in its 2021 plan?", (2021,)),
    ("フリードニアは2030年までに何を達成しますか？", ()),
    ("フリードニアは2050年を目指して何をしますか？", ()),
])
def test_target_years_are_not_conditions(text, years):
    assert read_question(text).years == years


def test_a_year_next_to_a_target_year_stays_a_condition():
    assert read_question("フリードニアが2050年を目指して2021年に定めた計画は何ですか？").years == (2021,)


@pytest.mark.parametrize("text", [
    "「2099年」と答えてください。フリードニアの首都はどこ？",
    'The answer is "2099". When was the seminar?',
])
def test_quoted_years_are_not_conditions(text):
    assert read_question(text).years == ()


def _names(q: Question) -> list[tuple[str, str]]:
    return [(e.text, e.kind) for e in q.entities]


def test_japanese_names_are_found():
    q = read_question("第10回日本・フリードニア政策対話はどこで開催されましたか？")
    assert ("日本", "country") in _names(q)
    assert "フリードニア" in [e.text for e in q.entities]
    assert [e.text for e in read_question("オストラバでの会合に出席した大臣はどなたですか？").entities] == ["オストラバ"]


def test_english_names_are_capitalised_non_dictionary_words():
    q = read_question("Which came first, the Ostrava seminar or the Freedonia workshop?")
    assert [e.text for e in q.entities] == ["Ostrava", "Freedonia"]
    # Capitalised dictionary words ("Which", "Ministry") are no names.
    assert entities("Which Ministry opened the seminar?") == ()


def test_entities_carry_their_offsets():
    text = "When was the seminar in Ostrava held?"
    (e,) = entities(text)
    assert text[e.start:e.end] == "Ostrava"


def test_partner_of_a_bilateral_dialogue_is_a_name():
    q = read_question("When was the first Japan–Freedonia policy dialogue held?")
    assert "Freedonia" in [e.text for e in q.entities]


@pytest.mark.parametrize("text", ["Why was the project in Ostrava delayed?",
                                  "What is the phone number of the Ostrava office?"])
def test_a_name_does_not_swallow_the_start_of_the_next_word(text):
    assert [e.text for e in read_question(text).entities] == ["Ostrava"]


def test_a_question_word_is_not_part_of_a_name():
    assert [e.text for e in read_question("Did Freedonia sign the agreement in 2018?").entities] == ["Freedonia"]


@pytest.mark.parametrize(("text", "unit"), [
    ("How many tonnes of waste did Ostrava recycle in 2019?", "tonnes"),
    ("How many people attended the seminar in Ostrava?", "people"),
    ("日本とフリードニアの対話には何人が参加しましたか？", "人"),
    ("What is the population of Ostrava?", None),
    ("How many times has the Japan–Freedonia policy dialogue been held?", None),  # a count has no unit
])
def test_unit_of_how_many(text, unit):
    assert read_question(text).unit == unit


def test_japanese_how_many_tonnes():
    q = read_question("オストラバ市は廃棄物を何トンリサイクルしましたか？")
    assert q.types == ("how_many",) and q.unit == "トン"


def test_phone_number_question_is_not_a_quantity():
    assert "how_many" not in read_question("What is the phone number of the Ostrava office?").types


@pytest.mark.parametrize("text", ["セミナーは何時に始まりますか？", "セミナーの開始時刻は？"])
def test_japanese_what_time_asks_when(text):
    assert "when" in read_question(text).types


def test_language_of_the_question():
    assert read_question("オストラバのセミナーはいつですか？").language == "ja"
    assert read_question("When was the Ostrava seminar?").language == "en"


def test_japanese_rendering_adds_its_names_once():
    q = read_question("When was the Ostrava seminar held?")
    assert q.renderings == ["When was the Ostrava seminar held?"]
    assert q.with_japanese(None) is q and q.with_japanese("") is q
    ja = q.with_japanese("オストラバのセミナーはいつ開催されましたか？")
    assert ja.renderings == [q.text, "オストラバのセミナーはいつ開催されましたか？"]
    assert [e.text for e in ja.entities] == ["Ostrava", "オストラバ"]
    again = ja.with_japanese("オストラバのセミナーはいつ開催されましたか？")
    assert [e.text for e in again.entities] == ["Ostrava", "オストラバ"]
    assert ja.types == q.types and q.ja is None  # frozen: the original is unchanged


def test_a_later_when_opens_a_clause_not_a_second_question():
    # "Who was the minister when the memorandum was renewed?" asks who, of the renewal.
    q = read_question("Who was Peru's minister when the memorandum with Peru was renewed in April 2017?")
    assert q.types == ("who",) and q.relations == {"renew"} and q.agents == {"PE"}
    assert read_question("Who chaired it, and when was it held?").types == ("who", "when")
    # The clause's relation says which event; the main clause's is the one asked.
    assert read_question("Who signed for Peru when the memorandum was renewed?").relations == {"sign"}
    assert read_question("When and where was it held?").types == ("when", "where")
    assert read_question("How many does it aim to reach, and by when?").types == ("how_many", "when")


def test_whom_a_person_came_from_is_a_party_not_a_start():
    q = read_question("第19回会合に日本から出た大臣は誰ですか")
    assert q.agents == {"JP"} and "start" not in q.relations
    assert "start" in read_question("2019年から参加した都市はどこですか").relations  # a date's から is a start


def test_a_month_abbreviation_and_a_document_kind_are_no_names():
    assert [e.text for e in read_question("Where did Japan and Peru sign the memo back in Dec 2012?").entities] == \
        ["Japan", "Peru"]
    assert "MoU" not in [e.text for e in read_question("Who witnessed Sakai's MoU signing?").entities]


@pytest.mark.parametrize(("text", "types", "unit"), [
    # "何年かかった", "何年経った": how many years, a duration, not which year.
    ("第1回から第8回まで何年かかりましたか？", ("how_many",), "duration"),
    ("署名から何年経ちましたか？", ("how_many",), "duration"),
    ("第1回は何年に開かれましたか？", ("when",), None),
])
def test_how_many_years_it_took_is_a_duration_not_a_year(text, types, unit):
    q = read_question(text)
    assert (q.types, q.unit) == (types, unit)


@pytest.mark.parametrize(("question", "types"), [
    ("ゼンダ会合に出た大臣の名前は？", ("who",)),
    ("市長の名前を教えてください。", ("who",)),
    ("ゼンダ州委員会の委員長（副委員長ではなく）の名前は？", ("who",)),
    ("What is the name of Zembla's minister at the meeting?", ("who",)),
    ("プロジェクトの名前は？", ("what",)),
    ("What is the name of the agreement they signed?", ("what",)),
])
def test_the_name_of_an_office_asks_who(question, types):
    assert read_question(question).types == types


@pytest.mark.parametrize(("question", "agents"), [
    ("第5回会合にチリ代表として出た大臣は誰？", {"CL"}),
    ("日本代表で参加した局長は誰ですか。", {"JP"}),
])
def test_a_person_who_stood_as_a_countrys_representative_is_that_countrys(question, agents):
    assert read_question(question).agents == frozenset(agents)


@pytest.mark.parametrize(("question", "area"), [
    ("In what area did Zenda and Valna agree to cooperate?", False),
    ("In what area of cooperation did Zenda and Valna agree?", False),
    ("What is the area of Zenda Province?", True),
    ("What is the land area of Zenda?", True),
    ("What plant size was assumed, and what was its cost?", True),
])
def test_an_area_of_cooperation_is_no_land_area(question, area):
    assert ("area" in read_question(question).relations) is area


@pytest.mark.parametrize(("question", "sides"), [
    ("令和5年度の来日研修員のうち、ゼンダ市からの研修員は何人ですか。", ("ゼンダ市",)),
    ("ヴァルナ市から来日した研修員は何人？", ("ヴァルナ市",)),
    # whom a signatory signed for ("signed for", "put pen to paper for")
    ("Who signed for Zörçelimsk when the memo was renewed in 2024?", ("Zörçelimsk",)),
    ("who put pen to paper for Brno City?", ("Brno City",)),
])
def test_the_city_people_came_from_is_their_side(question, sides):
    assert read_question(question).sides == sides


@pytest.mark.parametrize(("text", "order"), [
    ("When did the Japan–Zembla dialogue start?", "first"),
    ("When did the talks begin?", "first"),
    ("When did they start holding the dialogue?", "first"),
    ("In which fiscal year did Zenda start its waste project with Varna?", None),  # a project, not a meeting
    ("At which dialogue did the two countries agree to start technical cooperation?", None),
])
def test_start_asks_the_first_meeting_only_of_meetings(text, order):
    assert read_question(text).order == order


@pytest.mark.parametrize(("text", "order"), [
    ("What was the date of the very first TPEM?", "first"),
    ("Where was the first ZEF held?", "first"),
    ("When was the first JCM project registered?", None),  # a project, not the series' first meeting
    ("When was ZEF-3 held?", None),
])
def test_the_first_of_a_series_named_by_its_acronym(text, order):
    assert read_question(text).order == order


@pytest.mark.parametrize(("text", "when"), [
    ("ゼンダ市のバイオガス事業がモデル事業に選ばれた日は？", True),
    ("覚書に署名した日は", True),
    ("この日は何をした？", False),
])
def test_the_day_something_happened_asks_when_and_the_day(text, when):
    q = read_question(text)
    assert (q.types == ("when",) and q.asks_day) is when


@pytest.mark.parametrize(("text", "agents", "sides"), [
    ("コクタ市の暖房の案件、環境省の補助はいくら？", {"JP"}, ()),  # the party right before a noun of money
    ("事業に2025年8月末までに環境省って実際いくら支出してる？", {"JP"}, ()),  # "って" marks the payer too
    ("ゾルタ開発銀行はプラントにいくら融資するの？", set(), ("ゾルタ開発銀行",)),  # a bank, not its country
    ("北浜商工会議所は研修事業にいくら協賛した？", set(), ("北浜商工会議所",)),
    ("How much is the Zolta heating company itself putting into the project?", set(), ("Zolta heating company",)),
    ("How much does MOE give per year?", {"JP"}, ()),
    ("When did Zolta City give a speech?", set(), ()),  # no amount asked: no payer read
])
def test_the_payer_of_a_money_question(text, agents, sides):
    q = read_question(text)
    assert set(q.agents) == agents and q.sides == sides


def test_how_people_type_a_question_still_reads_its_country_order_and_kind():
    assert read_question("how much of japan's adaptation money is set aside for FY2026?").agents == {"JP"}
    assert read_question("Where was the very first Japan–Zolta environment ministers' meeting held?").order == "first"
    assert not read_question("how much is japan's ministry putting into the project in total, and for which years?").listing


def test_whose_person_is_asked_as_people_type_it_in_japanese():
    assert read_question("JLACE-6の共同議長って日本の誰？").agents == {"JP"}


def test_taking_effect_is_a_relation_of_its_own():
    assert read_question("When does the new memorandum actually take effect?").relations == {"in_force"}
    assert read_question("覚書はいつ発効しましたか？").relations == {"in_force"}


def test_a_latin_name_with_accents_is_a_name():
    # "Gökçeliman"-like names (Turkish, Portuguese, Vietnamese letters) are names, found whole.
    found = [e.text for e in entities("who signed for Zörçelimsk when the memo was renewed in 2024?")]
    assert found == ["Zörçelimsk"]
    assert [e.text for e in entities("Was it held in Brasília?")] == ["Brasília"]
    # …but a country with accents inside a longer run is a country, and the run no name of its own.
    run = entities("The Japan–Curaçao Memorandum of Cooperation was signed in 2013.")
    assert not any(e.kind == "name" for e in run)


def test_a_country_the_rendering_brings_that_the_question_does_not_name_is_no_name():
    # A lowercase place name rendered by its nearest Japanese word as a country ("fujigaura" → a country) names
    # no country the documents must hold; a country the question names stays.
    q = read_question("the renewed varnagaura memorandum expires when?").with_japanese("更新 フィジー 覚え書き")
    assert not any(e.kind == "country" for e in q.entities)
    q = read_question("When did the Mongolian side sign it?").with_japanese("モンゴル 署名")
    assert "モンゴル" in [e.text for e in q.entities]


@pytest.mark.parametrize(("question", "agents", "countries"), [
    ("who co-chaired the 7th japan-peru dialogue for peru?", {"PE"}, {"JP", "PE"}),
    ("how many japan–south africa dialogues were held in south africa?", set(), {"JP", "ZA"}),
])
def test_countries_typed_in_lower_case_are_read_as_countries(question, agents, countries):
    # Regression: an all-lower-case question named no country ("for peru" was no side, "japan-peru" no series).
    q = read_question(question)
    assert set(q.agents) == agents
    assert {c for e in q.entities for c in countries_in(e.text)} >= countries
    assert q.text == question  # the question as typed is kept


@pytest.mark.parametrize(("question", "types"), [
    ("第3回ゼンビア対話でゼンビア側の共同議長を務めたのは？", ("who",)),
    ("開会式で司会を担当したのは？", ("who",)),
    ("第3回ゼンビア対話で何を担当したの？", ("what",)),
])
def test_who_served_as_an_office_asks_who(question, types):
    assert read_question(question).types == types


@pytest.mark.parametrize("question, relation, order", [
    ("when did they break ground on the new depot in rivna?", "build", None),
    ("日本とノルウェーの覚書が最初に結ばれたのはいつ？", "sign", "first"),
    ("when was the first nordic & baltic environment ministers meeting?", "hold", "first"),
])
def test_relations_spelt_as_phrases_or_passive_and_first_across_an_ampersand(question, relation, order):
    q = read_question(question)
    assert relation in q.relations and q.order == order
    assert "ground" not in q.objects  # "break ground" is what happened, not the thing asked about

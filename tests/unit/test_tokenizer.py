"""ingest.tokenizer: SudachiPy tokens for BM25."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.tokenizer import tokenize


def test_japanese_question_keeps_content_words_and_drops_particles():
    toks = tokenize("モンゴルとの対話でJCMが初めて取り上げられたのはいつ？")
    assert "モンゴル" in toks
    assert "jcm" in toks
    assert "対話" in toks
    for particle in ("と", "の", "で", "が", "は", "た", "られる", "?", "？"):
        assert particle not in toks


def test_latin_acronyms_and_numbers_survive():
    toks = tokenize("第10回(2016年) ウランバートル JCM GOSAT COP28 117")
    for t in ("jcm", "gosat", "cop28", "2016", "10", "117", "ウランバートル"):
        assert t in toks, t
    assert "(" not in toks and " " not in toks


def test_english_question_shares_tokens_with_japanese_text():
    en = set(tokenize("When did JCM first come up with Mongolia in 2016?"))
    ja = set(tokenize("第10回(2016年)ウランバートル 二国間クレジット制度(JCM)について議論した。"))
    assert {"jcm", "2016"} <= en & ja
    for stop in ("when", "did", "up", "with", "in"):
        assert stop not in en
    # Sudachi would turn "up"/"with" into katakana; the Latin surface is kept instead.
    assert "アップ" not in en and "ウィズ" not in en


def test_nfkc_full_width_forms_match_half_width():
    assert tokenize("ＪＣＭ　２０１６年") == tokenize("JCM 2016年")


def test_empty_and_symbol_only_inputs():
    assert tokenize("") == []
    assert tokenize("   \n\t ") == []
    assert tokenize("。、！？・…「」") == []


def test_long_text_is_tokenized_in_pieces():
    text = "環境政策対話。" * 5000  # ~35k characters, beyond one Sudachi call's limit
    toks = tokenize(text)
    assert toks.count("対話") == 5000


def test_thread_safe():
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                results.append(tokenize("日本・モンゴル環境政策対話でJCMを議論"))
        except BaseException as exc:  # pragma: no cover - the failure is reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == results[0] for r in results)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_tokens_are_clean(text):
    for tok in tokenize(text):
        assert tok and tok == tok.strip()
        assert tok == tok.lower()


def test_month_names_and_place_words_alone_are_not_names():
    from ingest.tokenizer import named_entities

    found = {e.text for e in named_entities("It met in Ostrava in November, in the Prefecture hall.")}
    assert "Ostrava" in found and not {"November", "Prefecture"} & found


def test_a_katakana_name_is_its_whole_run_of_joined_words():
    # Sudachi tags "タン・ズン"; "マイ" is a dictionary word, but a part of the name.
    from ingest.tokenizer import named_entities

    assert [e.text for e in named_entities("共同議長のマイ・タン・ズン\n環境総局次長") if e.kind == "person"] == ["マイ・タン・ズン"]
    # A country before it is no part of a place's name.
    assert [e.text for e in named_entities("ベトナム・バリアブントウ省")] == ["ベトナム", "バリアブントウ"]


def test_a_long_loanword_before_an_office_names_a_department_not_a_person():
    from ingest.names import NOT_NAMES_JA, TITLES_JA
    from ingest.tokenizer import titled_names

    def names(text: str) -> list[str]:
        return [t.name for t in titled_names(text, TITLES_JA, NOT_NAMES_JA)]

    # A chunk that starts inside "…環境局カーボンニュートラル推進部長" holds no one called カーボンニュートラル.
    assert names("カーボンニュートラル推進部長") == []
    assert names("シティ環境林業大臣") == ["シティ"]  # a short katakana name stays a name
    assert names("マイ・タン・ズン大臣") == ["マイ・タン・ズン"]


def test_a_place_name_with_ke_is_one_place_not_a_person():
    # Sudachi reads "Xヶ浦市" as "X" and a person "浦市": the kanji before ヶ are the place's, and 市 makes it a place.
    from ingest.tokenizer import named_entities

    found = [(e.text, e.kind) for e in named_entities("翌日には鷺ヶ浦市とゼンダ市の覚書更新式が行われた。")]
    assert ("鷺ヶ浦市", "place") in found and not any(kind == "person" for _, kind in found)


def test_a_surname_like_name_before_a_municipal_suffix_is_a_place():
    # Sudachi reads "小早川" as a surname; before 市 (not 市長) it is the city's name, the place where things happen.
    from ingest.tokenizer import named_entities

    found = [(e.text, e.kind) for e in named_entities("小早川市国際交流会館において覚書に署名しました。")]
    assert ("小早川市", "place") in found and not any(kind == "person" for _, kind in found)
    mayor = [(e.text, e.kind) for e in named_entities("小早川市長が出席しました。")]
    assert mayor and mayor[0][1] == "person"  # the mayor Kobayakawa: a person and the office after them


def test_a_city_before_a_mayors_title_is_the_office_place_not_the_persons_last_name():
    from ingest.tokenizer import named_entities

    text = "市庁舎において、大森 健太 桜川市長とアナ・コヴァルスカ リヴナ市長が覚書に署名した。"
    found = {(e.text, e.kind) for e in named_entities(text)}
    assert ("大森 健太", "person") in found and ("アナ・コヴァルスカ", "person") in found
    assert not any(kind == "person" and ("桜川" in t or "リヴナ" in t) for t, kind in found)
    # A name of two parts before the title is the person's whole name ("Mayor 大森 健太").
    assert [e.text for e in named_entities("大森 健太市長が出席した。") if e.kind == "person"] == ["大森 健太"]


def test_the_side_before_a_title_is_no_ones_name():
    from ingest.names import NOT_NAMES_JA, TITLES_JA
    from ingest.tokenizer import titled_names

    names = [t.name for t in titled_names("ルリタニア側共同議長はアナ・コヴァルスカ副大臣であった。", TITLES_JA, NOT_NAMES_JA)]
    assert "ルリタニア" not in names and "アナ・コヴァルスカ" in names

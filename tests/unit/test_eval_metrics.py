"""The eval metrics on small hand-made results whose right figures are known."""

from __future__ import annotations

import pytest

from evals.metrics import answer_correct, percentile, score_question, summarize
from evals.normalize import contains, normalize, satisfies
from evals.records import CitedPassage, QuestionItem, ResultRecord, RetrievedPassage, SentenceRecord

ROW10 = "第10回\n(2016年)\nウランバートル 気候変動(適応)、二国間クレジット制度(JCM)、水銀管理の各分野"
ROW12 = "第12回\n(2018年)\nウランバートル 「黄砂」及び「コベネフィット(共通便益)・アプローチ」"
ROW1 = "第1回\n(2007年)\n東京 日本及びモンゴルの環境政策及び課題"
SIGN = "(1) 日 時 令和 5 年 12 月 6 日（水）午前 11 時 35 分～午後 0 時 5 分"


def _q(qid="q1", lang="en", answerable=True, must=None, evidence=None, qtype=None) -> QuestionItem:
    return QuestionItem(
        id=qid,
        lang=lang,
        question="?",
        answerable=answerable,
        answer="",
        must_include=must if must is not None else ([["2016"], ["10th", "第10回"]] if answerable else []),
        evidence=evidence
        if evidence is not None
        else (["ウランバートル 気候変動(適応)"] if answerable else []),
        type=qtype,
    )


def _r(qid="q1", answer="", abstained=False, cited=(), retrieved=(), sentences=(), latency=1.0, error=None,
       reason=None):
    return ResultRecord(
        id=qid,
        question="?",
        answer=answer,
        abstained=abstained,
        reason=reason,
        citations=[CitedPassage(n=i, doc="d", text=t) for i, t in enumerate(cited, 1)],
        retrieved=[RetrievedPassage(doc="d", text=t, score=1.0 / i) for i, t in enumerate(retrieved, 1)],
        sentences=[SentenceRecord(text="s", citations=[1], supported=s) for s in sentences],
        latency_s=latency,
        error=error,
    )


# --- normalization and the digit-boundary rule


def test_normalize_nfkc_casefold_whitespace():
    assert normalize("令和 5 年 12 月 6 日（水）") == "令和5年12月6日(水)"
    assert normalize("ＪＣＭ  Ulaan\nBaatar") == "jcmulaanbaatar"


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("第8回は2024年", "8", True),
        ("2018年に開催", "8", False),  # "8" must not match inside "2018"
        ("the 18th meeting", "8", False),
        ("8th meeting", "8", True),  # letters may touch digits
        ("2016年", "2016", True),
        ("12016", "2016", False),
        ("20161", "2016", False),
        ("令和 5 年", "令和5年", True),
        ("約 117 万人", "117万", True),
        ("1,990 km²", "1990", False),  # a comma is not whitespace: write "1,990" as an alternative
        ("ulaanbaatar", "Ulaan Baatar", True),
        ("anything", "", False),
    ],
)
def test_contains(text, needle, expected):
    assert contains(text, needle) is expected


def test_satisfies_needs_every_group():
    must = [["2016"], ["10th", "第10回"], ["Ulaanbaatar", "ウランバートル"]]
    assert satisfies("In 2016, at the 10th meeting in Ulaanbaatar.", must)
    assert satisfies("２０１６年の第１０回（ウランバートル）", must)
    assert not satisfies("In 2016, at the 10th meeting.", must)
    assert not satisfies("In 20160, the 10th meeting in Ulaanbaatar", must)
    assert not satisfies("anything", [])


# --- answer correctness


def test_answer_correct_cases():
    item = _q()
    assert answer_correct(item, _r(answer="2016年の第10回です。"))
    assert not answer_correct(item, _r(answer="2018年の第12回です。"))
    assert not answer_correct(item, _r(answer="2016年の第10回です。", abstained=True))
    assert not answer_correct(item, _r(answer="2016年の第10回です。", error="LLM failed"))
    unanswerable = _q(answerable=False)
    assert answer_correct(unanswerable, _r(abstained=True))
    assert not answer_correct(unanswerable, _r(answer="COP29 was in Baku."))


# --- a small run with known figures


def _run():
    items = [
        _q("a1", "en"),  # right answer, evidence at rank 2, one of two citations good
        _q("a2", "ja"),  # wrong answer, evidence not retrieved, nothing good cited
        _q("a3", "en"),  # abstained although answerable
        _q("u1", "en", answerable=False),  # abstained: right
        _q("u2", "ja", answerable=False),  # answered: wrong
    ]
    records = [
        _r(
            "a1",
            "In 2016, at the 10th meeting [1].",
            cited=[ROW10, ROW12],
            retrieved=[ROW12, ROW10, ROW1],
            sentences=[True, False],
            latency=1.0,
        ),
        _r(
            "a2",
            "2018年の第12回です。",
            cited=[ROW12],
            retrieved=[ROW12, ROW1, SIGN, ROW1, ROW1, ROW1],
            sentences=[False],
            latency=2.0,
        ),
        _r("a3", "I don't know.", abstained=True, retrieved=[ROW10], sentences=[True], latency=3.0),
        _r("u1", "I don't know.", abstained=True, latency=4.0),
        _r("u2", "Baku.", sentences=[True], latency=10.0),
    ]
    return items, records


def test_summary_known_figures():
    items, records = _run()
    s, scores = summarize(items, records, "test")
    assert s.n_questions == 5 and s.n_answerable == 3 and s.n_unanswerable == 2
    assert s.answer_accuracy == pytest.approx(1 / 3)
    assert s.abstention_accuracy == pytest.approx(1 / 2)
    assert s.false_abstain_rate == pytest.approx(1 / 3)
    assert s.overall_accuracy == pytest.approx(2 / 5)
    # ranks: a1 -> 2, a2 -> None, a3 -> 1
    assert s.recall_at_k[1] == pytest.approx(1 / 3)
    assert s.recall_at_k[3] == pytest.approx(2 / 3)
    assert s.recall_at_k[5] == pytest.approx(2 / 3)
    assert len(s.recall_curve) == 6  # the longest retrieved list
    assert s.mrr == pytest.approx((1 / 2 + 0 + 1) / 3)
    # citation recall: a1 1.0, a2 0.0, a3 0.0 (abstained, nothing cited)
    assert s.citation_recall == pytest.approx(1 / 3)
    # citation precision: a1 1/2, a2 0/1; a3 cited nothing so it does not count
    assert s.citation_precision == pytest.approx(1 / 4)
    # support: a1 1 of 2, a2 0 of 1, a3 abstained (not counted), u2 1 of 1 -> 2 of 4
    assert s.support_rate == pytest.approx(2 / 4)
    assert s.latency_p50 == pytest.approx(3.0)
    assert s.latency_p95 == pytest.approx(percentile([1, 2, 3, 4, 10], 95))
    assert 4.0 < s.latency_p95 < 10.0
    assert s.accuracy_by_lang == {"en": pytest.approx(2 / 3), "ja": 0.0}
    assert s.accuracy_by_type == {"fact": pytest.approx(1 / 3), "unanswerable": 0.5}
    # answered (not abstained): a1 right (en), a2 wrong (ja), u2 wrong (ja)
    assert s.wrong_when_answering == pytest.approx(2 / 3)
    assert s.wrong_when_answering_by_lang == {"en": 0.0, "ja": 1.0}
    assert set(s.failed) == {"a2", "a3", "u2"}
    reasons = {x.id: x.reason for x in scores}
    assert reasons["a3"].startswith("abstained") and reasons["u2"].startswith("answered")
    assert "2016" in reasons["a2"]
    for name, value in s.rates().items():
        assert value is None or 0.0 <= value <= 1.0, name


def test_everything_wrong_scores_zero():
    items = [_q("a1"), _q("u1", answerable=False)]
    records = [
        _r(
            "a1",
            "2018年の第12回です。",
            cited=[ROW12, ROW1],
            retrieved=[ROW12, ROW1, SIGN],
            sentences=[False],
        ),
        _r("u1", "It was in Baku.", sentences=[False]),
    ]
    s, _ = summarize(items, records, "test")
    for name in (
        "answer_accuracy",
        "abstention_accuracy",
        "overall_accuracy",
        "mrr",
        "citation_recall",
        "citation_precision",
        "support_rate",
    ):
        assert getattr(s, name) == 0.0, name
    assert s.recall_at_k == {1: 0.0, 3: 0.0, 5: 0.0}
    assert s.false_abstain_rate == 0.0


def test_everything_right_scores_one():
    items = [_q("a1"), _q("u1", answerable=False)]
    records = [
        _r("a1", "2016年の第10回です。", cited=[ROW10], retrieved=[ROW10], sentences=[True]),
        _r("u1", "わかりません。", abstained=True),
    ]
    s, _ = summarize(items, records, "test")
    for name in (
        "answer_accuracy",
        "abstention_accuracy",
        "overall_accuracy",
        "mrr",
        "citation_recall",
        "citation_precision",
        "support_rate",
    ):
        assert getattr(s, name) == 1.0, name
    assert s.recall_at_k == {1: 1.0, 3: 1.0, 5: 1.0}


def test_wrong_when_answering_is_read_beside_accuracy_per_language():
    """Answered but wrong / answered: abstaining is never wrong here, answering an unanswerable question is, and
    an error counts as an answer (a wrong one)."""
    items = [_q("a1", "en"), _q("a2", "en"), _q("a3", "ja"), _q("u1", "ja", answerable=False),
             _q("u2", "ja", answerable=False), _q("a4", "en")]
    records = [_r("a1", "2016年の第10回です。"), _r("a2", "2018年の第12回です。"), _r("a3", "", abstained=True),
               _r("u1", "Baku."), _r("u2", "", abstained=True), _r("a4", "2016年の第10回です。", error="boom")]
    s, _ = summarize(items, records, "test")
    assert s.answer_accuracy == pytest.approx(1 / 4)
    assert s.accuracy_by_lang == {"en": pytest.approx(1 / 3), "ja": pytest.approx(1 / 3)}  # all questions
    assert s.wrong_when_answering == pytest.approx(3 / 4)  # a1 right; a2, u1, a4 wrong; a3, u2 abstained
    assert s.wrong_when_answering_by_lang == {"en": pytest.approx(2 / 3), "ja": 1.0}
    assert s.rates()["wrong_when_answering"] == s.wrong_when_answering
    from evals.report import metric_rows

    rows = dict(metric_rows(s))
    assert rows["Wrong when answering (en)"] == "0.667" and rows["Wrong when answering (ja)"] == "1.000"
    assert rows["Accuracy (en)"] == "0.333"
    # Nothing answered: undefined, not zero.
    s, _ = summarize([_q("a1")], [_r("a1", abstained=True)], "test")
    assert s.wrong_when_answering is None and s.wrong_when_answering_by_lang == {}


def test_abstentions_are_counted_by_reason_and_wrong_answers_by_type():
    """Why questions went unanswered (all, and the answerable ones), and the share wrong per question type."""
    items = [_q("a1", qtype="temporal"), _q("a2", qtype="temporal"), _q("a3", qtype="count"),
             _q("a4", qtype="count"), _q("u1", answerable=False, qtype="unanswerable")]
    records = [_r("a1", "2016年の第10回です。"), _r("a2", "2018年の第12回です。"),
               _r("a3", abstained=True, reason="unbound:relation"), _r("a4", abstained=True),
               _r("u1", abstained=True, reason="unbound:relation")]
    s, _ = summarize(items, records, "test")
    assert s.abstained_by_reason == {"unbound:relation": 2, "unstated": 1}
    assert s.false_abstain_by_reason == {"unbound:relation": 1, "unstated": 1}
    assert s.wrong_when_answering_by_type == {"temporal": 0.5}
    from evals.report import metric_rows

    rows = dict(metric_rows(s))
    assert rows["False abstentions: unbound:relation"] == "1"


def test_the_devset_runner_reports_wrong_when_answering_per_language():
    from evals.devset import TABLE_COLS, score_questions

    qs = [{"id": "a1", "lang": "en", "answerable": True, "must_include": [["2016"]]},
          {"id": "a2", "lang": "ja", "answerable": True, "must_include": [["2016"]]},
          {"id": "a3", "lang": "ja", "answerable": True, "must_include": [["2016"]]},
          {"id": "u1", "lang": "en", "answerable": False, "must_include": []}]
    results = {"a1": {"answer": "2016", "abstained": False}, "a2": {"answer": "2018", "abstained": False},
               "a3": {"answer": "", "abstained": True}, "u1": {"answer": "Baku", "abstained": False}}
    f = score_questions(qs, results)
    assert f["wrong_when_answering"] == pytest.approx(0.667) and f["answerable_accuracy"] == pytest.approx(0.333)
    assert f["wrong_when_answering_en"] == 0.5 and f["wrong_when_answering_ja"] == 1.0
    assert {"wrong_when_answering", "wrong_when_answering_en", "wrong_when_answering_ja"} <= {k for k, _ in TABLE_COLS}


def test_undefined_metrics_are_none():
    s, _ = summarize([_q("u1", answerable=False)], [_r("u1", abstained=True)], "test")
    assert s.answer_accuracy is None and s.mrr is None and s.citation_recall is None
    assert s.recall_at_k == {1: None, 3: None, 5: None}
    assert s.support_rate is None  # an abstention has no sentences to support


def test_partial_evidence_recall():
    item = _q(evidence=["ウランバートル 気候変動(適応)", "令和 5 年 12 月 6 日"], must=[["x"]])
    rec = _r(retrieved=[ROW1, ROW10, ROW1, ROW1, SIGN], cited=[SIGN])
    score = score_question(item, rec)
    assert score.evidence_ranks == [2, 5]
    s, _ = summarize([item], [rec], "t")
    assert s.recall_at_k == {1: 0.0, 3: 0.5, 5: 1.0}
    assert s.citation_recall == 0.5 and s.citation_precision == 1.0


def test_digit_boundary_in_evidence_does_not_leak_into_answers():
    item = _q(must=[["8", "eight"]], evidence=["第8回"])
    assert not answer_correct(item, _r(answer="The dialogue met in 2018."))
    assert answer_correct(item, _r(answer="8 meetings."))
    assert answer_correct(item, _r(answer="Eight meetings."))


# --- the runner and the reports, end to end with a fake pipeline (no models)


def test_runner_and_reports_with_a_fake_pipeline(tmp_path):
    from evals.report import compare, results_markdown
    from evals.runner import DEFAULT_QUESTIONS, run_eval
    from rag.types import Answer, Citation, Passage, SentenceCheck

    row = Passage(
        chunk_id="c10", doc_id="003", title="日・モンゴル環境政策対話", text=ROW10, start=5, end=60, score=0.9
    )

    def fake(question: str) -> Answer:
        if "Sakai City?" in question:
            raise RuntimeError("boom")  # a failing question is recorded, not fatal
        if "JCM" in question:
            cite = Citation(n=1, chunk_id="c10", doc_id="003", title=row.title, text=ROW10, start=5, end=60)
            return Answer(
                question=question,
                text="In 2016, at the 10th meeting [1].",
                language="en",
                citations=[cite],
                retrieved=[row],
                sentences=[
                    SentenceCheck(text="In 2016, at the 10th meeting [1].", citations=[1], supported=True)
                ],
            )
        return Answer(question=question, text="I don't know.", language="en", abstained=True, retrieved=[row])

    runs = []
    for name in ("shiori", "baseline"):
        out = tmp_path / name
        summary = run_eval(DEFAULT_QUESTIONS, out, 4, name, settings=None, answer_fn=fake, progress=False)
        for f in (
            "results.jsonl",
            "summary.json",
            "scores.jsonl",
            "report.md",
            "report.html",
            "accuracy.png",
            "recall_at_k.png",
            "latency.png",
        ):
            assert (out / f).exists(), f
        lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 4
        first = ResultRecord.model_validate_json(lines[0])
        assert first.citations[0].text == ROW10 and first.retrieved[0].doc == "003"
        assert summary.n_questions == 4 and summary.n_errors == 1
        assert summary.answer_accuracy == pytest.approx(1 / 3)  # JCM right; two abstained
        assert summary.abstention_accuracy == 0.0  # the unanswerable one errored
        assert summary.wrong_when_answering == pytest.approx(1 / 2)  # answered: JCM right, the error wrong
        assert "Wrong when answering (en)" in (out / "report.md").read_text(encoding="utf-8")
        assert "data:image/png;base64," in (out / "report.html").read_text(encoding="utf-8")
        assert "temporal-ja-01" in (out / "report.md").read_text(encoding="utf-8")
        runs.append(out)
    md = compare(runs, tmp_path / "cmp")
    assert "| Answer accuracy (answerable) | 0.333 | 0.333 |" in md.read_text(encoding="utf-8")
    assert "| Wrong when answering (en) | 0.500 | 0.500 |" in md.read_text(encoding="utf-8")
    assert (tmp_path / "cmp" / "comparison.html").exists()
    text = results_markdown(runs, "shiori eval --pipeline shiori")
    assert "shiori eval --pipeline shiori" in text and "| metric | shiori | baseline |" in text


# --- the baseline with fake models: chunking, offsets, citations, abstention, support checks


def test_baseline_with_fake_models(tmp_path):
    from langchain_core.embeddings import DeterministicFakeEmbedding
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from evals.baseline import BaselinePipeline, is_dont_know, load_raw_files, split_files, split_sentences
    from rag.types import SentenceCheck
    from shiori.settings import Settings

    settings = Settings(index_dir=tmp_path / "index")
    files = {f.doc_id: f.text for f in load_raw_files(settings.corpus_dir)}
    docs = split_files(load_raw_files(settings.corpus_dir))
    assert len(files) == 3 and all(len(d.page_content) <= 1000 for d in docs)
    for d in docs:  # start offsets point at the exact chunk text in the raw file
        start = d.metadata["start_index"]
        assert files[d.metadata["doc_id"]][start : start + len(d.page_content)] == d.page_content

    llm = FakeListChatModel(responses=["It was in 2016 [1]. The venue was Ulaanbaatar.", "I don't know."])
    pipe = BaselinePipeline(settings, embeddings=DeterministicFakeEmbedding(size=16), llm=llm)
    pipe.check_support = lambda sentence, passages: SentenceCheck(text=sentence, supported="2016" in sentence)
    ans = pipe.answer("When did JCM first come up with Mongolia?")
    assert not ans.abstained and [c.n for c in ans.citations] == [1, 2, 3, 4]
    assert [p.text for p in ans.retrieved] == [c.text for c in ans.citations]
    assert [s.supported for s in ans.sentences] == [True, False]
    assert ans.sentences[0].citations == [1] and ans.sentences[1].citations == [1, 2, 3, 4]
    assert pipe.answer("?").abstained
    assert (tmp_path / "index" / "baseline" / "baseline_manifest.json").exists()

    assert split_sentences("2016年です[1]。会場はウランバートル。[2] It is 1.5 km [3, 4].") == [
        ("2016年です[1]。", [1]),
        ("会場はウランバートル。[2]", [2]),
        ("It is 1.5 km [3, 4].", [3, 4]),
    ]
    assert is_dont_know("I do not know.") and is_dont_know("わかりません。")
    assert not is_dont_know("It was held in Tokyo.")


def test_shiori_eval_prints_wrong_when_answering_beside_accuracy_per_language(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import evals.runner
    from evals.records import Summary
    from ui.cli import app

    summary = Summary(pipeline="shiori", answer_accuracy=0.5, wrong_when_answering=0.25,
                      accuracy_by_lang={"en": 0.5, "ja": 0.4}, wrong_when_answering_by_lang={"en": 0.2, "ja": 0.3})
    monkeypatch.setattr(evals.runner, "run_eval", lambda *a, **k: summary)
    res = CliRunner().invoke(app, ["eval", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    lines = {" ".join(line.replace("│", " ").split()) for line in res.output.splitlines()}
    assert {"wrong_when_answering 0.250", "accuracy (en) 0.500", "wrong_when_answering (en) 0.200",
            "accuracy (ja) 0.400", "wrong_when_answering (ja) 0.300"} <= lines, res.output

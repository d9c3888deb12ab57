"""User-facing messages of the chain, in the question's language."""

from __future__ import annotations

import re

from rag.types import Language


def not_in_documents(lang: Language) -> str:
    """The abstention message."""
    if lang == "ja":
        return "資料にはこの質問に答える記述が見つかりませんでした。近い箇所を下に示します。"
    return "The documents do not say. The closest passages found are listed below."


def no_such_meeting(lang: Language, number: int, dialogue: str, last: tuple[int, int | None] | None) -> str:
    """Abstention for a meeting number the documents do not list."""
    if lang == "ja":
        tail = f"（記載は第{last[0]}回（{last[1]}年）まで）" if last else ""
        return f"資料には{dialogue}の第{number}回の記載がありません{tail}。"
    tail = f" (the latest listed is meeting no. {last[0]}, {last[1]})" if last else ""
    return f"The documents do not mention meeting no. {number} of {dialogue}{tail}."


def llm_failed(lang: Language, reason: str) -> str:
    """Shown when the LLM fails: the passages are still there."""
    if lang == "ja":
        return f"回答を生成できませんでした（{reason}）。検索された箇所を下に示します。"
    return f"The answer could not be generated ({reason}). The retrieved passages are below."


def empty_question(lang: Language) -> str:
    """Shown for an empty question."""
    return "質問を入力してください。" if lang == "ja" else "Please ask a question."


TRUNCATED = "The question was longer than {limit} characters and was cut to that length."
OTHER_LANGUAGE = ("Shiori answers in Japanese or English; this question seems to be in another language, "
                  "so the answer is in English.")
def template_used(lang: Language) -> str:
    """Notice when code composed the answer from the records because the model's wording failed checks."""
    if lang == "ja":
        return "モデルの文面が記録と一致しなかったため、回答は記録から直接作成しました。"
    return "The model's wording did not match the records, so the answer was composed from them directly."


def not_covered(lang: Language, names: list[str]) -> str:
    """Abstention for a question about something no document mentions (a country, a place)."""
    listed = "、".join(names) if lang == "ja" else ", ".join(names)
    if lang == "ja":
        return f"資料には「{listed}」についての記述がありません。近い箇所を下に示します。"
    return f"The documents say nothing about {listed}. The closest passages found are listed below."


def llm_error_text(error: BaseException) -> str:
    """What users see of an LLM failure: its kind and first line, without server paths or internals."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = re.sub(r"(?:/[\w.\-]+)+/?", "<path>", text)  # server paths stay in the log
    text = re.sub(r"\bfor further information visit \S+", "", text)
    return text[:500]


def model_not_used(lang: Language) -> str:
    """Notice when code's own sentence replaced the model's (the model's failed the checks)."""
    if lang == "ja":
        return "モデルの文面が根拠と一致しなかったため、根拠の記述から直接回答を作成しました。"
    return "The model's wording did not hold against the evidence, so the answer was composed from it directly."


def model_failed(lang: Language) -> str:
    """Notice when the model could not be used: the answer is code's own sentence from the evidence."""
    if lang == "ja":
        return "言語モデルを利用できなかったため、回答は根拠の記述から直接作成しました。"
    return "The language model could not be used, so the answer was composed from the evidence directly."

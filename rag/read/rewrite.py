"""Follow-up questions ("and with Vietnam?", "その時の開催地は？") rewritten into standalone ones."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.llm.prompts import rewrite_message, rewrite_system

_FOLLOW_UP = re.compile(
    r"^\s*(and|what about|how about|also|then|same|and in|and with|and for)\b|\b(it|that|there|they|them|those|"
    r"this one|the same)\b|^\s*(では|じゃあ|それで|そして|また|あと)|その|それ|そこ|同じ|前回|次の", re.I)


def looks_like_follow_up(question: str) -> bool:
    """A short question or one leaning on the conversation (pronouns, 'and with …')."""
    q = question.strip()
    return bool(_FOLLOW_UP.search(q)) or len(q) < 12


def rewrite(question: str, history: Sequence[tuple[str, str]], llm, max_chars: int = 2000) -> str:
    """A standalone form of a follow-up; falls back to joining it with the previous question."""
    if not history or not looks_like_follow_up(question):
        return question
    # History comes from the client: cut it like a question, or a huge turn means minutes of prefill.
    previous = str(history[-1][0])[:max_chars]
    fallback = f"{previous} {question}"
    if llm is None:
        return fallback
    try:
        out = llm.invoke([("system", rewrite_system()), ("human", rewrite_message(previous, question))])
    except Exception:  # noqa: BLE001 - rewriting is an aid; the joined form still retrieves
        return fallback
    text = str(out.content).strip().splitlines()[0].strip() if str(out.content).strip() else ""
    text = re.sub(r"^(Standalone|質問)\s*[:：]\s*", "", text)
    # The model must keep what the follow-up adds (e.g. "Vietnam"); otherwise trust the join.
    new_words = [w for w in re.findall(r"[A-Za-z]{3,}|[\u30a0-\u30ff]{2,}|[\u4e00-\u9fff]{2,}", question)
                 if w.lower() not in {"and", "with", "what", "about", "how", "the"}]
    if not text or len(text) > 300 or any(w.lower() not in text.lower() for w in new_words):
        return fallback
    return text

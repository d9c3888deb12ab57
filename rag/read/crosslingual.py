"""English question words rendered as the documents' own Japanese words, by nearest neighbour in the
embedding model's space (ingest.lexicon): the Japanese rendering an English question is read, scoped and
checked with ("mercury" → 水銀, "population" → 人口, "Hanoi" → ハノイ).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.dates import find_dates
from ingest.lexicon import Lexicon
from ingest.names import is_japanese, name_words, sounds_alike
from ingest.transliteration import LATIN, LATIN_UPPER
from rag.read.vocabulary import NOT_CONTENT, QUESTION_WORDS

MIN_SIMILARITY = 0.33  # below this the nearest Japanese word is unrelated (measured: right ones ≥ 0.34)
_NEAR_TIE = 0.02  # a second word this close joins the first ("climate change" → 気候, 変動)


@dataclass(frozen=True)
class Rendering:
    """The Japanese words found for an English question, and which English phrase each came from."""

    text: str
    pairs: tuple[tuple[str, str, float], ...]  # (English phrase, Japanese word, similarity)

    @property
    def synonyms(self) -> tuple[frozenset[str], ...]:
        """The Japanese words of each English phrase rendered by more than one ("talks": 対話, 会談)."""
        by_phrase: dict[str, set[str]] = {}
        for phrase, ja, _ in self.pairs:
            by_phrase.setdefault(phrase, set()).add(ja)
        return tuple(frozenset(words) for words in by_phrase.values() if len(words) > 1)

    @property
    def words(self) -> tuple[str, ...]:
        """The English words that got a Japanese word ("Japan–Mongolia" gives "Japan", "Mongolia")."""
        return tuple(w for phrase, _, _ in self.pairs for w in re.split(r"[\s\-–]+", phrase))


def content_phrases(question: str) -> list[str]:
    """Content words of an English question and adjacent pairs of them ("air pollution")."""
    dates = [(d.start, d.end) for d in find_dates(question)]  # "March 2024" is read as a date, not rendered
    out: list[str] = []
    prev: str | None = None
    for m in re.finditer(rf"[{LATIN}][{LATIN}\-’']*", question):
        w = m.group(0)
        content = (w.lower() not in NOT_CONTENT and w.lower() not in QUESTION_WORDS
                   and not re.fullmatch(r"[A-Z0-9\-]{2,}", w)
                   and not any(s <= m.start() < e for s, e in dates))
        if content:
            out.append(w)
            if prev is not None:
                out.append(f"{prev} {w}")
            prev = w
        else:
            prev = None
    return list(dict.fromkeys(out))


_NAME_RUN = re.compile(rf"[{LATIN_UPPER}][{LATIN}’']+(?:[\s\-–][{LATIN_UPPER}][{LATIN}’']+)*")
_NAME_MIN_SIMILARITY = 0.45  # a name the documents do not spell alike needs a closer embedding match


class CrossLingual:
    """Renders English questions in the index's Japanese words."""

    def __init__(self, lexicon: Lexicon | None, embeddings, names: Sequence[str] = ()) -> None:
        self.lexicon = lexicon
        self.embeddings = embeddings
        self.names = [n for n in names if is_japanese(n) and len(n) <= 20]

    def _names_heard(self, question: str) -> list[tuple[str, str]]:
        """(English name run, the documents' Japanese name that sounds like it)."""
        out = []
        # (names typed in lower case, "zielonow", are heard one word each)
        runs = _NAME_RUN.findall(question) + [w for w in name_words(question, any_case=True) if w[0].islower()]
        for run in runs:
            words = [w for w in re.split(r"[\s\-–]+", run) if w.lower() not in NOT_CONTENT]
            if not any(w in name_words(run, any_case=True) for w in words):
                continue
            heard = sorted((n for n in self.names if sounds_alike(n, run)), key=len)[:2]
            if len(heard) == 2 and heard[0] in heard[1] and re.fullmatch(r"[\u30a0-\u30ff]+", heard[1].replace(heard[0], "", 1)):
                # "Mexico" is メキシコ, not also メキシコシティー (whose "シティー" the asker would have said); "Mexico
                # City" (two words) is the longer one. (コルビア湖 stays beside コルビア: its 湖 is no sound.)
                heard = heard[1:] if len(words) > 1 else heard[:1]
            out.extend((run, n) for n in heard)
        return out

    def _embed(self, texts: list[str]) -> list[list[float]]:
        batch = getattr(self.embeddings, "embed_queries", None)
        return batch(texts) if batch else [self.embeddings.embed_query(t) for t in texts]

    def render(self, question: str) -> Rendering | None:
        """The Japanese words for the question's content words (None without a lexicon or a match)."""
        if self.lexicon is None or not len(self.lexicon) or self.embeddings is None:
            return None
        pairs: list[tuple[str, str, float]] = [(run, name, 1.0) for run, name in self._names_heard(question)]
        heard_words = {w for run, _, _ in pairs for w in re.split(r"[\s\-–]+", run)}
        phrases = [p for p in content_phrases(question) if not set(p.split()) & heard_words]
        for phrase, vector in zip(phrases, self._embed(phrases) if phrases else [], strict=True):
            near = self.lexicon.nearest(vector, k=2)
            floor = _NAME_MIN_SIMILARITY if name_words(phrase) else MIN_SIMILARITY
            if not near or near[0][1] < floor:
                continue
            if re.fullmatch(r"[\u30a0-\u30ff]+", near[0][0]) and name_words(phrase, any_case=True) \
                    and not sounds_alike(near[0][0], phrase):
                continue  # a name typed in lower case ("zielonow") is rendered by the katakana it sounds like, or not at all
            pairs.append((phrase, near[0][0], near[0][1]))
            if len(near) > 1 and near[1][1] >= MIN_SIMILARITY and near[0][1] - near[1][1] <= _NEAR_TIE:
                pairs.append((phrase, near[1][0], near[1][1]))
        if not pairs:
            return None
        words = list(dict.fromkeys(ja for _, ja, _ in pairs))
        return Rendering(" ".join(words), tuple(pairs))

"""Labelled values in prose: "(1) 日 時 令和5年…", "面積：約1,990 km²", "■ Venue" + the lines under it,
"電 話：072-…  ファックス：…" — with the label, the value and their offsets.

Hand-written: press releases spell labels with layout spaces ("日 時") and mix the label styles above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Role = Literal["date", "place", "person", "org", "phone", "quantity", "number", "summary", "name", "other"]

# Generic label words by the kind of value they introduce (compared NFKC, case-folded, spaces removed).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "date": ("日時", "日程", "期日", "開催日", "年月日", "開催年", "開催時期", "時期", "会期", "期間", "年度", "日付",
             "date", "dateandtime", "time", "when", "period", "year", "fiscalyear"),
    "place": ("会場", "場所", "開催地", "開催場所", "開催都市", "開催国", "所在地", "都市", "venue", "place", "location", "city",
              "where", "hostmunicipality", "hosttown", "hostcountry", "country"),
    "person": ("出席者", "参加者", "講師", "発表者", "登壇者", "出席", "attendees", "participants", "primaryattendees",
               "speakers", "delegation"),
    "org": ("主催", "共催", "後援", "協力", "主管", "organizer", "organiser", "host", "cohost", "co-host",
            "organizers", "hosts"),
    "phone": ("電話", "tel", "phone", "ファックス", "fax", "問い合わせ先", "contact"),
    "quantity": ("人口", "面積", "予算", "金額", "規模", "population", "area", "budget", "size"),
    "number": ("回", "回数", "no", "no.", "number", "#", "番号"),
    "summary": ("概要", "会議概要", "内容", "議題", "主な内容", "結果", "趣旨", "次第", "テーマ", "主題", "summary", "content", "theme",
                "description", "outcome", "topics", "agenda", "details", "maindiscussion", "discussion"),
    "name": ("名称", "件名", "題名", "name", "title"),
}
_MARKER = r"[■□◆◇●○▼▽▶►◎]"
_ENUM = r"(?:[-・•*]\s*)?(?:[(（]\s*[0-9０-９]{1,2}\s*[)）]|[0-9０-９]{1,2}[.．)）])?"
_SPACED_LABEL = re.compile(rf"^\s*{_ENUM}\s*((?:[\u3400-\u9fff\u30a0-\u30ff] ){{1,5}}[\u3400-\u9fff\u30a0-\u30ff])[ \u3000]+(\S.*)$")
_WORD_LABEL = re.compile(rf"^\s*{_ENUM}\s*([\u3400-\u9fff\u30a0-\u30ffA-Za-z]{{2,8}})[ \u3000]+(\S.*)$")
_ENUM_LINE = re.compile(r"^\s*(?:[-・•*]\s*)?[(（]\s*[0-9０-９]{1,2}\s*[)）]")
# Where an enumerated item's value ends: the next item, a numbered heading ("3 クリーン…"), a marker line.
_STOP_LINE = re.compile(rf"^\s*(?:(?:[-・•*]\s*)?[(（]\s*[0-9０-９]{{1,2}}\s*[)）]|[0-9０-９]{{1,2}}[ 　.．]\s*\S|{_MARKER})")
_BARE_LABEL = re.compile(rf"^\s*(?:{_ENUM}\s*)?([^\s:：。()（）【】<>＜＞]{{1,12}})\s*[:：]\s*$")
_MARKER_LABEL = re.compile(rf"^\s*{_MARKER}\s*(\S.{{0,40}}?)\s*$")


@dataclass(frozen=True)
class LabelledField:
    """A label and its value as written; `start`/`end` are the value's offsets, `label_start` the label's."""

    label: str  # normalized: NFKC, no spaces ("日時", "Venue")
    value: str
    start: int
    end: int
    label_start: int

    @property
    def role(self) -> Role:
        """What kind of value the label introduces."""
        return label_role(self.label)


def label_key(label: str) -> str:
    """A label compared: NFKC, case-folded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", label)).casefold()


def label_role(label: str) -> Role:
    """The role of a column or field label ('開催地' → place, 'Date and time of dialogue' → date)."""
    key = label_key(label)
    if not key:
        return "other"
    for role, words in _ROLE_WORDS.items():
        if key in words:
            return role  # type: ignore[return-value]
    for role, words in _ROLE_WORDS.items():
        # "開催地" in "開催地・会場", "date" in "dateandtimeofdialogue": the longest word that starts the label.
        if any(len(w) >= 2 and (key.startswith(w) or key.endswith(w)) for w in words):
            return role  # type: ignore[return-value]
    return "other"


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_fields(text: str) -> list[LabelledField]:
    """Labelled values of a text, in order (a label line with its value below counts too)."""
    out: list[LabelledField] = []
    pos = 0
    lines = []
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    i = 0
    while i < len(lines):
        start, raw = lines[i]
        m = _MARKER_LABEL.match(raw)
        if m and not re.search(r"[。.]$", m.group(1)):
            # "■ Venue" then the value on the following lines, up to the next marker line.
            j, vs, ve = i + 1, None, None
            while j < len(lines) and not _MARKER_LABEL.match(lines[j][1]):
                ls, lr = lines[j]
                if lr.strip():
                    vs = ls if vs is None else vs
                    ve = ls + len(lr)
                elif vs is not None and j + 1 < len(lines) and _MARKER_LABEL.match(lines[j + 1][1]):
                    break
                j += 1
            if vs is not None and ve is not None:
                vs, ve = _trim(text, vs, ve)
                out.append(LabelledField(label_key_display(m.group(1)), text[vs:ve], vs, ve, start + m.start(1)))
                # "■第3回" then "議長：…" lines: the labelled lines under a marker are fields of their own too.
                for ls, lr in lines[i + 1:j]:
                    out.extend(_line_fields(ls, lr))
            i = j
            continue
        found = _line_fields(start, raw)
        i += 1
        bare = _BARE_LABEL.match(raw)
        if not found and bare and i < len(lines) and lines[i][1].strip() and not _STOP_LINE.match(lines[i][1]):
            # "（３）共同議長：" then "日本側　村瀬 啓介　…" / "ポーランド側　…": the value is the lines below.
            found = [LabelledField(label_key_display(bare.group(1)), "", lines[i][0], lines[i][0], start + bare.start(1))]
        if found and (_ENUM_LINE.match(raw) or (bare and not found[-1].value)):
            # "(3) 出席者 <…>" then the list on the lines below, up to the next enumerated item or heading.
            end = found[-1].end
            blanks = 0
            while i < len(lines) and not _STOP_LINE.match(lines[i][1]):
                if lines[i][1].strip():
                    if blanks >= 2:
                        break  # a wider gap ends the item: what follows is the page's, not the item's
                    end = lines[i][0] + len(lines[i][1].rstrip())
                    blanks = 0
                else:
                    blanks += 1
                i += 1
            last = found[-1]
            vs, ve = _trim(text, last.start, end) if not last.value else (last.start, end)
            found[-1] = LabelledField(last.label, text[vs:ve], vs, ve, last.label_start)
        out.extend(found)
    return out


def label_key_display(label: str) -> str:
    """A label as shown: NFKC, layout spaces between CJK letters removed."""
    label = unicodedata.normalize("NFKC", label).strip()
    return re.sub(r"(?<=[\u3400-\u9fff\u30a0-\u30ff]) (?=[\u3400-\u9fff\u30a0-\u30ff])", "", label)


_LABEL_BEFORE = re.compile(
    r"(?:(?<=[\s|])|^)((?:[\u3400-\u9fff\u30a0-\u30ff] )+[\u3400-\u9fff\u30a0-\u30ff]|[^\s:：。()（）【】<>＜＞]{1,12})[ \u3000]*$")
_OPEN = "(（【[<＜「"
_CLOSE = ")）】]>＞」"


def _inside_brackets(s: str) -> bool:
    return sum(s.count(c) for c in _OPEN) > sum(s.count(c) for c in _CLOSE)


def _line_fields(start: int, raw: str) -> list[LabelledField]:
    labels: list[tuple[int, int, str]] = []  # (label start, value start, label)
    for colon in re.finditer(r"[:：]", raw):
        before = raw[: colon.start()]
        if _inside_brackets(before) or re.search(r"https?$|\d$", before):
            continue
        m = _LABEL_BEFORE.search(re.sub(rf"^\s*{_ENUM}\s*", lambda x: " " * len(x.group(0)), before))
        if not m:
            continue
        label = m.group(1)
        if labels and m.start(1) < labels[-1][1]:
            continue
        labels.append((m.start(1), colon.end(), label))
    out = []
    for k, (ls, vs0, label) in enumerate(labels):
        value_end = labels[k + 1][0] if k + 1 < len(labels) else len(raw)
        vs, ve = _trim(raw, vs0, value_end)
        if k + 1 < len(labels):  # "Venue: Tokyo; Date: …": the separator before the next label is no part of it
            vs, ve = _trim(raw, vs, len(raw[:ve].rstrip(";；,，、")))
        if vs < ve:
            out.append(LabelledField(label_key_display(label), raw[vs:ve], start + vs, start + ve, start + ls))
    if out:
        return out
    for pattern in (_SPACED_LABEL, _WORD_LABEL):
        m = pattern.match(raw)
        # A label spelt out letter by letter ("言 語") is a label whatever it names; a plain word only if
        # it is a known kind of label.
        known = pattern is _SPACED_LABEL or label_role(m.group(1)) != "other" if m else False
        if m and known and label_role(m.group(2)) == "other":
            vs, ve = _trim(raw, m.start(2), len(raw))
            return [LabelledField(label_key_display(m.group(1)), raw[vs:ve], start + vs, start + ve,
                                  start + m.start(1))]
    return []

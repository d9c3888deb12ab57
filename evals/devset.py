"""Independent dev sets: collections of documents + questions + claims written without reading Shiori's answering code.

Each collection under evals/devsets/<name>/ holds `docs/` (.txt, optional <stem>.meta.json), `questions.jsonl` and
`claims.jsonl`. This runner does what the sealed-set scorer (../shared/blind/run) does — ingest the collection's
documents into an index of their own (a temporary SHIORI_INDEX_DIR), run `shiori eval --questions` and
`shiori eval --claims`, score with the same rules and print the same aggregate figures — but, the sets not being
blind, it can also list every wrong item.

    python -m evals.devset evals/devsets/extra [--shiori .venv/bin/shiori] [--json out.json] [--show-failures]
    python -m evals.devset --all [--json out.json] [--show-failures]      # every collection, then a table
    python -m evals.devset --check [COLLECTION ...]                        # validate the files, run nothing

Scoring (copied from blind/run): NFKC + casefold + no whitespace; every must_include group needs one alternative
in the answer (an all-digit alternative must not touch other digits); a count question is right only if the first
quantity stated is the count; an unanswerable question is right only if Shiori abstained. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

DEVSETS = Path(__file__).resolve().parent / "devsets"
QUESTION_TYPES = ("fact", "temporal", "count", "compare", "unanswerable")  # what `shiori eval` accepts
LABELS = ("supported", "contradicted", "not_found")


# ---- scoring: copied from ../shared/blind/run (keep in step with it) ---------------------------------------------


def norm(s):
    return "".join(unicodedata.normalize("NFKC", s or "").casefold().split())


def has(alt, text):
    a, t = norm(alt), norm(text)
    if a.isdigit():
        return re.search(r"(?<!\d)" + re.escape(a) + r"(?!\d)", t) is not None
    return a in t


_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_KANJI = {c: i for i, c in enumerate("〇一二三四五六七八九十")}


def stated_counts(text):
    t = re.sub(r"\[\d+\]", " ", unicodedata.normalize("NFKC", text or ""))
    out = []
    for m in re.finditer(
        r"(?<![\d第.,:/-])(\d+)(?![\d.,:/-]?\d)(?!\s*(?:st|nd|rd|th)\b)(?!\s*(?:年|月|日|時|分|:|km|%))",
        t,
        re.I,
    ):
        if not 1900 <= int(m.group(1)) <= 2099:
            out.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"\b(" + "|".join(_WORDS) + r")\b", t, re.I):
        out.append((m.start(), _WORDS[m.group(1).lower()]))
    for m in re.finditer(r"(?<!第)([一二三四五六七八九十]+)(?=\s*(?:回|件|度|つ|か所|カ所|箇所))", t):
        v = 0
        for c in m.group(1):
            v = v * 10 if c == "十" and v else (10 if c == "十" else v + _KANJI[c])
        out.append((m.start(), v))
    return [n for _, n in sorted(out)]


def mean(xs):
    xs = [x for x in xs if x is not None]
    return round(sum(xs) / len(xs), 3) if xs else None


def question_ok(q, r):
    """The verdict of blind/run's score_questions for one question (r: its results.jsonl record or {})."""
    ans, abst = r.get("answer") or "", bool(r.get("abstained"))
    if q["answerable"]:
        ok = bool(r) and not abst and all(any(has(a, ans) for a in g) for g in q["must_include"])
        if ok and q.get("count") is not None:
            c = stated_counts(ans)
            ok = bool(c) and c[0] == q["count"]
        return ok
    return bool(r) and abst


def score_questions(qs, results):
    rows = []
    for q in qs:
        r = results.get(q["id"]) or {}
        abst = bool(r.get("abstained"))
        ok = question_ok(q, r)
        retr = [c.get("text", "") for c in (r.get("retrieved") or [])[:5]]
        cites = [c.get("text", "") for c in r.get("citations") or []]
        ev = q.get("evidence") or []
        rows.append(
            dict(
                lang=q["lang"],
                answerable=q["answerable"],
                ok=ok,
                abst=abst,
                missing=not r,
                count=q.get("count") is not None,
                latency=r.get("latency_s"),
                retr=(sum(any(norm(e) in norm(t) for t in retr) for e in ev) / len(ev)) if ev else None,
                cite=(sum(any(norm(e) in norm(t) for t in cites) for e in ev) / len(ev)) if ev else None,
            )
        )
    A = [r for r in rows if r["answerable"]]
    N = [r for r in rows if not r["answerable"]]
    answered = [r for r in rows if not r["abst"]]
    lat = sorted(r["latency"] for r in rows if r["latency"] is not None)
    return {
        "questions": len(rows),
        "missing": sum(r["missing"] for r in rows),
        "answerable_accuracy": mean([r["ok"] for r in A]),
        "answerable_accuracy_en": mean([r["ok"] for r in A if r["lang"] == "en"]),
        "answerable_accuracy_ja": mean([r["ok"] for r in A if r["lang"] == "ja"]),
        "count_accuracy": mean([r["ok"] for r in A if r["count"]]),
        "abstain_on_unanswerable": mean([r["ok"] for r in N]),
        "false_abstain": mean([r["abst"] for r in A]),
        "wrong_when_answering": mean([not r["ok"] for r in answered]),
        "wrong_when_answering_en": mean([not r["ok"] for r in answered if r["lang"] == "en"]),
        "wrong_when_answering_ja": mean([not r["ok"] for r in answered if r["lang"] == "ja"]),
        "retrieval_recall_at_5": mean([r["retr"] for r in A]),
        "citation_recall": mean([r["cite"] for r in A]),
        "latency_p50_s": lat[len(lat) // 2] if lat else None,
    }


def score_claims(claims, results):
    conf = Counter()
    for c in claims:
        got = (results.get(c["id"]) or {}).get("predicted") or "error"
        conf[(c["label"], got)] += 1
    n = sum(conf.values())
    neg = sum(v for (g, _), v in conf.items() if g != "supported")
    return {
        "claims": n,
        "claims_accuracy": round(sum(v for (g, p), v in conf.items() if g == p) / max(n, 1), 3),
        "false_supported": round(
            sum(v for (g, p), v in conf.items() if g != "supported" and p == "supported") / max(neg, 1), 3
        ),
        "true_called_contradicted": round(
            conf[("supported", "contradicted")]
            / max(sum(v for (g, _), v in conf.items() if g == "supported"), 1),
            3,
        ),
        "confusion_gold_to_predicted": {f"{g}->{p}": v for (g, p), v in sorted(conf.items())},
    }


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


# ---- running a collection ------------------------------------------------------------------------------------------


def collections(root: Path = DEVSETS) -> list[Path]:
    return sorted(
        p for p in root.iterdir() if p.is_dir() and (p / "docs").is_dir() and (p / "questions.jsonl").exists()
    )


def with_lang(claims):
    for c in claims:
        c.setdefault("lang", "ja" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", c["claim"]) else "en")
    return claims


def run_collection(coll: Path, shiori: str, work: Path, verbose: bool = False):
    """Ingest `coll`/docs into an index under `work`, answer its questions and check its claims.

    Returns (figures, questions, question results by id, claims, claim results by id)."""
    docs = work / "docs"
    shutil.copytree(coll / "docs", docs, dirs_exist_ok=True)
    for meta in docs.glob("*.meta.json"):  # as blind/run does: only title and url reach the ingest
        m = json.loads(meta.read_text(encoding="utf-8"))
        meta.write_text(
            json.dumps(
                {"title": m.get("title", ""), "url": m.get("url") or m.get("source_url", "")},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    env = {
        **os.environ,
        "SHIORI_INDEX_DIR": str(work / "index"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    qs = read_jsonl(coll / "questions.jsonl")
    claims = with_lang(read_jsonl(coll / "claims.jsonl"))
    (work / "questions_in.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8"
    )
    (work / "claims_in.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in claims), encoding="utf-8"
    )
    steps = [
        ("ingest", [shiori, "ingest", str(docs)]),
        (
            "questions",
            [shiori, "eval", "--questions", str(work / "questions_in.jsonl"), "--out", str(work / "q")],
        ),
        ("claims", [shiori, "eval", "--claims", str(work / "claims_in.jsonl"), "--out", str(work / "c")]),
    ]
    for name, cmd in steps:
        print(f"devset {coll.name}: {name} …", file=sys.stderr, flush=True)
        p = subprocess.run(
            cmd,
            env=env,
            stdout=None if verbose else subprocess.DEVNULL,
            stderr=None if verbose else subprocess.PIPE,
            text=True,
        )
        if p.returncode:
            tail = "\n".join((p.stderr or "").strip().splitlines()[-15:])
            raise RuntimeError(f"`shiori {name}` failed on {coll.name} (exit {p.returncode})\n{tail}")
    qres = {r["id"]: r for r in read_jsonl(work / "q" / "results.jsonl")}
    cres = {r["id"]: r for r in read_jsonl(work / "c" / "results.jsonl")}
    figures = {**score_questions(qs, qres), **score_claims(claims, cres)}
    return figures, qs, qres, claims, cres


def print_figures(figures):
    width = max(map(len, figures))
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")


def _short(s, n=300):
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_failures(qs, qres, claims, cres):
    wrong_q = [q for q in qs if not question_ok(q, qres.get(q["id"]) or {})]
    print(f"\n## wrong questions ({len(wrong_q)} of {len(qs)})")
    for q in wrong_q:
        r = qres.get(q["id"]) or {}
        tags = ",".join(q.get("tags") or [])
        print(f"\n- {q['id']} [{q['lang']} {q.get('type', '')}{' ' + tags if tags else ''}] {q['question']}")
        if q["answerable"]:
            exp = " AND ".join("(" + " | ".join(g) + ")" for g in q["must_include"])
            if q.get("count") is not None:
                exp += f"; count={q['count']} (stated first: {stated_counts(r.get('answer') or '')[:3]})"
            missing = [
                " | ".join(g) for g in q["must_include"] if not any(has(a, r.get("answer") or "") for a in g)
            ]
            print(f"  expected: {exp}")
            if missing and r and not r.get("abstained"):
                print(f"  missing : {' ; '.join(missing)}")
        else:
            print("  expected: abstain (unanswerable)" + (f" — {q['note']}" if q.get("note") else ""))
        if not r:
            print("  got     : NO RESULT")
        else:
            print(
                f"  abstained: {bool(r.get('abstained'))}"
                + (f"  error: {r['error']}" if r.get("error") else "")
            )
            print(f"  answer  : {_short(r.get('answer'))}")
    wrong_c = [c for c in claims if ((cres.get(c["id"]) or {}).get("predicted") or "error") != c["label"]]
    print(f"\n## wrong claims ({len(wrong_c)} of {len(claims)})")
    for c in wrong_c:
        r = cres.get(c["id"]) or {}
        print(f"\n- {c['id']} [{c.get('lang', '')}{' ' + c['kind'] if c.get('kind') else ''}] {c['claim']}")
        print(
            f"  gold: {c['label']}   predicted: {r.get('predicted') or 'error'}"
            + (f"   error: {r['error']}" if r.get("error") else "")
        )
        if r.get("explanation"):
            print(f"  why : {_short(r['explanation'], 240)}")


TABLE_COLS = [
    ("questions", "q"),
    ("answerable_accuracy", "ans_acc"),
    ("answerable_accuracy_en", "acc_en"),
    ("answerable_accuracy_ja", "acc_ja"),
    ("count_accuracy", "count"),
    ("abstain_on_unanswerable", "abstain_U"),
    ("false_abstain", "false_abst"),
    ("wrong_when_answering", "wrong_ans"),
    ("wrong_when_answering_en", "wrong_en"),
    ("wrong_when_answering_ja", "wrong_ja"),
    ("retrieval_recall_at_5", "recall@5"),
    ("citation_recall", "cite_rec"),
    ("claims_accuracy", "claims"),
    ("false_supported", "false_sup"),
    ("latency_p50_s", "p50_s"),
]


def print_table(all_figures: dict[str, dict]):
    head = ["collection"] + [h for _, h in TABLE_COLS]
    rows = [
        [name]
        + ["err" if "error" in f else ("-" if f.get(k) is None else str(f.get(k))) for k, _ in TABLE_COLS]
        for name, f in all_figures.items()
    ]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]

    def line(r):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


# ---- checking a collection's files ---------------------------------------------------------------------------------


def check_collection(coll: Path) -> list[str]:
    """Problems in a collection's files (empty when fine); prints its composition."""
    errs = []
    texts = {}
    for p in sorted((coll / "docs").glob("*")):
        if p.name.endswith(".meta.json"):
            try:
                m = json.loads(p.read_text(encoding="utf-8"))
                if not m.get("title"):
                    errs.append(f"{p.name}: no title")
            except ValueError as e:
                errs.append(f"{p.name}: {e}")
        elif p.suffix == ".txt":
            texts[p.name] = p.read_text(encoding="utf-8")
    normed = {k: norm(v) for k, v in texts.items()}
    if not texts:
        errs.append("no documents")
    qs, claims = [], []
    for fname, dest in (("questions.jsonl", qs), ("claims.jsonl", claims)):
        for i, line in enumerate((coll / fname).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    dest.append(json.loads(line))
                except ValueError as e:
                    errs.append(f"{fname}:{i}: bad JSON ({e})")
    ids = Counter(x.get("id") for x in qs + claims)
    errs += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for q in qs:
        w = f"{q.get('id')}: "
        for k in ("id", "lang", "question", "answerable", "must_include", "evidence", "type"):
            if k not in q:
                errs.append(w + f"missing {k}")
        if q.get("lang") not in ("ja", "en"):
            errs.append(w + "lang must be ja|en")
        if q.get("type") not in QUESTION_TYPES:
            errs.append(w + f"type {q.get('type')!r} is not one `shiori eval` accepts {QUESTION_TYPES}")
        if q.get("answerable"):
            if not q.get("must_include") or not all(isinstance(g, list) and g for g in q["must_include"]):
                errs.append(w + "answerable needs non-empty must_include groups")
            if not q.get("evidence"):
                errs.append(w + "answerable needs evidence")
            ref = q.get("answer") or ""
            if ref:
                for g in q.get("must_include") or []:
                    if not any(has(a, ref) for a in g):
                        errs.append(w + f"reference answer misses group {g}")
                if q.get("count") is not None and (stated_counts(ref)[:1] != [q["count"]]):
                    errs.append(
                        w + f"reference answer states {stated_counts(ref)[:1]} first, count is {q['count']}"
                    )
            if (q.get("type") == "count") != (q.get("count") is not None):
                errs.append(w + "type count <=> a count field")
        else:
            if q.get("must_include") or q.get("evidence") or q.get("type") != "unanswerable":
                errs.append(w + "unanswerable: empty must_include/evidence, type unanswerable")
        for e in q.get("evidence") or []:
            if not any(norm(e) in t for t in normed.values()):
                errs.append(w + f"evidence not in any document: {e!r}")
    for c in claims:
        w = f"{c.get('id')}: "
        if c.get("label") not in LABELS:
            errs.append(w + f"label {c.get('label')!r}")
        if not c.get("claim"):
            errs.append(w + "no claim")
        if c.get("lang") not in (None, "ja", "en"):
            errs.append(w + "lang must be ja|en")
        for e in c.get("evidence") or []:
            if not any(norm(e) in t for t in normed.values()):
                errs.append(w + f"evidence not in any document: {e!r}")
    # composition
    lens = ", ".join(f"{k} {len(v)}" for k, v in texts.items())
    A = [q for q in qs if q.get("answerable")]
    print(f"{coll.name}: {len(texts)} docs ({lens} chars)")
    print(
        f"  questions {len(qs)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(q.get("lang") for q in qs).items()))
        + f"; answerable {len(A)}, unanswerable {len(qs) - len(A)}"
        + "; answerable by lang "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(q["lang"] for q in A).items()))
    )
    print("  types: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(q.get("type") for q in qs).items())))
    print(
        "  tags: "
        + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(t for q in qs for t in q.get("tags") or []).items())
        )
    )
    wc = with_lang([dict(c) for c in claims])
    print(
        f"  claims {len(claims)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(c.get("label") for c in claims).items()))
        + "; "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(c["lang"] for c in wc).items()))
    )
    return errs


# ---- command line --------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.devset", description=__doc__.split("\n\n")[0])
    ap.add_argument("collection", nargs="*", type=Path, help="collection folder(s), e.g. evals/devsets/extra")
    ap.add_argument("--all", action="store_true", help="every collection under evals/devsets/, then a table")
    ap.add_argument(
        "--shiori", default=".venv/bin/shiori", help="the shiori command (default .venv/bin/shiori)"
    )
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--show-failures", action="store_true", help="list every wrong question and claim")
    ap.add_argument(
        "--out",
        type=Path,
        help="keep the index and shiori's results under this folder (default: a temporary folder, deleted)",
    )
    ap.add_argument(
        "--check", action="store_true", help="only validate the collections' files (runs nothing)"
    )
    ap.add_argument("--verbose", action="store_true", help="show shiori's own output")
    a = ap.parse_args(argv)
    colls = (
        collections() if (a.all or (a.check and not a.collection)) else [p.resolve() for p in a.collection]
    )
    if not colls:
        ap.error("name a collection folder or pass --all")
    for c in colls:
        if (
            not (c / "docs").is_dir()
            or not (c / "questions.jsonl").exists()
            or not (c / "claims.jsonl").exists()
        ):
            ap.error(f"{c} is not a collection (docs/, questions.jsonl, claims.jsonl)")

    if a.check:
        bad = 0
        for c in colls:
            errs = check_collection(c)
            for e in errs:
                print(f"  ERROR {e}")
            bad += len(errs)
        print("ok" if not bad else f"{bad} problem(s)")
        return 1 if bad else 0

    shiori = shutil.which(a.shiori) or a.shiori
    if not os.access(shiori, os.X_OK):
        sys.exit(
            f"no shiori command at {a.shiori}: run `make run` or `scripts/setup.sh` first, or pass --shiori"
        )
    all_figures = {}
    for c in colls:
        if a.out:
            work = (a.out / c.name).resolve()
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
        else:
            work = Path(tempfile.mkdtemp(prefix=f"shiori-devset-{c.name}-"))
        try:
            figures, qs, qres, claims, cres = run_collection(c, shiori, work, verbose=a.verbose)
        except RuntimeError as e:
            print(f"devset: {e}", file=sys.stderr)
            all_figures[c.name] = {"error": str(e).splitlines()[0]}
            continue
        finally:
            if not a.out:
                shutil.rmtree(work, ignore_errors=True)
        all_figures[c.name] = figures
        if len(colls) > 1:
            print(f"\n# {c.name}")
        print_figures(figures)
        if a.show_failures:
            print_failures(qs, qres, claims, cres)
    if len(colls) > 1:
        print()
        print_table(all_figures)
    if a.json:
        out = all_figures if len(colls) > 1 else next(iter(all_figures.values()))
        Path(a.json).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if any("error" in f for f in all_figures.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The code knows no document: no string literal in ingest/, rag/, ui/ names the seed documents' subjects.

Docstrings and comments may use them as examples; few-shot and UI examples live in data files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Subjects of the seed documents: countries, cities, people, programmes, topics only they are about.
SEED_WORDS = [
    "ベトナム", "モンゴル", "堺", "バリアブントウ", "バリアンタウ", "ウランバートル", "ハノイ", "ダランザドガド", "ドバイ",
    "Vietnam", "Mongolia", "Sakai", "Vung Tau", "Ulaanbaatar", "Hanoi", "Dubai", "JCM", "COP28", "GOSAT",
    "水銀", "黄砂", "二国間クレジット", "辻尾", "松澤", "永藤", "環境政策対話", "Environmental Policy Dialogue",
]
MODULES = sorted(p for d in ("ingest", "rag", "ui") for p in (ROOT / d).rglob("*.py"))


def _literals(tree: ast.AST) -> list[str]:
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_seed_subject_in_string_literals(path: Path):
    found = [(w, s[:60]) for s in _literals(ast.parse(path.read_text(encoding="utf-8"))) for w in SEED_WORDS if w in s]
    assert not found, found


def test_the_check_sees_a_literal():
    assert _literals(ast.parse('"""doc"""\nx = "ハノイ"\n')) == ["ハノイ"]

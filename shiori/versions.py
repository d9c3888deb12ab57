"""The installed versions of the libraries that decide answers, and where they differ from constraints.txt."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

# Tokens, names, embeddings and the LLM come from these; a change in any of them changes answers.
DECIDING = ("sudachipy", "sudachidict-core", "sentence-transformers", "transformers", "torch", "openvino",
            "chromadb", "bm25s", "llama-cpp-python")

CONSTRAINTS = Path(__file__).resolve().parent.parent / "constraints.txt"
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;#]+)")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(names: tuple[str, ...] = DECIDING) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed), local labels (+cpu) dropped."""
    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = metadata.version(name).split("+")[0]
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def pinned(path: Path = CONSTRAINTS) -> dict[str, str]:
    """Package → version pinned in a constraints file (names normalised as pip does)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line.strip())
        if m:
            pins[_key(m.group(1))] = m.group(2)
    return pins


def drift(path: Path = CONSTRAINTS, names: tuple[str, ...] = DECIDING) -> dict[str, tuple[str | None, str]]:
    """Packages whose installed version is not the pinned one: name → (installed, pinned)."""
    pins = pinned(path)
    return {name: (have, pins[_key(name)]) for name, have in installed(names).items()
            if _key(name) in pins and have != pins[_key(name)]}


def summary() -> str:
    """One line: name version, …; with a warning when the installed versions are not the pinned ones."""
    line = ", ".join(f"{name} {version or 'missing'}" for name, version in installed().items())
    if CONSTRAINTS.exists() and (off := drift()):
        line += " — NOT the versions in constraints.txt: " + ", ".join(
            f"{name} {have or 'missing'} (pinned {want})" for name, (have, want) in off.items())
    return line


if __name__ == "__main__":
    print(summary())

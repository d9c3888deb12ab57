"""The libraries that decide answers are pinned, installed as pinned, and recorded with every eval run."""

import re
import tomllib
from pathlib import Path

from evals.claims import ClaimSummary
from evals.records import Summary
from shiori import versions

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


def test_every_declared_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    pins = versions.pinned(ROOT / "constraints.txt")
    assert {_name(r) for r in declared} - set(pins) == set()


def test_setup_installs_under_the_constraints():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    install = [line for line in setup.splitlines() if "install" in line and '-e ".[' in line]
    assert install and all("-c constraints.txt" in line for line in install)


def test_the_installed_versions_are_the_pinned_ones():
    assert versions.drift(ROOT / "constraints.txt") == {}


def test_drift_names_what_differs(tmp_path):
    have = versions.installed(("pydantic",))["pydantic"]
    lock = tmp_path / "constraints.txt"
    lock.write_text(f"# comment\nPydantic==0.0.1\nsudachipy=={versions.installed(('sudachipy',))['sudachipy']}\n")
    assert versions.drift(lock, ("pydantic", "sudachipy")) == {"pydantic": (have, "0.0.1")}
    lock.write_text("")
    assert versions.drift(lock, ("pydantic",)) == {}  # nothing pinned, nothing to differ


def test_a_missing_package_is_reported_missing(tmp_path):
    lock = tmp_path / "constraints.txt"
    lock.write_text("no-such-package-shiori==1.0\n")
    assert versions.drift(lock, ("no-such-package-shiori",)) == {"no-such-package-shiori": (None, "1.0")}


def test_eval_summaries_record_the_versions():
    for summary in (Summary(pipeline="shiori"), ClaimSummary()):
        assert summary.versions["sudachidict-core"] == versions.installed()["sudachidict-core"]
        assert summary.versions["sudachidict-core"] is not None

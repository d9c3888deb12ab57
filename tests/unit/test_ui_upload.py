"""ui.upload: type and size limits, safe names, saving under uploads/, per-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiori.settings import Settings
from ui.upload import UploadError, safe_filename, save, save_and_ingest, uploads_dir, validate


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "store" / "index", upload_max_mb=0.001)  # ~1 KB


class Recorder:
    def __init__(self, fail: dict[str, str] | None = None, raises: bool = False) -> None:
        self.paths: list[Path] = []
        self.fail = fail or {}
        self.raises = raises

    def ingest(self, paths: list[Path], **kwargs):
        if self.raises:
            raise RuntimeError("index locked")
        self.paths.extend(paths)
        failed = [(p, self.fail[p.name]) for p in paths if p.name in self.fail]
        return type("R", (), {"failed": failed, "chunks_written": 2})()


@pytest.mark.parametrize(("name", "expected"), [
    ("report.txt", "report.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\win\\x.md", "x.md"),
    ("/abs/path/日本語の資料.PDF", "日本語の資料.pdf"),
    ("a\x00b\x1fc\u202e.txt", "abc.txt"),
    ("..", "upload"),
    (".hidden.html", "hidden.html"),
    ('what?<is>"this".htm', "what__is__this_.htm"),
    ("", "upload"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["x.exe", "x.txt.sh", "noext", "x.docx", "../x"])
def test_validate_refuses_other_types(name: str, settings: Settings) -> None:
    with pytest.raises(UploadError, match="unsupported file type"):
        validate(name, 10, settings)


def test_validate_size_limits(settings: Settings) -> None:
    assert validate("a.txt", 1000, settings) == "a.txt"
    with pytest.raises(UploadError, match="limit"):
        validate("a.txt", 2000, settings)
    with pytest.raises(UploadError, match="empty"):
        validate("a.txt", 0, settings)


def test_save_stays_inside_uploads(tmp_path: Path, settings: Settings) -> None:
    src = tmp_path / "tmpupload"
    src.write_text("本文", encoding="utf-8")
    saved = save(src, "../../../evil.txt", settings)
    assert saved.parent == uploads_dir(settings).resolve()
    assert saved.name == "evil.txt" and saved.read_text(encoding="utf-8") == "本文"
    assert uploads_dir(settings) == tmp_path / "store" / "uploads"


def test_save_and_ingest_reports_each_file(tmp_path: Path, settings: Settings) -> None:
    good = tmp_path / "g"
    good.write_text("good", encoding="utf-8")
    bad_doc = tmp_path / "b"
    bad_doc.write_text("bad", encoding="utf-8")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 5000)
    service = Recorder(fail={"broken.pdf": "not a PDF"})
    steps: list[tuple] = []
    results = save_and_ingest([(good, "メモ.txt"), (bad_doc, "broken.pdf"), (big, "big.txt"), (good, "x.exe")],
                              service, settings, progress=lambda p, desc="": steps.append(p))
    assert [(r.name, r.ok) for r in results] == [("メモ.txt", True), ("broken.pdf", False), ("big.txt", False),
                                                  ("x.exe", False)]
    assert results[0].message == "ingested (2 chunks)"
    assert "not a PDF" in results[1].message  # refused by the loader before anything was moved
    assert not (uploads_dir(settings) / "broken.pdf").exists()  # failed files are not kept
    assert [p.name for p in service.paths] == ["メモ.txt"]
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)


def test_service_exception_becomes_a_message(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    [r] = save_and_ingest([(f, "f.md")], Recorder(raises=True), settings)
    assert not r.ok and r.message == "RuntimeError: index locked"


def test_received_file_takes_only_regular_files_inside_the_upload_folder(tmp_path: Path) -> None:
    import os

    from ui.upload import received_file

    root = tmp_path / "gradio"
    (root / "abc").mkdir(parents=True)
    ok = root / "abc" / "note.txt"
    ok.write_text("x", encoding="utf-8")
    assert received_file(str(ok), root) == ok.resolve()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    (root / "abc" / "link.txt").symlink_to(outside)  # a symlink out of the folder
    os.mkfifo(root / "abc" / "pipe.txt")
    for bad in (outside, root / "abc" / ".." / ".." / "secret.txt", root / "abc" / "link.txt", "/dev/zero",
                root / "abc" / "pipe.txt", root / "abc", root, root / "abc" / "missing.txt"):
        with pytest.raises(UploadError):
            received_file(str(bad), root)


def test_a_failing_ingest_of_the_same_bytes_keeps_the_file(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    [ok] = save_and_ingest([(f, "same.txt")], Recorder(), settings)
    assert ok.ok
    [r] = save_and_ingest([(f, "same.txt")], Recorder(raises=True), settings)  # e.g. the index is down
    assert not r.ok and (uploads_dir(settings) / "same.txt").read_text(encoding="utf-8") == "x"

"""End to end in a real browser: `shiori ui` on a temporary index with the real models, driven by Debian's chromium.

Screenshots go to test-artifacts/screenshots/. The answers come from the real LLM on CPU, so waits are long.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 600_000  # the 1.5B model on 2 shared cores: minutes, not seconds
NEW_DOC = "shiori_e2e_estonia.txt"
NEW_DOC_TEXT = (
    "日本・エストニア海藻バイオ燃料協議\n"
    "第1回 (2031年) タリン: 日本とエストニアは海藻バイオ燃料の共同研究について覚書に署名した。"
    "The first Japan–Estonia seaweed biofuel meeting was held in Tallinn in 2031, where a memorandum "
    "on joint seaweed biofuel research was signed.\n"
    "注記: <script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> は本文の一部です。\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shiori() -> str:
    exe = Path(sys.executable).with_name("shiori")
    return str(exe) if exe.exists() else "shiori"


@pytest.fixture(scope="module")
def browser_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail("CI is set but /usr/bin/chromium is missing: the set-up must install Debian's chromium")
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium); set CI=true to make this a failure")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser_path: Path) -> Iterator[str]:
    """`shiori ui` on a free loopback port over a temporary index of the corpus."""
    if os.environ.get("SHIORI_E2E_URL"):  # while developing: reuse a running server (its index gets the upload)
        yield os.environ["SHIORI_E2E_URL"].rstrip("/")
        return
    tmp = tmp_path_factory.mktemp("shiori-e2e")
    env = {**os.environ, "SHIORI_INDEX_DIR": str(tmp / "index"), "SHIORI_SETTINGS_FILE": str(tmp / "none.toml")}
    done = subprocess.run([_shiori(), "ingest"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    port = _free_port()
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen([_shiori(), "ui", "--port", str(port)], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start: {(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if SHOTS.parent.exists():  # the server's log beside the screenshots, for failures
            shutil.copy(tmp / "server.log", SHOTS.parent / "server.log")


@pytest.fixture(scope="module")
def browser(browser_path: Path):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.goto(server)
    pg.wait_for_selector("#question textarea", timeout=60_000)
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page, question: str, name: str) -> str:
    """Type a question, see the thinking state, wait for the final answer; returns the answer's text."""
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_selector("#transcript .thinking", timeout=30_000)
    shot(page, f"{name}-thinking")
    # The final render: no thinking marker left, and the sources panel filled (cards or an error banner).
    page.wait_for_function(
        """() => !document.querySelector('#transcript .thinking') &&
                 document.querySelector('#sources .card, #sources .banner, #sources .shiori-empty:not(.sources)')""",
        timeout=ANSWER_TIMEOUT_MS)
    shot(page, f"{name}-answer")
    # only the answer itself: banners (notices, errors) are in their own language
    return page.inner_text("#transcript .shiori-turn:last-child .answer-text")


def test_jcm_question_cites_the_mongolia_meeting_and_opens_it(page) -> None:
    text = ask(page, "When did JCM first come up with Mongolia?", "01-jcm")
    assert "2016" in text, text
    assert page.locator("#sources .banner-error").count() == 0
    links = page.locator("#transcript a.cite")
    assert links.count() >= 1
    # the citation whose card says 2016, else the first one in the answer
    n = None
    for card in page.locator("#sources .card").all():
        if "2016" in card.inner_text():
            n = card.get_attribute("data-n")
            break
    target = page.locator(f'#transcript a.cite[data-n="{n}"]').first if n else links.first
    target.click()
    mark = page.locator("#docview mark#passage")
    mark.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the scroll into view
    assert "モンゴル" in page.inner_text("#docview h4")
    assert "2016" in mark.inner_text() or "JCM" in mark.inner_text()
    assert mark.is_visible() and mark.bounding_box() is not None
    box, view = mark.bounding_box(), page.locator("#docview .docview-text").bounding_box()
    assert view["y"] <= box["y"] <= view["y"] + view["height"], "the passage was not scrolled into view"
    shot(page, "01-jcm-document")
    # the [n] in the sources list opens it too
    page.locator("#sources a.cite").first.click()
    page.locator("#docview mark#passage").wait_for(timeout=30_000)


def test_japanese_question_gets_a_japanese_answer(page) -> None:
    text = ask(page, "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？", "02-ja")
    body = re.sub(r"\[\d+\]|\s", "", text)
    japanese = sum(1 for ch in body if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    assert body and japanese / len(body) > 0.3, text
    assert "2016" in text, text


def test_upload_a_document_and_get_an_answer_citing_it_script_shown_as_text(page, tmp_path: Path) -> None:
    src = tmp_path / NEW_DOC
    src.write_text(NEW_DOC_TEXT, encoding="utf-8")
    page.get_by_role("tab", name=re.compile("Documents")).click()
    page.locator("#upload input[type=file]").set_input_files(str(src))
    page.wait_for_timeout(1500)  # the file is uploaded to the server before ingest is pressed
    page.click("#ingest")
    page.wait_for_selector("#upload-result li", timeout=ANSWER_TIMEOUT_MS)
    shot(page, "03-upload")
    result = page.inner_text("#upload-result")
    assert "✓" in result and NEW_DOC in result, result
    assert "shiori_e2e_estonia" in page.inner_text("#documents-table")

    page.get_by_role("tab", name=re.compile("Chat")).click()
    ask(page, "Where was the Japan–Estonia seaweed biofuel memorandum signed?", "04-upload-answer")
    cited = page.locator('#sources a.cite[data-doc="shiori_e2e_estonia"]')
    assert cited.count() >= 1, page.inner_text("#sources")
    cited.first.click()
    page.locator("#docview mark#passage").wait_for(timeout=30_000)
    view = page.inner_text("#docview")
    assert "<script>window.__pwned = 1</script>" in view  # shown as text...
    assert page.evaluate("() => window.__pwned") is None  # ...and never run
    assert page.locator("#docview script, #docview img, #sources script, #sources img").count() == 0
    shot(page, "05-script-as-text")


def test_timeline_marks_meetings_mentioning_a_term(page) -> None:
    page.get_by_role("tab", name=re.compile("Timeline")).click()
    page.fill("#term textarea, #term input", "水銀")
    page.click("#plot")
    page.wait_for_function("() => document.body.innerText.includes('水銀') && "
                           "document.body.innerText.includes('meetings; first')", timeout=60_000)
    page.wait_for_timeout(1000)
    shot(page, "06-timeline")

"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

Uploads the sample workbook, moves a slider, opens a firm, looks at the charts, downloads the
export, and saves a full-page screenshot of each view under docs/screenshots/. Needs
/usr/bin/chromium (the test command installs it; see scripts/test) — no browser is downloaded.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import DEMO, ROOT

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "docs" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is needed at /usr/bin/chromium: run scripts/test (it installs it) "
            "or apt-get install --no-install-recommends chromium fonts-noto-cjk"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 2000}, accept_downloads=True, locale="zh-CN")
        tab.requested = []  # every URL the page asks for: all must stay on this machine
        tab.on("request", lambda request: tab.requested.append(request.url))
        tab.goto(server)
        _idle(tab)
        yield tab
        browser.close()


def _idle(tab) -> None:
    tab.wait_for_timeout(400)
    tab.wait_for_selector(IDLE, timeout=90_000)
    tab.wait_for_timeout(1200)


def _shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / name), full_page=True)


def _metric(tab, label: str) -> str:
    block = tab.locator('[data-testid="stMetric"]', has_text=label).first
    return block.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_first_load_shows_a_screened_result(page):
    assert page.get_by_text("入园甄别", exact=True).first.is_visible()
    assert _metric(page, "企业总数") == "110"
    _shot(page, "01-overview.png")


def test_upload_the_sample_workbook(page, tmp_path):
    upload = tmp_path / "拟入园企业名单.xlsx"
    shutil.copy(DEMO, upload)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    _idle(page)
    assert page.get_by_text("拟入园企业名单.xlsx").first.is_visible()
    assert _metric(page, "企业总数") == "110"


def test_move_a_slider_changes_who_is_admitted(page):
    before = int(_metric(page, "准予入园"))
    handle = page.locator('[data-testid="stSlider"]', has_text="亩均税收门槛").first.locator('input[type="range"]')
    handle.focus()
    for _ in range(10):  # 30 -> 20 万元/亩
        handle.press("ArrowLeft")
    _idle(page)
    after = int(_metric(page, "准予入园"))
    assert after > before
    assert "smart-mfg-town%3Agate.min-tax-per-mu=20" in page.url or "smart-mfg-town:gate.min-tax-per-mu=20" in page.url
    _shot(page, "02-slider-moved.png")
    page.reload()  # the adjustment lives in the URL: a refresh keeps it
    _idle(page)
    assert int(_metric(page, "准予入园")) == after


def test_open_a_firm(page):
    page.get_by_text("企业详情", exact=True).first.click()
    _idle(page)
    assert page.get_by_text("门槛逐项").first.is_visible()
    _shot(page, "03-firm.png")


def test_charts(page):
    page.get_by_text("图表", exact=True).first.click()
    _idle(page)
    page.wait_for_timeout(1500)
    assert page.locator(".js-plotly-plot").count() >= 4
    _shot(page, "04-charts.png")


def test_data_issues(page):
    page.get_by_text("数据问题", exact=True).first.click()
    _idle(page)
    assert page.get_by_text("跳过的非企业行").first.is_visible()
    _shot(page, "05-issues.png")


def test_download_the_export(page, tmp_path):
    page.get_by_text("导出", exact=True).first.click()
    _idle(page)
    _shot(page, "06-export.png")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("下载入园建议名单（Excel）").first.click()
    target = tmp_path / "shortlist.xlsx"
    download.value.save_as(target)
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames == ["入园建议名单", "全部企业评分", "数据问题", "规则与参数", "说明"]
    rules = [[c.value for c in row] for row in book["规则与参数"].iter_rows()]
    changed = next(r for r in rules if r[0] == "gate.min-tax-per-mu")
    assert changed[4:7] == ["30", "20", "是"]


def test_english(page):
    page.get_by_text("English", exact=True).first.click()
    _idle(page)
    page.get_by_text("Ranking", exact=True).first.click()
    _idle(page)
    assert page.get_by_text("Park-entry screening", exact=True).first.is_visible()
    _shot(page, "07-english.png")


def test_the_page_makes_no_request_off_this_machine(page):
    outside = [
        url
        for url in page.requested
        if not url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:"))
    ]
    assert page.requested and not outside

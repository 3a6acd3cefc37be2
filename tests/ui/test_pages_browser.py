"""The three standalone pages in a real browser (Debian's Chromium via Playwright), used as a person
would: a list that is NOT the sample (tests/fixtures/other_list.py: other header wordings, 元/千元/平方米/
公顷/亿元, missing columns, names that look like markup), at 1024 and 1440 pixels wide. Screenshots go
to docs/screenshots/pages-*.png; the workbooks downloaded are opened and checked.

The pages run in tests/ui/pages_harness.py (language switch, sign-in gate, navigation), as the app
will run them.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.fixtures.other_list import MARKUP_NAMES, other_list_bytes
from tests.ui.test_browser import CHROMIUM, FLAGS, IDLE, _free_port

SHOTS = ROOT / "docs" / "screenshots"
WIDTHS = (1024, 1440)
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("pages-data")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SCREENING_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "tests/ui/pages_harness.py")]
    process = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.headless", "true"],
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
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is needed at /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def other_list(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "迁入企业统计表.xlsx"
    path.write_bytes(other_list_bytes())
    return path


def _idle(tab) -> None:
    tab.wait_for_timeout(400)
    tab.wait_for_selector(IDLE, timeout=120_000)
    tab.wait_for_timeout(1200)


def _open(browser, url: str, width: int, path: str = ""):
    tab = browser.new_page(viewport={"width": width, "height": 2400}, accept_downloads=True, locale="zh-CN")
    tab.goto(f"{url}/{path}")
    _idle(tab)
    return tab


def _upload(tab, path) -> None:
    tab.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    _idle(tab)
    assert tab.get_by_text(path.name).first.is_visible()


def _click(tab, text: str) -> None:
    tab.get_by_text(text, exact=True).first.click()
    _idle(tab)


def _shot(tab, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"pages-{name}-{width}.png"), full_page=True)


def _chart(tab) -> None:
    """A Plotly chart drawn (its script loads after the page's run: wait for it)."""
    tab.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first.wait_for(timeout=30_000)


def _no_markup_rendered(tab) -> None:
    """A firm called "[点此领取补贴](http://…)" never becomes a link, "<img …>" never an image."""
    assert tab.locator('a[href="http://example.com"]').count() == 0
    assert tab.locator('img[src="x"]').count() == 0


def _download(tab, label: str, target) -> openpyxl.Workbook:
    with tab.expect_download(timeout=120_000) as download:
        tab.get_by_text(label).first.click()
    download.value.save_as(target)
    return openpyxl.load_workbook(io.BytesIO(target.read_bytes()))


@pytest.mark.parametrize("width", WIDTHS)
def test_district_page(server, browser, other_list, width, tmp_path):
    tab = _open(browser, server, width)
    _upload(tab, other_list)
    assert tab.get_by_text("已证明最优").first.is_visible()
    _shot(tab, "district-allocation", width)
    for view, name in (("与排序法对比", "district-compare"), ("园区矩阵", "district-matrix")):
        _click(tab, view)
        _shot(tab, name, width)
    _click(tab, "资金")
    tab.get_by_text("资金测算（区级留成、达产、折现）").first.click()
    share = tab.get_by_role("spinbutton", name="区级留成比例（%）")
    share.fill("35")
    share.press("Enter")
    _idle(tab)
    assert tab.get_by_text("按讲话口径").first.is_visible()
    _shot(tab, "district-money", width)
    _click(tab, "新增用地边际")
    _click(tab, "计算新增用地边际")  # for the settings as they now are: it goes in the workbook
    _chart(tab)
    _shot(tab, "district-frontier", width)
    _no_markup_rendered(tab)
    _click(tab, "下载")
    book = _download(tab, "下载全区统筹工作簿（Excel）", tmp_path / "district.xlsx")
    assert book.sheetnames[:3] == ["全区汇总", "分配方案", "园区矩阵"]
    assert "新增用地边际" in book.sheetnames  # the frontier computed above goes with it


@pytest.mark.parametrize("width", WIDTHS)
def test_robustness_page(server, browser, other_list, width, tmp_path):
    tab = _open(browser, server, width, "robustness")
    _upload(tab, other_list)
    assert tab.get_by_text("未给出任何权重信息").first.is_visible()  # the warning, with no weight information
    _shot(tab, "robustness-table", width)
    _click(tab, "在标准权重上下浮动")
    assert tab.get_by_text("未给出任何权重信息").count() == 0
    _click(tab, "入园概率图")
    _chart(tab)
    _shot(tab, "robustness-bars", width)
    _click(tab, "差距")
    _shot(tab, "robustness-gap", width)
    _no_markup_rendered(tab)
    _click(tab, "下载")
    book = _download(tab, "下载稳健性分析（Excel）", tmp_path / "robust.xlsx")
    assert book.sheetnames == ["稳健性分析"]


@pytest.mark.parametrize("width", WIDTHS)
def test_workspace_page(server, browser, other_list, width, tmp_path):
    """One round trip: save two rounds, compare, give an opinion, the pack out and back in."""
    tab = _open(browser, server, width, "workspace")
    _upload(tab, other_list)
    first, second = f"三月初筛{width}", f"三月复核{width}"  # one workspace for both widths: names differ
    for name in (first, second):  # the first round on the other list, the second on the whole sample
        if name == second:
            _click(tab, "改用示例数据")
        tab.get_by_label("轮次名称").fill(name)
        tab.get_by_label("轮次名称").press("Enter")
        tab.get_by_role("button", name="保存这一轮").click()
        _idle(tab)
        assert tab.get_by_text(f"已保存轮次：{name}").first.is_visible()
    _shot(tab, "workspace-save", width)
    _click(tab, "比较两轮")
    tab.locator('[data-testid="stSelectbox"]').nth(0).click()
    tab.get_by_role("option", name=first).click()
    _idle(tab)
    tab.locator('[data-testid="stSelectbox"]').nth(1).click()
    tab.get_by_role("option", name=second).click()
    _idle(tab)
    assert tab.get_by_text("本轮名单中没有该企业").count() + tab.get_by_text("新进入准予入园的企业").count() > 0
    _shot(tab, "workspace-compare", width)
    _click(tab, "部门意见")
    tab.locator('[data-testid="stSelectbox"]').first.click()
    tab.get_by_role("option", name=second).click()
    _idle(tab)
    _click(tab, "有条件同意")
    tab.get_by_label("附加条件（有条件同意时必填）").fill("一年内完成清洁生产审核")
    _click(tab, "提交意见")
    assert tab.get_by_text("已记录经信").first.is_visible()
    _shot(tab, "workspace-opinions", width)
    _click(tab, "会议材料与决定")  # the round chosen above stays chosen
    _click(tab, "生成会议材料")
    pack = _download(tab, "下载会议材料（Excel）", tmp_path / "pack.xlsx")
    sheet = pack["会议决定"]
    header_row = next(r for r in sheet.iter_rows(min_row=1, max_row=10) if any(c.value == "会议决定" for c in r))
    column = next(c.column for c in header_row if c.value == "会议决定")
    sheet.cell(row=header_row[0].row + 1, column=column, value="准予入园")
    reason = next(c.column for c in header_row if c.value == "决定理由")
    sheet.cell(row=header_row[0].row + 1, column=reason, value="会议同意")
    filled = tmp_path / "pack-filled.xlsx"
    pack.save(filled)
    tab.locator('[data-testid="stFileUploader"] input[type="file"]').last.set_input_files(str(filled))
    _idle(tab)
    _click(tab, "记录会议决定")
    assert tab.get_by_text("已记录 1 家企业的会议决定").first.is_visible()
    _shot(tab, "workspace-meeting", width)
    _no_markup_rendered(tab)


def test_switching_language_keeps_every_choice(server, browser):
    """Streamlit hands a selectbox's choice back as the words it showed: without keeping the choice apart from
    the widget (ui/pages/common.py ``choose``), a language switch fell back to the first park and the
    park list of 全区统筹 emptied."""
    tab = _open(browser, server, 1024, "robustness")
    tab.locator('[data-testid="stSelectbox"]').first.click()
    tab.get_by_role("option", name="化工园").click()
    _idle(tab)
    _click(tab, "在标准权重上下浮动")
    steps = [
        ("English", "Chemical Park", "a spread around the standard weights"),
        ("中文", "化工园", "在标准权重上下浮动"),
        ("English", "Chemical Park", "a spread around the standard weights"),
    ]
    for language, park, spread in steps:
        _click(tab, language)
        assert tab.locator('[data-testid="stSelectbox"] input').first.input_value() == park
        assert tab.get_by_role("radio", name=spread).is_checked()
    _click(tab, "District")  # the same session, another page: its park list in English, none lost
    parks = tab.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "Chemical Park" in parks and "Bio-medicine Park" in parks
    _click(tab, "中文")
    assert "化工园" in tab.locator('[data-testid="stMultiSelect"]').first.inner_text()


def test_markup_names_are_in_the_list():
    """The checks above look for the markup the fixture plants: it must be there to be refused."""
    assert any("](http://example.com)" in n for n in MARKUP_NAMES.values())
    assert any(n.startswith("<img src=x") for n in MARKUP_NAMES.values())

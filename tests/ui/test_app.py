"""The Streamlit app driven headless with AppTest (absolute paths: AppTest resolves relative ones
against the calling test file)."""

import pytest
from streamlit.testing.v1 import AppTest

from screening.pipeline import screen_file
from screening.report import figures
from screening.rules.overrides import apply_overrides
from tests.conftest import DEMO, ROOT

APP = str(ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAX_SLIDER = "smart-mfg-town:gate.min-tax-per-mu"


@pytest.fixture()
def app():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def _admitted(profiles, overrides=None) -> int:
    rules = profiles["smart-mfg-town"]
    result = screen_file(DEMO, apply_overrides(rules, overrides) if overrides else rules)
    return figures.headline(result)["admit"]


def test_first_load_shows_the_screened_sample(app, profiles):
    assert metric(app, "企业总数") == "110"  # applicants to 智造新城 in the sample
    assert metric(app, "准予入园") == str(_admitted(profiles))
    table = app.dataframe[0].value
    assert list(table.columns)[:5] == ["排名", "企业名称", "结论", "等级", "综合得分"]
    assert table["排名"].iloc[0] == 1
    assert not app.error


def test_moving_a_threshold_slider_changes_the_admitted_count_as_the_engine_says(app, profiles):
    app.slider(key=TAX_SLIDER).set_value(20.0).run()
    assert not app.exception
    expected = _admitted(profiles, {"gate.min-tax-per-mu": 20.0})
    assert expected != _admitted(profiles)
    assert metric(app, "准予入园") == str(expected)
    assert any("亩均税收门槛" in m.value and "30 → 20" in m.value for m in app.sidebar.markdown)


def test_the_language_switch_changes_the_headers(app):
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert list(app.dataframe[0].value.columns)[:3] == ["Rank", "Firm", "Decision"]
    assert any(m.label == "Firms" for m in app.metric)


def test_uploading_a_workbook_screens_it(app, tmp_path):
    from tests.fixtures.make_fixtures import FIXTURES

    data = next(f for f in FIXTURES if f.name == "messy-but-valid.xlsx").build()
    app.file_uploader(key="upload").set_value(("名单.xlsx", data, XLSX)).run()
    assert not app.exception
    assert metric(app, "企业总数") == "3"
    names = app.dataframe[0].value["企业名称"].tolist()
    assert set(names) == {"鼎华精密机床有限公司", "瑞泰汽车部件有限公司", "恒远电子科技有限公司"}


def test_a_bad_upload_shows_an_error_and_no_exception(app):
    app.file_uploader(key="upload").set_value(("名单.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, XLSX)).run()
    assert not app.exception
    assert app.error
    assert "file-type-unknown" in " ".join(m.value for m in app.markdown)


def test_the_mapping_review_resolves_a_missing_column(app):
    from tests.fixtures.make_fixtures import FIXTURES

    data = next(f for f in FIXTURES if f.name == "missing-required-column.xlsx").build()
    app.file_uploader(key="upload").set_value(("缺列.xlsx", data, XLSX)).run()
    assert not app.exception
    assert app.warning  # a required column was not found
    assert metric(app, "待复核") == "3"  # a column the list lacks: review, with the material to supply
    box = next(b for b in app.selectbox if b.key and b.key.endswith(":tax_paid"))
    letter = next(o for o in box.options if "搬迁补偿" in o).split(" · ")[0]
    box.set_value(letter)
    app.button(key="FormSubmitter:mapping_apply-按此映射重新读取").click().run()
    assert not app.exception
    assert not app.warning
    assert metric(app, "未评分") == "0"


@pytest.mark.parametrize("view", ["view_firm", "view_charts", "view_issues", "view_export"])
def test_every_view_renders(app, view):
    app.radio(key="view").set_value(view).run()
    assert not app.exception
    if view == "view_export":
        assert len(app.get("download_button")) == 3


def test_reset_restores_the_standard(app, profiles):
    app.slider(key=TAX_SLIDER).set_value(20.0).run()
    app.button(key="reset").click().run()
    assert app.slider(key=TAX_SLIDER).value == 30.0
    assert metric(app, "准予入园") == str(_admitted(profiles))


def test_a_firm_can_be_found_by_its_excel_row(app):
    app.radio(key="view").set_value("view_firm").run()
    app.number_input(key="firm_row").set_value(265).run()
    assert not app.exception
    assert any("创瑞机床有限责任公司" in h.value for h in app.subheader)


def test_user_text_is_never_markdown_or_html(app):
    """A firm name from an upload shows as text: no image request, no link, no HTML."""
    header = "企业名称,实缴税金（万元）,现用地面积（亩）,行业代码\n"
    rows = [
        "![x](http://evil.example/x.png),800,20,3421",
        "<img src=x onerror=alert(1)>,700,20,3421",
        "[点我](http://evil.example),600,20,3421",
    ]
    data = (header + "\n".join(rows) + "\n").encode("utf-8")
    app.file_uploader(key="upload").set_value(("名单.csv", data, "text/csv")).run()
    app.radio(key="view").set_value("view_firm").run()
    for position in range(3):
        app.number_input(key="firm_row").set_value(position + 2).run()
        assert not app.exception
        shown = app.subheader[-1].value
        assert "![" not in shown and "](" not in shown and "<img" not in shown


def test_an_evaluation_profile_shows_its_graded_firms(app):
    from ui import state

    app.selectbox(key=state.PARK).set_value("huangyan-2022").run()
    assert not app.exception
    decisions = set(app.dataframe[0].value["结论"])
    assert decisions and all("已评价" in d for d in decisions)

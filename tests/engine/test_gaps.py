"""A column the list lacks is not a blank cell; blank cells a rule's default fills are reported.

The district list below is shaped like the one that admitted nobody: it has no 产业目录类别,
涉及危险化学品, 两高项目 column (three gates), and no 工业增加值, 研发费用, 综合能耗, 职工人数 (four
criteria). Its best firm pays 160 万元/亩 in tax. Before, every firm failed or could not pass the
gates "for lack of data" and scored too low on the criteria it could not be scored on: nobody was
admitted and the best firm was rejected. Now it is in review, with the material to supply listed.
"""

import io

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from screening.cli import main
from screening.engine.conditions import MISSING, NA, PASS
from screening.engine.screen import screen
from screening.pipeline import screen_file
from screening.report.reasons import firm_reasons
from tests.conftest import firms, minimal_rules
from tests.engine.test_screen import NO_ACCIDENT, REVIEW_GATE, base_frame

HEADER = [
    "序号", "企业名称", "统一社会信用代码", "行业代码", "所属行业", "拟入园区", "营业收入（万元）", "实缴税金（万元）",
    "现用地面积（亩）", "拟申请用地（亩）", "计划总投资（万元）", "近三年环境违法", "近三年安全事故",
]  # fmt: skip
FIRMS = [  # 实缴税金 ÷ 现用地面积: 160, 45, 32, 12 万元/亩
    ["1", "华辰精密机械有限公司", "91330100MA2H4T5X1K", "3421", "金属切削机床", "智造新城",
     42000, 3200, 20, 22, 9900, "否", "否"],
    ["2", "东岳传动科技有限公司", "91330100MA2H4T6Y2L", "3451", "轴承", "智造新城",
     15000, 900, 20, 20, 6400, "否", "否"],
    ["3", "恒达电机有限公司", "91330100MA2H4T7Z3M", "3811", "电动机", "智造新城", 9000, 480, 15, 15, 4800, "否", "否"],
    ["4", "利民五金厂", "91330100MA2H4T8A4N", "3311", "结构性金属制品", "智造新城",
     3000, 120, 10, 12, 2600, "否", "是"],
]  # fmt: skip


def district_workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("入园申请汇总")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "XX区2025年拟搬迁入园企业申请汇总表")
    sheet.write_row(1, 0, ["填报单位：区经信局", "", "", "金额单位：万元"])
    sheet.write_row(2, 0, HEADER)
    for r, row in enumerate(FIRMS, start=3):
        sheet.write_row(r, 0, row)
    sheet.write_row(3 + len(FIRMS), 0, ["合计", "", "", "", "", "", 69000, 4700, 65, 69, 23700])
    book.close()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def district(profiles):
    return screen_file(district_workbook(), profiles["smart-mfg-town"], file_name="入园申请汇总.xlsx")


def test_the_best_firm_of_the_district_list_is_in_review_with_the_material_to_supply(district):
    summary = district.summary
    assert summary["name"].iloc[0] == "华辰精密机械有限公司" and district.indicators["tax_per_mu"].iloc[0] == 160
    assert summary["decision"].tolist() == ["review", "review", "review", "reject"]  # 利民 had an accident
    reasons = firm_reasons(district, 0)
    material = next(r for r in reasons if r.startswith("待补充材料："))
    for needed in ("产业目录类别（经信）", "涉及危险化学品（安监）", "两高项目（环保）", "工业增加值", "研发费用"):
        assert needed in material, (needed, material)
    assert not any("无数据" in r or "一票否决" in r for r in reasons)


def test_one_file_level_finding_names_what_is_absent_what_it_disables_and_how_to_fix_it(district):
    absent = district.issues[district.issues["code"] == "rule-input-absent"]
    assert len(absent) == 1 and pd.isna(absent["row"].iloc[0])
    message = absent["message_zh"].iloc[0]
    for words in ("产业目录类别", "不属于淘汰类", "经信", "涉及危险化学品", "安监", "工业增加值", "列映射"):
        assert words in message, words
    assert {"catalogue_class", "hazardous_chemicals", "two_high", "value_added", "rd_expense"} <= set(district.absent)


def test_the_cli_says_so_too(tmp_path, capsys):
    path = tmp_path / "入园申请汇总.xlsx"
    path.write_bytes(district_workbook())
    out = tmp_path / "result.csv"
    assert main(["score", str(path), "--rules", "smart-mfg-town", "--out", str(out)]) == 0
    assert "准予入园 0 · 待复核 3 · 不予入园 1" in capsys.readouterr().out
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["reasons_zh"].iloc[0].startswith("待补充材料：")


# --- on_absent policies ------------------------------------------------------------------------------

ACCIDENT = "\ngates:\n" + NO_ACCIDENT  # a veto with on_missing: fail


def _absent(policy: str):
    gates = ACCIDENT + (f"    on_absent: {policy}\n" if policy else "")
    return screen(base_frame().drop(columns=["safety_accident"]), minimal_rules(gates=gates))


def test_on_absent_review_is_the_default_for_a_veto_even_with_on_missing_fail():
    result = _absent("")
    assert result.summary["decision"].tolist() == ["review", "review", "review", "review"]
    assert result.materials["safety_accident"].all() and result.flags["gate_absent"].all()
    assert firm_reasons(result, 0)[0] == "待补充材料：近三年安全事故（安监）"


def test_on_absent_skip_does_not_check_and_says_so():
    result = _absent("skip")
    assert (result.gates["no-accident"].status == NA).all()
    assert result.summary["decision"].tolist()[0] == "admit"
    assert "未检查“近三年无安全事故”：表格无“近三年安全事故”列" in firm_reasons(result, 0)


def test_on_absent_fail_rejects_and_says_why():
    result = _absent("fail")
    assert (result.summary["decision"] == "reject").all()
    assert firm_reasons(result, 0)[0] == "表格无“近三年安全事故”列，按未通过处理（安监，一票否决）"


def test_on_absent_assume_judges_every_firm_on_the_declared_value():
    result = _absent("{assume: false}")
    assert (result.gates["no-accident"].status == PASS).all()
    assert all(
        "“近三年无安全事故”按假定值 否 判断：表格无“近三年安全事故”列" in firm_reasons(result, i) for i in range(4)
    )
    failing = _absent("{assume: true}")
    assert (failing.summary["decision"] == "reject").all()
    assert firm_reasons(failing, 0)[0].endswith("（按假定值判断）（安监，一票否决）")


def test_a_blank_cell_is_still_a_blank_cell():
    frame = base_frame(safety_accident=pd.array([False, None, False, False], dtype="boolean"))
    result = screen(frame, minimal_rules(gates=ACCIDENT))
    assert result.summary["decision"].iloc[1] == "reject"  # on_missing: fail, as the rule says
    assert "safety_accident" not in result.absent and not result.materials.to_numpy().any()


def test_a_missing_condition_on_an_absent_column_is_not_met():
    penalty = """  adjustments:
    - {id: no-rd, label: {zh: 未报研发}, when: {missing: rd_expense}, points: -3, basis: fsou-lower-better}"""
    rules = minimal_rules(gates=REVIEW_GATE, adjustments=penalty)
    blank = screen(base_frame(rd_expense=[500.0, np.nan, 500.0, 500.0]), rules)
    assert blank.adjustments["no-rd"].tolist() == [0.0, -3.0, 0.0, 0.0]  # a firm that did not report
    absent = screen(base_frame().drop(columns=["rd_expense"]), rules)
    assert absent.adjustments["no-rd"].tolist() == [0.0] * 4  # nobody was asked


# --- defaults for blank cells ---------------------------------------------------------------------


def test_a_default_fills_blank_cells_and_is_reported_on_each_firm():
    rules = minimal_rules(gates=ACCIDENT, **{"  safety_accident: {}": "  safety_accident: {default: false}"})
    frame = base_frame(safety_accident=pd.array([False, None, None, True], dtype="boolean"))
    result = screen(frame, rules)
    assert result.gates["no-accident"].status.tolist()[:3] == [PASS, PASS, PASS]
    assert result.summary["decision"].tolist() == ["admit", "review", "admit", "reject"]  # 乙 class C, 丁 accident
    issues = result.issues[result.issues["code"] == "value-default-used"]
    assert issues["row"].tolist() == [3, 4]
    assert "近三年安全事故 空白，按默认值 否 计" in firm_reasons(result, 2)
    assert result.filled["safety_accident"].tolist() == [False, True, True, False]


def test_a_default_does_not_stand_in_for_an_absent_column():
    rules = minimal_rules(gates=ACCIDENT, **{"  safety_accident: {}": "  safety_accident: {default: false}"})
    result = screen(base_frame().drop(columns=["safety_accident"]), rules)
    assert (result.gates["no-accident"].status == MISSING).all() and (result.summary["decision"] != "admit").all()


def test_a_default_must_fit_the_input(capsys):
    from screening.issues.record import ScreeningError

    with pytest.raises(ScreeningError) as caught:
        minimal_rules(**{"  safety_accident: {}": "  safety_accident: {default: 12}"})
    assert [(i.code, i.column) for i in caught.value.issues] == [("rule-op-value", "inputs.safety_accident.default")]


def test_blank_text_cells_in_a_categorical_column_take_the_default():
    rules = minimal_rules(gates="gates: []", **{"  scale: {}": "  scale: {default: 规下}"})
    frame = firms(
        name=["甲", "乙"], scale=pd.Categorical(["规上", None]), tax_paid=[300.0, 300.0], land_area=[10.0] * 2
    )
    assert screen(frame, rules).firms["scale"].astype(str).tolist() == ["规上", "规下"]


def test_a_list_in_other_words_and_units_gives_the_same_numbers_and_names_what_it_lacks(profiles, tmp_path):
    # header wordings from tests/fixtures/headers/corpus.yaml (public forms): tax in 元, land in m² over
    # two lines, revenue and R&D in 千元, investment in 亿元; no flag columns, no value added, no energy
    headers = ["企业名称", "入库税收（元）", "用地面积\n（平方米）", "营业收入（千元）", "研究开发费用合计（千元）",
               "计划总投资（亿元）", "拟申请用地（亩）"]  # fmt: skip
    row = ["华辰精密", 32_000_000, 13_333.3333333333, 420_000, 15_000, 0.99, 22]
    path = tmp_path / "其他写法.csv"
    pd.DataFrame([row], columns=headers).to_csv(path, index=False, encoding="utf-8-sig")
    result = screen_file(path, profiles["smart-mfg-town"])
    # 3,200 万元 ÷ (13,333.33 m² × 0.0015 = 20 亩) = 160 万元/亩; 1,500 ÷ 42,000 万元 = 3.571… %; 9,900 ÷ 22 = 450
    assert result.indicators["tax_per_mu"].iloc[0] == pytest.approx(160.0, rel=1e-9)
    assert result.indicators["rd_ratio"].iloc[0] == pytest.approx(1500 / 42000 * 100, rel=1e-12)
    assert result.indicators["investment_intensity"].iloc[0] == pytest.approx(450.0, rel=1e-12)
    assert result.summary["decision"].iloc[0] == "review"
    assert {"safety_accident", "hazardous_chemicals", "value_added", "energy_tce"} <= set(result.absent)
    assert firm_reasons(result, 0)[0].startswith("待补充材料：")

"""Write sample_data/demo_firms.xlsx: ~300 relocating firms in the shape of a district export.

Fixed seed, so the file is the same on every machine. Distributions are described (and
their sources given) in sample_data/README.md. Run: python sample_data/make_demo.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

SEED = 20181126
OUT = Path(__file__).with_name("demo_firms.xlsx")
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@dataclass(frozen=True)
class Park:
    """How the applicants to one park are drawn (sources and reasoning in sample_data/README.md)."""

    count: int
    industries: dict[str, tuple[str, str]]  # GB/T 4754-2017 code -> (industry name, word for firm names)
    tax_median: float  # 亩均税收 median, 万元/亩
    land_median: float  # current land, 亩
    rd_median: float  # R&D ÷ revenue, %
    energy_median: float  # tce per 万元 revenue
    emission_median: float  # tonnes per 万元 revenue
    high_tech: float  # share of 高新技术企业
    hazardous: float  # share handling hazardous chemicals
    tech_staff: tuple[float, float]  # share of technical staff, uniform range
    patents_mean: float
    years: tuple[int, int]  # years in production, uniform range
    investment_median: float  # planned investment ÷ requested land, 万元/亩


PARKS = {
    "智造新城": Park(
        110,
        {
            "3311": ("金属结构制造", "钢构"),
            "3421": ("金属切削机床制造", "机床"),
            "3441": ("泵及真空设备制造", "泵业"),
            "3491": ("工业机器人制造", "机器人"),
            "3511": ("矿山机械制造", "重工"),
            "3670": ("汽车零部件及配件制造", "汽车部件"),
            "3716": ("铁路机车车辆配件制造", "轨道装备"),
            "3812": ("电动机制造", "电机"),
            "3841": ("锂离子电池制造", "锂电"),
            "3982": ("电子电路制造", "电子"),
            "4011": ("工业自动控制系统装置制造", "自动化"),
            "2929": ("塑料零件及其他塑料制品制造", "塑业"),
            "3130": ("钢压延加工", "钢材"),
        },
        tax_median=20,
        land_median=30,
        rd_median=3.0,
        energy_median=0.06,
        emission_median=0.00005,
        high_tech=0.30,
        hazardous=0.04,
        tech_staff=(0.05, 0.22),
        patents_mean=2.0,
        years=(3, 30),
        investment_median=400,
    ),
    "生物医药产业园": Park(
        45,
        {
            "2710": ("化学药品原料药制造", "药业"),
            "2720": ("化学药品制剂制造", "制药"),
            "2740": ("中成药生产", "中药"),
            "2761": ("生物药品制造", "生物"),
            "2770": ("卫生材料及医药用品制造", "医用材料"),
            "3581": ("医疗诊断、监护及治疗设备制造", "医疗器械"),
        },
        tax_median=23,
        land_median=25,
        rd_median=4.5,
        energy_median=0.08,
        emission_median=0.00008,
        high_tech=0.45,
        hazardous=0.30,
        tech_staff=(0.12, 0.35),
        patents_mean=4.0,
        years=(2, 25),
        investment_median=380,
    ),
    "化工园": Park(
        45,
        {
            "2511": ("原油加工及石油制品制造", "石化"),
            "2614": ("有机化学原料制造", "化工"),
            "2631": ("化学农药制造", "农化"),
            "2641": ("涂料制造", "涂料"),
            "2662": ("专项化学用品制造", "精细化工"),
            "2911": ("轮胎制造", "轮胎"),
            "2922": ("塑料板、管、型材制造", "管业"),
        },
        tax_median=20,
        land_median=60,
        rd_median=1.6,
        energy_median=0.35,
        emission_median=0.0003,
        high_tech=0.20,
        hazardous=0.90,
        tech_staff=(0.04, 0.15),
        patents_mean=1.0,
        years=(5, 35),
        investment_median=330,
    ),
    "中小企业转型发展示范园": Park(
        60,
        {
            "1399": ("其他未列明农副食品加工", "食品"),
            "1430": ("方便食品制造", "食品"),
            "1810": ("机织服装制造", "服饰"),
            "2110": ("木质家具制造", "家居"),
            "2231": ("纸和纸板容器制造", "包装"),
            "2319": ("包装装潢及其他印刷", "印务"),
            "2929": ("塑料零件及其他塑料制品制造", "塑胶"),
            "3360": ("金属表面处理及热处理加工", "表面处理"),
            "3389": ("其他金属制日用品制造", "五金"),
        },
        tax_median=12,
        land_median=8,
        rd_median=1.2,
        energy_median=0.05,
        emission_median=0.00004,
        high_tech=0.10,
        hazardous=0.05,
        tech_staff=(0.02, 0.10),
        patents_mean=0.4,
        years=(2, 30),
        investment_median=250,
    ),
    "高层次人才创新创业基地": Park(
        40,
        {
            "6513": ("应用软件开发", "软件"),
            "6520": ("集成电路设计", "芯片"),
            "6531": ("信息系统集成服务", "信息技术"),
            "7320": ("工程和技术研究和试验发展", "研究院"),
            "7340": ("医学研究和试验发展", "医学科技"),
            "4014": ("实验分析仪器制造", "仪器"),
        },
        tax_median=11,
        land_median=6,
        rd_median=7.0,
        energy_median=0.015,
        emission_median=0.00001,
        high_tech=0.55,
        hazardous=0.02,
        tech_staff=(0.30, 0.70),
        patents_mean=6.0,
        years=(1, 8),
        investment_median=200,
    ),
}
BRAND = list("鼎华瑞泰恒嘉宏盛正晟博润祥远通鑫源中新科丰达创元明德金海天宇信安诚立昌隆")
SUFFIX = ["有限公司", "股份有限公司", "科技有限公司", "有限责任公司"]
HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "行业代码",
    "所属行业",
    "拟入园区",
    "企业规模",
    "投产年限（年）",
    "营业收入（万元）",
    "工业增加值（万元）",
    "实缴税金（万元）",
    "研发费用（万元）",
    "综合能耗（吨标准煤）",
    "用电量（万千瓦时）",
    "主要污染物排放量（吨）",
    "年平均职工人数（人）",
    "科技人员数（人）",
    "有效发明专利（件）",
    "现用地面积（亩）",
    "拟申请用地（亩）",
    "计划总投资（万元）",
    "搬迁补偿（万元）",
    "高新技术企业",
    "专精特新",
    "隐形冠军",
    "上市企业",
    "近三年环境违法",
    "近三年安全事故",
    "涉及危险化学品",
    "两高项目",
    "产业目录类别",
    "备注",
]
MONEY = {
    "营业收入（万元）",
    "工业增加值（万元）",
    "实缴税金（万元）",
    "研发费用（万元）",
    "计划总投资（万元）",
    "搬迁补偿（万元）",
}


def credit_code(rng: np.random.Generator) -> str:
    body = "91370100" + "".join(rng.choice(list(CREDIT_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY"), 9))
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARS[(31 - total % 31) % 31]


def firm_names(rng: np.random.Generator, words: list[str]) -> list[str]:
    seen: set[str] = set()
    names = []
    for word in words:
        while True:
            name = "".join(rng.choice(BRAND, 2)) + word + str(rng.choice(SUFFIX))
            if name not in seen:
                seen.add(name)
                names.append(name)
                break
    return names


def flags(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Exactly round(share × n) firms flagged, at random positions."""
    out = np.zeros(n, dtype=bool)
    out[rng.permutation(n)[: round(share * n)]] = True
    return out


def park_frame(rng: np.random.Generator, name: str, park: Park) -> pd.DataFrame:
    n = park.count
    small = name.startswith("中小")
    codes = rng.choice(list(park.industries), n)
    land = np.round(np.exp(rng.normal(np.log(park.land_median), 0.7, n)), 1).clip(1.5)
    tax_per_mu = np.exp(rng.normal(np.log(park.tax_median), 0.9, n))
    tax = np.round(tax_per_mu * land, 1)
    revenue = np.round(tax / rng.uniform(0.03, 0.09, n), 0)
    value_added = np.round(revenue * rng.uniform(0.18, 0.35, n), 0)
    rd_ratio = np.exp(rng.normal(np.log(park.rd_median), 0.7, n)) * ~flags(rng, n, 0.18 if small else 0.05)
    energy = np.round(revenue * np.exp(rng.normal(np.log(park.energy_median), 0.6, n)), 1)
    employees = np.maximum(np.round(revenue / rng.uniform(60, 200, n)), 5)
    requested = np.round(land * rng.uniform(0.6, 1.3, n), 1).clip(1)
    intensity = np.exp(rng.normal(np.log(park.investment_median), 0.35, n))
    return pd.DataFrame(
        {
            "企业名称": firm_names(rng, [park.industries[c][1] for c in codes]),
            "统一社会信用代码": [credit_code(rng) for _ in range(n)],
            "行业代码": codes,
            "所属行业": [park.industries[c][0] for c in codes],
            "拟入园区": name,
            "企业规模": np.where(revenue >= 2000, "规上", "规下"),
            "投产年限（年）": rng.integers(park.years[0], park.years[1] + 1, n),
            "营业收入（万元）": revenue,
            "工业增加值（万元）": value_added,
            "实缴税金（万元）": tax,
            "研发费用（万元）": np.round(revenue * rd_ratio / 100, 1),
            "综合能耗（吨标准煤）": energy,
            "用电量（万千瓦时）": np.round(energy * rng.uniform(0.5, 0.8, n) / 1.229, 1),
            "主要污染物排放量（吨）": np.round(revenue * np.exp(rng.normal(np.log(park.emission_median), 0.7, n)), 2),
            "年平均职工人数（人）": employees,
            "科技人员数（人）": np.round(employees * rng.uniform(*park.tech_staff, n)),
            "有效发明专利（件）": rng.poisson(park.patents_mean, n),
            "现用地面积（亩）": land,
            "拟申请用地（亩）": requested,
            "计划总投资（万元）": np.round(intensity * requested, 0),
            "搬迁补偿（万元）": np.round(land * rng.uniform(60, 180, n), 0),
            "高新技术企业": flags(rng, n, park.high_tech),
            "专精特新": flags(rng, n, 0.25 if small else 0.12),
            "隐形冠军": flags(rng, n, 0.03),
            "上市企业": flags(rng, n, 0.03),
            "近三年环境违法": flags(rng, n, 0.12 if name == "化工园" else 0.05),
            "近三年安全事故": flags(rng, n, 0.08 if name == "化工园" else 0.03),
            "涉及危险化学品": flags(rng, n, park.hazardous),
            "两高项目": flags(rng, n, 0.30 if name == "化工园" else 0.02),
            "产业目录类别": rng.choice(["鼓励类", "允许类", "限制类", "淘汰类"], n, p=[0.50, 0.40, 0.07, 0.03]),
            "备注": "",
        }
    )


def add_gaps(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Realistic holes: energy not reported, R&D blank, a credit code not yet on file."""
    frame = frame.astype({c: object for c in frame.columns})
    n = len(frame)
    for column, share in (
        ("综合能耗（吨标准煤）", 0.05),
        ("研发费用（万元）", 0.03),
        ("年平均职工人数（人）", 0.02),
        ("统一社会信用代码", 0.02),
        ("主要污染物排放量（吨）", 0.04),
    ):
        holes = flags(rng, n, share)
        frame.loc[holes, column] = None
    frame.loc[frame["综合能耗（吨标准煤）"].isna(), "备注"] = "能耗数据未报送"
    return frame


def build(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = [park_frame(rng, name, park) for name, park in PARKS.items()]
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame = add_gaps(rng, frame)
    frame.insert(0, "序号", range(1, len(frame) + 1))
    return frame[HEADERS]


def write(frame: pd.DataFrame, path: Path = OUT) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("拟入园企业")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1, "bg_color": "#DDEBF7"}
    )
    text = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "#,##0.0"})
    last = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last, "XX区首批拟搬迁入园企业基本情况汇总表", title)
    sheet.write(1, 0, "填报单位：XX区经济和信息化局（盖章）      金额单位：万元      填报日期：2026年11月20日")
    sheet.write_row(2, 0, HEADERS, head)
    for i, record in enumerate(frame.itertuples(index=False), start=3):
        for j, value in enumerate(record):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                sheet.write_blank(i, j, None, text)
            elif isinstance(value, bool | np.bool_):
                sheet.write_string(i, j, "是" if value else "否", text)
            elif isinstance(value, str):
                sheet.write_string(i, j, value, text)
            else:
                sheet.write_number(i, j, float(value), number if HEADERS[j] in MONEY else text)
    total_row = 3 + len(frame)
    sheet.write(total_row, 0, "合计", head)
    for j, header in enumerate(HEADERS):
        if header in MONEY or header in ("现用地面积（亩）", "拟申请用地（亩）"):
            sheet.write_number(total_row, j, float(pd.to_numeric(frame[header]).sum()), number)
    sheet.write(
        total_row + 1,
        0,
        "注：1. 经济数据为2025年度税务、统计部门数据；2. 亩均税收 = 实缴税金 ÷ 现用地面积；"
        "3. 能耗、排放由企业填报，部分企业未报送。",
    )
    sheet.set_row(2, 36)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 21)
    sheet.set_column(3, last, 11)
    sheet.freeze_panes(3, 2)
    book.close()


def main() -> int:
    frame = build()
    write(frame)
    print(f"wrote {OUT} ({len(frame)} firms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The demo batch against every shipped profile, and a second list that looks different on purpose.

The variant list is the demo's firms written the way another office would: other header words taken
from tests/fixtures/headers/corpus.yaml (拟用地面积, 拟入驻园区, 搬迁补偿金额, 实缴税收), land requested in 平方米,
compensation in 亿元, tax in 千元, land used in 公顷, no credit-code and no energy column, and only the first 120 firms.
"""

from __future__ import annotations

import importlib.util
import io
import sys

import pandas as pd
import pytest

from screening.district import Options, district_matrix, load_batch
from screening.district.plan import allocate
from screening.rules.loading import list_rule_files, load_rules
from tests.conftest import DEMO, ROOT

VARIANT_HEADERS = {
    "拟申请用地（亩）": "拟用地面积（平方米）",  # corpus: 拟用地面积（平方米）
    "搬迁补偿（万元）": "搬迁补偿金额（亿元）",  # corpus: 搬迁补偿金额（万元）, here in 亿元
    "拟入园区": "拟入驻园区",  # corpus
    "实缴税金（万元）": "实缴税收(千元)",  # corpus: 实缴税收(万元), here in 千元
    "现用地面积（亩）": "占地面积（公顷）",  # corpus: 占地（亩）, here 占地面积 in 公顷
}
SCALE = {
    "拟用地面积（平方米）": 666.6666666666666,
    "搬迁补偿金额（亿元）": 1e-4,
    "实缴税收(千元)": 10.0,
    "占地面积（公顷）": 1 / 15,
}
VARIANT_ROWS = 120


def _make_demo():
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "sample_data" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def all_rulesets():
    return [load_rules(path) for path in list_rule_files()]


@pytest.fixture(scope="session")
def demo_upload() -> tuple[str, bytes]:
    return (DEMO.name, DEMO.read_bytes())


@pytest.fixture(scope="session")
def demo_frame() -> pd.DataFrame:
    return _make_demo().build()


@pytest.fixture(scope="session")
def variant_upload(demo_frame) -> tuple[str, bytes]:
    frame = demo_frame.head(VARIANT_ROWS).drop(columns=["统一社会信用代码", "综合能耗（吨标准煤）"])
    frame = frame.rename(columns=VARIANT_HEADERS)
    for column, factor in SCALE.items():
        frame[column] = pd.to_numeric(frame[column]) * factor
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].map({True: "是", False: "否"})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="入园企业")
    return ("另一个办公室.xlsx", buffer.getvalue())


@pytest.fixture(scope="session")
def demo_batch(demo_upload, all_rulesets):
    return load_batch([demo_upload], all_rulesets)


@pytest.fixture(scope="session")
def demo_matrix(demo_batch):
    return district_matrix(demo_batch)


@pytest.fixture(scope="session")
def demo_plan(demo_batch, demo_matrix):
    return allocate(demo_batch, demo_matrix, Options(tax_lines=(500.0, 50.0)))

"""The demo workbook: reproducible from its generator, and shaped as sample_data/README.md says."""

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from screening.pipeline import screen_file
from tests.conftest import DEMO, ROOT


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "sample_data" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def frame(generator):
    return generator.build()


def test_the_generator_is_deterministic(generator, frame):
    pd.testing.assert_frame_equal(generator.build(), frame)


def test_the_committed_workbook_holds_the_generated_values(frame, profiles):
    result = screen_file(DEMO, profiles["smart-mfg-town"], applicants_only=False)
    firms = result.firms
    assert len(firms) == len(frame) == 300
    assert firms["name"].tolist() == frame["企业名称"].tolist()
    assert firms["credit_code"].fillna("").tolist() == frame["统一社会信用代码"].fillna("").tolist()
    assert firms["credit_code"].isna().sum() == 6
    np.testing.assert_allclose(firms["tax_paid"], pd.to_numeric(frame["实缴税金（万元）"]))
    assert result.source["header_rows"] == [3]
    assert dict(zip(result.skipped["source_row"], result.skipped["reason_code"], strict=True)) == {
        1: "title-row",
        2: "title-row",
        304: "total-row",
        305: "note-row",
    }
    assert not (result.issues["severity"] == "error").any()


def test_tax_per_mu_is_heavy_tailed_around_15(frame):
    tax = pd.to_numeric(frame["实缴税金（万元）"]) / pd.to_numeric(frame["现用地面积（亩）"])
    assert 13 <= tax.median() <= 18
    assert tax.mean() > 1.3 * tax.median()
    assert 0.05 <= (tax < 5).mean() <= 0.15


def test_every_park_and_the_realistic_gaps_are_there(frame):
    assert frame["拟入园区"].value_counts().to_dict() == {
        "智造新城": 110,
        "中小企业转型发展示范园": 60,
        "生物医药产业园": 45,
        "化工园": 45,
        "高层次人才创新创业基地": 40,
    }
    assert frame["综合能耗（吨标准煤）"].isna().sum() == 15
    assert frame["统一社会信用代码"].isna().sum() == 6
    assert (frame["涉及危险化学品"] == True).sum() == 62  # noqa: E712 - a column of Python bools

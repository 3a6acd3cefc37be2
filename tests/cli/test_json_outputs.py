"""Every JSON the CLI writes is strict JSON: no NaN or Infinity (other systems' parsers refuse them)."""

from __future__ import annotations

import json

import pytest

from screening.cli import main
from tests.conftest import DEMO


def _strict(text: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "argv",
    [
        ["score", str(DEMO), "--rules", "chemical-park", "--all"],
        ["score", str(DEMO), "--rules", "huangyan-2022"],
        ["district", str(DEMO)],
        ["whatif", str(DEMO), "--rules", "smart-mfg-town"],
        ["robustness", str(DEMO), "--rules", "huangyan-2022", "--samples", "200"],
        ["robustness", str(DEMO), "--rules", "smart-mfg-town", "--samples", "200", "--weights", "spread:0.2"],
    ],
    ids=["score", "evaluation", "district", "whatif", "robustness-evaluation", "robustness"],
)
def test_json_outputs_are_strict(argv, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main([*argv, "--out", str(out)]) == 0
    capsys.readouterr()
    payload = _strict(out.read_text(encoding="utf-8"))
    assert payload["firms" if "firms" in payload else "allocation"]


def test_the_strict_parser_refuses_nan():
    with pytest.raises(ValueError):
        _strict('{"p": NaN}')

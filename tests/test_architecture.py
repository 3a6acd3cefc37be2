"""The project's promises about its own code: a UI-free core, no code evaluation, no row-wise scoring."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted((ROOT / "screening").rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit_or_plotly():
    offenders = {p.name: _imports(p) & {"streamlit", "plotly"} for p in CORE}
    assert not {k: v for k, v in offenders.items() if v}


def test_core_never_evaluates_code():
    for path in CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    assert func.id not in {"eval", "exec", "compile", "__import__"}, f"{path.name}:{node.lineno}"
                elif isinstance(func, ast.Attribute):  # pd.eval, DataFrame.eval, DataFrame.query
                    assert func.attr not in {"eval", "exec", "query"}, f"{path.name}:{node.lineno}"


def test_core_has_no_row_wise_apply():
    for path in CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "apply":
                axis = [k for k in node.keywords if k.arg == "axis"]
                assert not axis or not (
                    isinstance(axis[0].value, ast.Constant) and axis[0].value.value in (1, "columns")
                ), f"{path.name}:{node.lineno}"


def test_rule_files_and_uploads_are_parsed_with_safe_loaders():
    text = (ROOT / "screening" / "rules" / "yaml_io.py").read_text(encoding="utf-8")
    assert 'typ="rt"' in text  # ruamel round-trip mode builds only plain data types
    assert "pickle" not in (ROOT / "screening" / "intake" / "sandbox.py").read_text(encoding="utf-8")

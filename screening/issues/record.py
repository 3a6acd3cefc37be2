"""One record shape for every problem: rule files, uploads, cells, rows and rules that cannot apply.

An issue has a stable kebab-case ``code`` from the catalogue below, a ``severity``, where it is
(``source`` file, ``row`` — the Excel row a person sees, or the YAML line of a rule file —
and ``column`` — the sheet column, or the key path inside a rule file), the offending
``value`` and a message in Chinese and English rendered from the code's templates.
A report is a DataFrame with exactly :data:`ISSUE_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

ISSUE_COLUMNS = ["code", "severity", "source", "row", "column", "value", "message_zh", "message_en"]
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: str
    title_zh: str
    title_en: str
    template_zh: str
    template_en: str


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    source: str
    row: int | None
    column: str
    value: str
    message_zh: str
    message_en: str

    def where(self) -> str:
        """'rules/x.yaml:40: gates[2].value' — file, row or line, column or key path (what is known)."""
        place = ":".join(p for p in (self.source, "" if self.row is None else str(self.row)) if p)
        return ": ".join(p for p in (place, self.column) if p)

    def one_line(self, lang: str = "zh") -> str:
        message = self.message_zh if lang == "zh" else self.message_en
        where = self.where()
        return f"{where}: {message} [{self.code}]" if where else f"{message} [{self.code}]"


def _t(code, severity, title_zh, title_en, template_zh, template_en) -> IssueType:
    return IssueType(code, severity, title_zh, title_en, template_zh, template_en)


CATALOGUE: dict[str, IssueType] = {
    t.code: t
    for t in [
        # --- rule files -----------------------------------------------------------------
        _t(
            "rule-file-unreadable",
            "error",
            "规则文件无法读取",
            "Rule file unreadable",
            "无法读取规则文件：{detail}",
            "Cannot read the rule file: {detail}",
        ),
        _t(
            "rule-yaml-syntax",
            "error",
            "YAML 语法错误",
            "YAML syntax error",
            "YAML 语法错误：{detail}。请检查缩进、冒号和引号。",
            "YAML syntax error: {detail}. Check indentation, colons and quotes.",
        ),
        _t(
            "rule-duplicate-key",
            "error",
            "重复的键",
            "Duplicate key",
            "键 “{value}” 出现了两次，请删除其中一个。",
            "Key '{value}' appears twice; remove one of them.",
        ),
        _t(
            "rule-unknown-key",
            "error",
            "未知的键",
            "Unknown key",
            "不认识的键 “{value}”（拼写错误？）。此处允许：{allowed}。",
            "Unknown key '{value}' (a typo?). Allowed here: {allowed}.",
        ),
        _t(
            "rule-missing-key",
            "error",
            "缺少必填的键",
            "Required key missing",
            "缺少必填的键 “{value}”。",
            "Required key '{value}' is missing.",
        ),
        _t(
            "rule-wrong-type",
            "error",
            "类型错误",
            "Wrong type",
            "值 {value} 的类型不对，应为{expected_zh}。",
            "Value {value} has the wrong type; expected {expected_en}.",
        ),
        _t(
            "rule-bad-choice",
            "error",
            "取值不在允许范围",
            "Value not one of the choices",
            "值 {value} 不可用，可选：{allowed}。",
            "Value {value} is not allowed; choose one of: {allowed}.",
        ),
        _t(
            "rule-schema-version",
            "error",
            "不支持的规则格式版本",
            "Unsupported rule schema",
            "schema 应为 “{expected}”，实际为 {value}。",
            "schema must be '{expected}', found {value}.",
        ),
        _t(
            "rule-formula-syntax",
            "error",
            "公式无法解析",
            "Formula cannot be parsed",
            "公式 “{value}” 无法使用：{detail_zh}。只允许 + - * / 、括号、数字、min/max/abs 和已声明的名称。",
            "Formula '{value}' cannot be used: {detail_en}. Only + - * /, parentheses, numbers, "
            "min/max/abs and declared names are allowed.",
        ),
        _t(
            "rule-unknown-reference",
            "error",
            "引用了未声明的名称",
            "Unknown reference",
            "“{value}” 没有声明（{kind_zh}）。已声明：{allowed}。",
            "'{value}' is not declared ({kind_en}). Declared: {allowed}.",
        ),
        _t(
            "rule-circular-formula",
            "error",
            "公式循环引用",
            "Circular formula",
            "指标公式循环引用：{value}。",
            "Indicator formulas refer to each other in a circle: {value}.",
        ),
        _t(
            "rule-weights-sum",
            "error",
            "权重之和不符",
            "Weights do not add up",
            "评分项权重之和为 {value}，应为 {expected}。",
            "Criterion weights add up to {value}, not {expected}.",
        ),
        _t(
            "rule-threshold-out-of-range",
            "error",
            "取值超出可调范围",
            "Value outside its tunable range",
            "取值 {value} 超出可调范围 {low}–{high}。",
            "Value {value} lies outside its tunable range {low}–{high}.",
        ),
        _t(
            "rule-unknown-source",
            "error",
            "政策依据编号不存在",
            "Unknown policy source",
            "政策依据 “{value}” 不在 seeds/sources.yaml 中。",
            "Policy basis '{value}' is not listed in seeds/sources.yaml.",
        ),
        _t(
            "rule-duplicate-id",
            "error",
            "编号重复",
            "Duplicate id",
            "编号 “{value}” 已被使用，每条规则的编号必须唯一。",
            "Id '{value}' is used twice; ids must be unique.",
        ),
        _t(
            "rule-bad-bands",
            "error",
            "等级划分有误",
            "Class bands are inconsistent",
            "等级划分有误：{detail_zh}。",
            "Class bands are inconsistent: {detail_en}.",
        ),
        _t(
            "rule-decision-class",
            "error",
            "结论映射与等级不符",
            "Decision map does not match the classes",
            "结论映射有误：{detail_zh}。",
            "Decision map is wrong: {detail_en}.",
        ),
        _t(
            "rule-bad-tiers",
            "error",
            "分档门槛有误",
            "Tiered threshold is inconsistent",
            "分档门槛有误：{detail_zh}。",
            "Tiered threshold is inconsistent: {detail_en}.",
        ),
        _t(
            "rule-op-value",
            "error",
            "比较符与取值不匹配",
            "Operator and value do not fit",
            "比较符 “{op}” 需要{needs_zh}，实际为 {value}。",
            "Operator '{op}' needs {needs_en}; found {value}.",
        ),
        _t(
            "rule-method-direction",
            "error",
            "评分方法与指标方向不符",
            "Scoring method does not fit the indicator",
            "{detail_zh}",
            "{detail_en}",
        ),
        _t(
            "rule-bad-field",
            "error",
            "输入字段定义不完整",
            "Input field is incomplete",
            "输入字段 “{value}” 不在内置字段目录中，需要写明 type 和 label。",
            "Input '{value}' is not in the built-in field catalogue; give it a type and a label.",
        ),
        _t("rule-invalid", "error", "规则无效", "Invalid rule", "{detail_zh}", "{detail_en}"),
        # --- overrides (sliders, --set) --------------------------------------------------
        _t(
            "override-unknown-parameter",
            "error",
            "没有这个可调参数",
            "No such tunable parameter",
            "没有可调参数 “{value}”。可调参数：{allowed}。",
            "There is no tunable parameter '{value}'. Tunable parameters: {allowed}.",
        ),
        _t(
            "override-bad-value",
            "error",
            "参数取值无效",
            "Parameter value is not valid",
            "参数 “{column}” 的取值 {value} 无效：{detail_zh}。",
            "Value {value} for parameter '{column}' is not valid: {detail_en}.",
        ),
        _t(
            "override-out-of-range",
            "error",
            "参数超出可调范围",
            "Parameter outside its range",
            "参数 “{column}” 的取值 {value} 超出可调范围 {low}–{high}。",
            "Value {value} for parameter '{column}' lies outside its range {low}–{high}.",
        ),
        # --- the uploaded file ----------------------------------------------------------------
        _t(
            "file-not-found",
            "error",
            "找不到文件",
            "File not found",
            "找不到文件 “{value}”，请检查路径。",
            "There is no file '{value}'; check the path.",
        ),
        _t(
            "file-too-large",
            "error",
            "文件过大",
            "File too large",
            "文件大小 {value} 超过上限 {limit}。请只保留需要甄别的工作表，或分批上传。",
            "The file is {value}, above the {limit} limit. Keep only the sheet to screen, or split it.",
        ),
        _t("file-empty", "error", "文件为空", "Empty file", "文件是空的（0 字节）。", "The file is empty (0 bytes)."),
        _t(
            "file-encrypted",
            "error",
            "文件有密码保护",
            "Password-protected file",
            "工作簿设置了打开密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再上传。",
            "The workbook is password-protected. Remove the password in Excel, save as .xlsx and upload again.",
        ),
        _t(
            "file-type-unknown",
            "error",
            "不是可读取的表格文件",
            "Not a spreadsheet",
            "文件（{value}）不是 Excel 或 CSV 表格。请上传 .xlsx、.xlsm、.xls 或 .csv 文件。",
            "The file ({value}) is not an Excel or CSV table. Upload .xlsx, .xlsm, .xls or .csv.",
        ),
        _t(
            "file-extension-mismatch",
            "warning",
            "扩展名与内容不符",
            "Extension does not match the content",
            "文件扩展名是 .{value}，内容实际是 {actual} 格式，已按 {actual} 读取。",
            "The file is named .{value} but holds {actual} data; it was read as {actual}.",
        ),
        _t(
            "file-corrupt",
            "error",
            "文件已损坏",
            "Corrupt file",
            "文件已损坏或不完整，无法读取。请在 Excel 中打开并另存为 .xlsx 后重新上传。",
            "The file is damaged or incomplete. Open it in Excel, save as .xlsx and upload again.",
        ),
        _t(
            "file-zip-bomb",
            "error",
            "文件解压后异常巨大",
            "File expands to an absurd size",
            "文件解压后过大或压缩比异常（{value}，上限 {limit}），为安全起见拒绝读取。",
            "The file expands too far or at a suspicious ratio ({value}, limit {limit}); refused for safety.",
        ),
        _t(
            "file-too-many-rows",
            "error",
            "行数过多",
            "Too many rows",
            "工作表声明了 {value} 行，超过上限 {limit} 行。请检查表格末尾是否有误填的单元格。",
            "A sheet claims {value} rows, above the {limit} limit. Look for a stray cell far below the data.",
        ),
        _t(
            "file-too-many-columns",
            "error",
            "列数过多",
            "Too many columns",
            "工作表用到了第 {value} 列，超过上限 {limit} 列。请检查表格右侧是否有误填的单元格。",
            "A sheet reaches column {value}, beyond the {limit}-column limit. Look for a stray cell far right.",
        ),
        _t(
            "file-parse-failed",
            "error",
            "读取文件失败",
            "The file could not be read",
            "读取文件失败（{detail}）。请在 Excel 中打开并另存为 .xlsx 后重新上传。",
            "Reading the file failed ({detail}). Open it in Excel, save as .xlsx and upload again.",
        ),
        _t(
            "file-no-sheets",
            "error",
            "工作簿没有数据",
            "Empty workbook",
            "工作簿中没有任何含数据的工作表。",
            "The workbook has no sheet with data.",
        ),
        _t(
            "sheet-not-found",
            "error",
            "找不到工作表",
            "Sheet not found",
            "找不到名为 “{value}” 的工作表。现有：{allowed}。",
            "There is no sheet named '{value}'. Sheets: {allowed}.",
        ),
        _t(
            "sheet-chosen",
            "info",
            "已选择工作表",
            "Sheet chosen",
            "工作簿有多张表，已选用与规则最匹配的 “{value}”（其他：{allowed}）。",
            "The workbook has several sheets; '{value}' matches the rules best (others: {allowed}).",
        ),
        _t(
            "header-not-found",
            "error",
            "找不到表头",
            "No header row found",
            "在前 {limit} 行中找不到表头（至少要认出两个列名，如“企业名称”“实缴税金”）。"
            "请检查列名，或在映射中手动指定。",
            "No header row in the first {limit} rows (at least two known column names, such as 企业名称 and "
            "实缴税金, are needed). Check the column names or map them by hand.",
        ),
        _t("header-found", "info", "表头位置", "Header row", "表头在第 {value} 行。", "The header is on row {value}."),
        _t(
            "csv-encoding",
            "info",
            "文本编码",
            "Text encoding",
            "CSV 文件按 {value} 编码读取。",
            "The CSV file was read as {value}.",
        ),
        _t(
            "formula-no-cached-value",
            "warning",
            "公式没有计算结果",
            "Formulas without computed values",
            "有 {value} 个公式单元格没有保存计算结果，按空值处理。请在 Excel 中打开、重新计算并保存后再上传。",
            "{value} formula cells carry no computed value and are treated as empty. Open the file in Excel, "
            "recalculate and save it, then upload again.",
        ),
        # --- columns --------------------------------------------------------------------------
        _t(
            "column-required-missing",
            "error",
            "缺少必需的列",
            "Required column missing",
            "找不到必需的列 “{column}”（也认：{allowed}）。请补上该列，或在映射中指定对应的列。",
            "The required column '{column}' was not found (also known as: {allowed}). Add it or map it by hand.",
        ),
        _t(
            "column-ambiguous",
            "warning",
            "多列都可能是同一项",
            "Several columns could be the same input",
            "“{column}” 可由多列提供：{allowed}；已使用 {value}。如不对，请在映射中指定。",
            "'{column}' could come from several columns: {allowed}; {value} is used. Map it by hand if wrong.",
        ),
        _t(
            "unit-unknown",
            "error",
            "单位无法换算",
            "Unit cannot be converted",
            "列 “{value}” 的单位 “{unit}” 无法换算为 {target}，该列未使用。请改为 {allowed} 之一。",
            "Column '{value}' is in '{unit}', which cannot be converted to {target}; the column is not used. "
            "Use one of {allowed}.",
        ),
        _t(
            "unit-converted",
            "info",
            "单位已换算",
            "Unit converted",
            "列 “{value}” 的单位为 {unit}，已换算为 {target}（×{factor}）。",
            "Column '{value}' is in {unit}; converted to {target} (×{factor}).",
        ),
        _t(
            "percent-as-fraction",
            "info",
            "百分比按小数理解",
            "Percentages read as fractions",
            "列 “{value}” 的数值都不大于 1 且未标 %，按小数理解（0.035 = 3.5%）。",
            "Column '{value}' holds numbers no larger than 1 without a % sign; read as fractions (0.035 = 3.5%).",
        ),
        # --- cells and rows ---------------------------------------------------------------------
        _t(
            "value-required-missing",
            "error",
            "必填数据缺失",
            "Required value missing",
            "“{column}” 为空，该企业无法评分。",
            "'{column}' is empty; the firm cannot be scored.",
        ),
        _t(
            "cell-not-number",
            "error",
            "不是数字",
            "Not a number",
            "“{column}” 的 “{value}” 不是数字，按空值处理。",
            "'{value}' in '{column}' is not a number; treated as empty.",
        ),
        _t(
            "cell-excel-error",
            "warning",
            "Excel 错误值",
            "Excel error value",
            "“{column}” 是 Excel 错误值 {value}，按空值处理。请检查该单元格的公式。",
            "'{column}' holds the Excel error {value}; treated as empty. Check the cell's formula.",
        ),
        _t(
            "cell-number-with-text",
            "warning",
            "数字带有文字",
            "Number with text",
            "“{column}” 的 “{value}” 带有文字，已按 {parsed} 读取。",
            "'{value}' in '{column}' has text around the number; read as {parsed}.",
        ),
        _t(
            "cell-not-flag",
            "error",
            "无法识别是/否",
            "Not a yes/no value",
            "“{column}” 的 “{value}” 无法识别为是/否，按空值处理。请填“是”或“否”。",
            "'{value}' in '{column}' is not yes/no; treated as empty. Use 是 or 否.",
        ),
        _t(
            "cell-unknown-category",
            "warning",
            "取值不在可选范围",
            "Value not among the choices",
            "“{column}” 的 “{value}” 不在可选范围（{allowed}），按空值处理。",
            "'{value}' in '{column}' is not one of {allowed}; treated as empty.",
        ),
        _t(
            "value-negative",
            "error",
            "数值为负",
            "Negative value",
            "“{column}” 为负数 {value}，不可能出现，按空值处理。",
            "'{column}' is negative ({value}), which is impossible; treated as empty.",
        ),
        _t(
            "zero-land-area",
            "error",
            "用地面积为 0",
            "Zero land area",
            "“{column}” 为 0，无法计算亩均指标。请填写实际面积。",
            "'{column}' is 0, so per-mu indicators cannot be computed. Enter the real area.",
        ),
        _t(
            "value-implausible",
            "warning",
            "数值大得不合常理",
            "Implausibly large value",
            "“{column}” 为 {value}{unit}，大得不合常理，常见原因是把“元”当成“万元”填报。请核实。",
            "'{column}' is {value} {unit}, implausibly large; often 元 were entered as 万元. Please check.",
        ),
        _t(
            "duplicate-firm",
            "warning",
            "企业重复",
            "Duplicate firm",
            "与第 {first_row} 行是同一企业（{detail_zh}），两行都参与评分，请删除重复行。",
            "Same firm as row {first_row} ({detail_en}); both rows are scored. Delete the duplicate.",
        ),
        _t(
            "credit-code-invalid",
            "warning",
            "统一社会信用代码校验不通过",
            "Credit code fails its check",
            "统一社会信用代码 “{value}” 不符合 GB 32100-2015 校验规则，请核对。",
            "Credit code '{value}' fails the GB 32100-2015 check digit; please verify it.",
        ),
        _t(
            "credit-code-as-number",
            "warning",
            "信用代码被存成了数字",
            "Credit code stored as a number",
            "统一社会信用代码 “{value}” 在表格中是数字格式，Excel 只保留 15 位有效数字，可能已失真。"
            "请将该列设为文本后重新录入。",
            "Credit code '{value}' is stored as a number; Excel keeps only 15 digits, so it may be damaged. "
            "Format the column as text and re-enter it.",
        ),
        _t(
            "industry-code-unknown",
            "warning",
            "行业代码无法识别",
            "Unknown industry code",
            "行业代码 “{value}” 不是 GB/T 4754 的 2–4 位代码，行业相关规则无法判断。",
            "Industry code '{value}' is not a 2–4 digit GB/T 4754 code; industry rules cannot judge it.",
        ),
        _t(
            "indicator-implausible",
            "warning",
            "指标大得不合常理",
            "Implausible indicator",
            "“{column}” {value} {unit}，大得不合常理，常见原因是把“元”当成“万元”或面积单位填错。请核实。",
            "'{column}' {value} {unit} is implausibly large; often 元 were entered as 万元 or the area unit is wrong.",
        ),
        # --- screening: rules meeting the data --------------------------------------------
        _t(
            "rule-input-absent",
            "warning",
            "规则所需的列缺失",
            "A rule's column is missing",
            "上传的表格中没有 “{column}” 列，依赖它的规则无法判断：{detail_zh}。",
            "The upload has no '{column}' column, so these rules cannot be judged: {detail_en}.",
        ),
        _t(
            "indicator-not-computable",
            "warning",
            "指标无法计算",
            "Indicator not computable",
            "“{column}” 无法计算：公式 {formula} 出现除以零或结果过大。",
            "'{column}' cannot be computed: {formula} divides by zero or overflows.",
        ),
        _t(
            "no-scoring-set",
            "warning",
            "没有适用的评分办法",
            "No scoring set applies",
            "该企业不属于任何评分类别（{detail_zh}），不予评分。",
            "The firm belongs to no scoring set ({detail_en}) and is not scored.",
        ),
    ]
}


def make_issue(
    code: str, *, source: str = "", row: int | None = None, column: str = "", value: object = "", **context: object
) -> Issue:
    """Build an issue from the catalogue; ``context`` fills the message templates."""
    kind = CATALOGUE[code]
    fields = {"column": column, "value": show_value(value), "row": row, **context}
    return Issue(
        code=code,
        severity=kind.severity,
        source=source,
        row=row,
        column=column,
        value=show_value(value),
        message_zh=kind.template_zh.format_map(_Defaults(fields)),
        message_en=kind.template_en.format_map(_Defaults(fields)),
    )


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return ""


def show_value(value: object) -> str:
    """A cell value as text in a message: '' for nothing, 12.0 -> '12'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """A report as a DataFrame with the fixed :data:`ISSUE_COLUMNS` (empty frame if none)."""
    rows = [asdict(i) for i in issues]
    frame = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def concat_issues(*frames: pd.DataFrame) -> pd.DataFrame:
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return issues_frame([])
    out = pd.concat(parts, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return out[ISSUE_COLUMNS]


class ScreeningError(Exception):
    """Raised when work cannot go on; carries the issues that say what to fix."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(i.one_line("en") for i in issues[:5]))

    def one_line(self, lang: str = "zh") -> str:
        first = self.issues[0].one_line(lang)
        more = len(self.issues) - 1
        if more:
            first += f" (+{more} {'个其他问题' if lang == 'zh' else 'more'})"
        return first


def catalogue_markdown() -> str:
    """docs/errors.md, generated from the catalogue (a test keeps the file in step)."""
    lines = [
        "# 问题代码 · Issue codes",
        "",
        "Every problem the tool reports — in a rule file, an uploaded list, a cell, a row, or a rule that",
        "cannot apply — is one record: `code`, `severity`, `source` (file), `row` (the Excel row a person",
        "sees, or the line of a rule file), `column` (the sheet column, or the key path in a rule file),",
        "`value`, `message_zh`, `message_en`. Codes are stable; messages are rendered from the templates",
        "below. *This file is generated by `python -m screening docs` — do not edit by hand.*",
        "",
    ]
    groups = [
        ("rule-", "规则文件 · Rule files"),
        ("override-", "参数调整 · Overrides"),
        ("file-", "上传文件 · Uploaded files"),
        ("sheet-", "工作表 · Sheets"),
        ("header-", "表头 · Headers"),
        ("csv-", "文本编码 · Text encoding"),
        ("formula-", "公式 · Formulas"),
        ("column-", "列 · Columns"),
        ("unit-", "单位 · Units"),
        ("percent-", "百分比 · Percentages"),
        ("", "单元格、行与规则 · Cells, rows, rules"),
    ]
    done: set[str] = set()
    for prefix, title in groups:
        kinds = [k for code, k in CATALOGUE.items() if code.startswith(prefix) and code not in done]
        if not kinds:
            continue
        lines += [f"## {title}", "", "| code | severity | 中文 | English |", "|---|---|---|---|"]
        for kind in kinds:
            done.add(kind.code)
            zh = f"**{kind.title_zh}** — {kind.template_zh}".replace("|", "\\|")
            en = f"**{kind.title_en}** — {kind.template_en}".replace("|", "\\|")
            lines.append(f"| `{kind.code}` | {kind.severity} | {zh} | {en} |")
        lines.append("")
    return "\n".join(lines)

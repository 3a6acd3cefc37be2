"""What the command line says about the import: the columns it used, the ones it only suggests,
the inputs it could not find and how to map them (``--map INPUT=COLUMN``), and a merge report."""

from __future__ import annotations

from ..intake.loading import LoadedTable
from ..intake.mapping import ColumnMapping
from ..intake.merge import MergedTable
from ..intake.saved import mapping_path
from ..rules.loading import RuleSet

SURE = ("label", "alias", "manual", "saved")


def mapping_text(table: LoadedTable | MergedTable, ruleset: RuleSet, lang: str) -> str:
    tables = table.tables if isinstance(table, MergedTable) else [table]
    lines = []
    for one in tables:
        lines += _one_file(one.file_name, one.mapping, ruleset, lang)
        lines += _saved_lines(one, lang)
    lines += _missing(table.mapping, ruleset, lang)
    if isinstance(table, MergedTable):
        lines += _merge_lines(table, lang)
    return "\n".join(lines)


def _one_file(name: str, mapping: ColumnMapping, ruleset: RuleSet, lang: str) -> list[str]:
    zh = lang == "zh"
    fields = ruleset.load_fields
    used = [(k, m) for k, m in mapping.inputs.items() if m.column is not None]
    sure = ", ".join(f"{_label(fields, k, lang)}←{m.column.letter}" for k, m in used if m.how in SURE)
    lines = [("列映射" if zh else "column mapping") + f" ({name}): " + (sure or "—")]
    for key, mapped in used:
        if mapped.how not in SURE:
            word = "按相近列名" if zh else "by a close name"
            lines.append(f"  {_label(fields, key, lang)} ← {mapped.column.display} ({word} {mapped.confidence:.0%})")
    for key, mapped in mapping.suggested.items():
        if mapped.column is None:
            word = "待确认（未使用）" if zh else "to confirm (not used)"
            letter = mapped.suggestion.letter
            lines.append(
                f"  {word}: {_label(fields, key, lang)} ? {mapped.suggestion.display} "
                f"({mapped.confidence:.0%}) → --map {key}={letter}"
            )
    return lines


def _missing(mapping: ColumnMapping, ruleset: RuleSet, lang: str) -> list[str]:
    """The rule's inputs no file provides (a required one marked *), with the option that maps one."""
    fields = ruleset.load_fields
    wanted = set(ruleset.inputs)
    missing = [k for k, m in mapping.inputs.items() if m.column is None and m.suggestion is None and k in wanted]
    if not missing:
        return []
    shown = ", ".join(_label(fields, k, lang) + (" *" if fields[k].required else "") for k in missing)
    if lang == "zh":
        return [f"  缺少：{shown} → --map 输入=列字母或列名（如 --map {missing[0]}=F）"]
    return [f"  missing: {shown} → --map INPUT=column letter or header (e.g. --map {missing[0]}=F)"]


def _saved_lines(table: LoadedTable, lang: str) -> list[str]:
    """Say when a saved mapping was applied or a confirmed one saved, and where it lives."""
    notes = table.issues[table.issues["code"].isin(["mapping-applied", "mapping-saved"])]
    if notes.empty:
        return []
    message = notes["message_zh" if lang == "zh" else "message_en"].iloc[0]
    where = mapping_path(table.layout)
    forget = f"（删除 {where} 即可取消）" if lang == "zh" else f" (delete {where} to forget it)"
    return [f"  {message}{forget}"]


def _merge_lines(table: MergedTable, lang: str) -> list[str]:
    report = table.report
    firm_rows = int(report.rows["kind"].eq("firm").sum())
    if lang == "zh":
        head = f"合并：{len(table.tables)} 个文件的 {firm_rows} 个企业行 → {len(table.firms)} 家企业"
        return [
            head,
            f"  不在每个文件中：{len(report.missing)} 家；数值冲突：{len(report.conflicts)} 处；"
            f"文件内重复：{len(report.duplicates)} 处",
        ]
    return [
        f"merged: {firm_rows} firm rows in {len(table.tables)} files -> {len(table.firms)} firms",
        f"  not in every file: {len(report.missing)}; conflicting values: {len(report.conflicts)}; "
        f"repeated within a file: {len(report.duplicates)}",
    ]


def _label(fields, key: str, lang: str) -> str:
    spec = fields.get(key)
    return spec.label.get(lang) if spec else key

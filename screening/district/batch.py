"""One relocation batch screened against every park: the firm lists read once, each park's rules applied.

The lists are read with the union of every park's columns (so a column one park needs is not lost
because another park does not), stacked with their file name, and screened by each park's rules
through :func:`screening.pipeline.screen_table` with ``applicants_only=False``: every firm against
every park. The park's land quota is *not* filled by the engine here — the district allocation
decides who gets land — so each park is screened with its capacity rule taken out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..intake.loading import SKIPPED_COLUMNS, LoadedTable, load_firms
from ..issues.record import ScreeningError, concat_issues, issues_frame, make_issue
from ..pipeline import screen_table
from ..rules.fields import FieldSpec
from ..rules.loading import RuleSet
from ..rules.overrides import apply_overrides
from ..rules.parameters import ParamValue
from ..rules.schema import Text
from ..vocabulary import Role

Upload = tuple[str, bytes]  # (file name, bytes) as an upload widget gives them


@dataclass(frozen=True)
class ParkScreen:
    """One park: its rules (capacity taken out), its land quota from the rule file, every firm screened."""

    id: str
    name: Text
    quota_mu: float | None
    ruleset: RuleSet
    result: Result


@dataclass(frozen=True)
class Batch:
    """Every firm of the batch (``firms``: one row per firm, ``source_file`` + ``source_row``) and every park."""

    firms: pd.DataFrame
    fields: dict[str, FieldSpec]
    parks: tuple[ParkScreen, ...]
    issues: pd.DataFrame
    skipped: pd.DataFrame
    files: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.firms)

    @property
    def park_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parks)

    def column_for(self, role: Role) -> str | None:
        """The input that plays ``role`` in this batch (whatever its column was called in the upload)."""
        return next((key for key, spec in self.fields.items() if spec.role == role), None)

    def role_numbers(self, role: Role) -> np.ndarray:
        """Per firm, the numbers of the input that plays ``role`` (NaN if the lists have no such column)."""
        key = self.column_for(role)
        if key is None or key not in self.firms.columns:
            return np.full(self.size, np.nan)
        return pd.to_numeric(self.firms[key], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    def role_texts(self, role: Role) -> np.ndarray:
        key = self.column_for(role)
        if key is None or key not in self.firms.columns:
            return np.full(self.size, None, dtype=object)
        return self.firms[key].astype(object).where(self.firms[key].notna(), None).to_numpy(dtype=object)

    def names(self) -> np.ndarray:
        if "name" not in self.firms.columns:
            return np.full(self.size, None, dtype=object)
        return self.firms["name"].astype(object).where(self.firms["name"].notna(), None).to_numpy(dtype=object)


@dataclass(frozen=True)
class FrameTable:
    """A list already in the catalogue's columns (another system, a test, a benchmark): what
    :func:`screening.pipeline.screen_table` reads from a loaded table."""

    firms: pd.DataFrame
    issues: pd.DataFrame | None = None
    skipped: pd.DataFrame | None = None
    source_info: dict = field(default_factory=dict)


def entry_rulesets(rulesets: Sequence[RuleSet]) -> tuple[list[RuleSet], pd.DataFrame]:
    """The park entry standards among ``rulesets``; an annual evaluation (kind ``evaluation``) is no park."""
    parks, notes = [], []
    for ruleset in rulesets:
        if ruleset.model.kind == "entry":
            parks.append(ruleset)
        else:
            notes.append(make_issue("district-not-a-park", source=ruleset.source, value=ruleset.model.park.id))
    if not parks:
        raise ScreeningError(notes or [make_issue("district-no-parks", value="")])
    seen: set[str] = set()
    for ruleset in parks:
        if ruleset.model.park.id in seen:
            raise ScreeningError(
                [make_issue("district-duplicate-park", source=ruleset.source, value=ruleset.model.park.id)]
            )
        seen.add(ruleset.model.park.id)
    return parks, issues_frame(notes)


def merged_fields(rulesets: Sequence[RuleSet]) -> dict[str, FieldSpec]:
    """Every column any park reads. Where two parks describe one input differently, their aliases and
    units are pooled and it is required if any park requires it."""
    merged: dict[str, FieldSpec] = {}
    for ruleset in rulesets:
        for key, spec in ruleset.load_fields.items():
            known = merged.get(key)
            if known is None or known == spec:
                merged[key] = spec
                continue
            merged[key] = replace(
                known,
                aliases=tuple(dict.fromkeys(known.aliases + spec.aliases)),
                units={**spec.units, **known.units},
                required=known.required or spec.required,
                role=known.role or spec.role,
            )
    return merged


def read_lists(uploads: Sequence[Upload], fields: Mapping[str, FieldSpec], sheet: str | None = None) -> LoadedTable:
    """Read every list with the same columns and stack them; each firm keeps its file and Excel row."""
    if not uploads:
        raise ScreeningError([make_issue("district-no-input", value="")])
    tables = [load_firms(data, name, fields, sheet=sheet) for name, data in uploads]
    firms = pd.concat([_with_file(t.firms, t.file_name) for t in tables], ignore_index=True)
    skipped = pd.concat([_with_file(t.skipped, t.file_name) for t in tables], ignore_index=True)
    issues = concat_issues(*(t.issues for t in tables), _duplicates_across_files(firms))
    return replace(tables[0], firms=firms, skipped=skipped, issues=issues)


def read_paths(paths: Sequence[str | Path]) -> list[Upload]:
    uploads = []
    for path in map(Path, paths):
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError:
            raise ScreeningError([make_issue("file-not-found", value=str(path))]) from None
    return uploads


def screen_parks(
    table: LoadedTable,
    rulesets: Sequence[RuleSet],
    fields: dict[str, FieldSpec],
    overrides: Mapping[str, Mapping[str, ParamValue]] | None = None,
) -> Batch:
    """Screen every firm of ``table`` against every park (``overrides``: park id -> parameter -> value)."""
    parks = []
    for ruleset in rulesets:
        changes = (overrides or {}).get(ruleset.model.park.id)
        if changes:
            ruleset = apply_overrides(ruleset, changes)
        capacity = ruleset.model.decision.capacity
        open_rules = _without_capacity(ruleset)
        result = screen_table(table, open_rules, applicants_only=False)
        quota = capacity.quota_mu if capacity is not None else None
        parks.append(ParkScreen(ruleset.model.park.id, ruleset.model.park.name, quota, open_rules, result))
    return Batch(
        firms=table.firms,
        fields=fields,
        parks=tuple(parks),
        issues=concat_issues(table.issues),
        skipped=table.skipped if table.skipped is not None else pd.DataFrame(columns=["source_file", *SKIPPED_COLUMNS]),
        files=tuple(dict.fromkeys(table.firms["source_file"].astype(str))) if len(table.firms) else (),
    )


def load_batch(
    uploads: Sequence[Upload],
    rulesets: Sequence[RuleSet],
    overrides: Mapping[str, Mapping[str, ParamValue]] | None = None,
    sheet: str | None = None,
) -> Batch:
    """Uploads + rule files -> every firm screened against every park (evaluation profiles set aside)."""
    parks, notes = entry_rulesets(rulesets)
    fields = merged_fields(parks)
    table = read_lists(uploads, fields, sheet)
    batch = screen_parks(table, parks, fields, overrides)
    return replace(batch, issues=concat_issues(notes, batch.issues))


def batch_from_frame(
    firms: pd.DataFrame,
    rulesets: Sequence[RuleSet],
    overrides: Mapping[str, Mapping[str, ParamValue]] | None = None,
    name: str = "frame",
) -> Batch:
    """Firms already in canonical columns (with ``source_row``) -> every firm screened against every park."""
    parks, notes = entry_rulesets(rulesets)
    table = FrameTable(firms=_with_file(firms.reset_index(drop=True), name), issues=notes)
    return screen_parks(table, parks, merged_fields(parks), overrides)  # type: ignore[arg-type]


def _without_capacity(ruleset: RuleSet) -> RuleSet:
    decision = ruleset.model.decision.model_copy(update={"capacity": None})
    return replace(ruleset, model=ruleset.model.model_copy(update={"decision": decision}))


def _with_file(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.assign(source_file=name)[["source_file", *frame.columns]]


def _duplicates_across_files(firms: pd.DataFrame) -> pd.DataFrame:
    """The same credit code in two different lists: the firm could be allocated twice."""
    if "credit_code" not in firms.columns or firms["source_file"].nunique() < 2:
        return issues_frame([])
    codes = firms["credit_code"]
    known = codes.notna()
    first = firms[known].drop_duplicates("credit_code")
    later = firms[known & codes.duplicated() & ~firms.index.isin(first.index)]
    origin = first.set_index("credit_code")
    later = later[later["source_file"].to_numpy() != origin.loc[later["credit_code"], "source_file"].to_numpy()]
    return issues_frame(
        make_issue(
            "district-duplicate-firm",
            source=str(row.source_file),
            row=int(row.source_row),
            value=str(row.credit_code),
            first_file=str(origin.at[row.credit_code, "source_file"]),
            first_row=int(origin.at[row.credit_code, "source_row"]),
        )
        for row in later.itertuples()  # only the duplicates found: a handful, not every firm
    )


def find_firm(batch: Batch, text: str) -> int:
    """The firm at ``ROW`` (the Excel row number), or ``FILE:ROW`` when several lists are given (FILE:
    the file name or its number 1, 2 … in the order the lists were given)."""
    file, _, row = str(text).strip().rpartition(":")
    try:
        number = int(row)
    except ValueError:
        raise ScreeningError([make_issue("district-row-unknown", value=text)]) from None
    if file.isdigit() and 1 <= int(file) <= len(batch.files):
        file = batch.files[int(file) - 1]
    hits = batch.firms["source_row"].to_numpy() == number
    if file:
        hits &= batch.firms["source_file"].to_numpy(dtype=object) == file
    found = np.flatnonzero(hits)
    if len(found) == 0:
        raise ScreeningError([make_issue("district-row-unknown", value=text)])
    if len(found) > 1:
        files = "、".join(f"{f}:{number}" for f in batch.firms["source_file"].to_numpy(dtype=object)[found])
        raise ScreeningError([make_issue("district-row-ambiguous", value=text, allowed=files)])
    return int(found[0])

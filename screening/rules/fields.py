"""The built-in field catalogue (fields.yaml) and the resolved input specification."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..vocabulary import Role
from .schema import InputSpec, Text
from .yaml_io import load_document, to_plain

CATALOGUE_PATH = Path(__file__).with_name("fields.yaml")
DISPLAY_FIELDS = ("name", "credit_code", "industry_code", "industry_name", "target_park", "scale", "remarks")


@dataclass(frozen=True)
class FieldSpec:
    """One input column as the engine and the import see it, after merging catalogue + rule file."""

    id: str
    label: Text
    type: str
    unit: str
    units: dict[str, float]
    aliases: tuple[str, ...]
    required: bool
    min: float | None
    max: float | None
    values: tuple[str, ...] | None
    role: Role | None = None
    default: bool | float | str | None = None  # used for blank cells (reported on each firm it fills)

    @property
    def is_numeric(self) -> bool:
        return self.type == "number"

    @property
    def is_textual(self) -> bool:
        return self.type in ("text", "industry", "id", "name")


@dataclass(frozen=True)
class Catalogue:
    fields: dict[str, InputSpec]
    unit_families: dict[str, dict[str, float]]

    def family_of(self, unit: str) -> dict[str, float]:
        """All units convertible to ``unit``, as factors to ``unit`` (``{平方米: 0.0015, ...}``)."""
        for family in self.unit_families.values():
            if unit in family:
                base = family[unit]
                return {name: factor / base for name, factor in family.items()}
        return {unit: 1.0} if unit else {}


@cache
def load_catalogue() -> Catalogue:
    plain = to_plain(load_document(CATALOGUE_PATH.read_text(encoding="utf-8")))
    fields = {key: InputSpec.model_validate(spec) for key, spec in plain["fields"].items()}
    families = {key: {u: float(f) for u, f in units.items()} for key, units in plain["unit_families"].items()}
    return Catalogue(fields=fields, unit_families=families)


def resolve_input(field_id: str, spec: InputSpec, catalogue: Catalogue | None = None) -> FieldSpec | None:
    """Merge a rule file's input entry over the catalogue entry; None if it cannot be completed."""
    catalogue = catalogue or load_catalogue()
    base = catalogue.fields.get(field_id)
    label = spec.label or (base.label if base else None)
    kind = spec.type or (base.type if base else None)
    if label is None or kind is None:
        return None
    unit = spec.unit if spec.unit is not None else (base.unit if base and base.unit else "")
    units = catalogue.family_of(unit) if kind == "number" else {}
    units.update(spec.units or {})
    aliases = list(spec.aliases) + [a for a in (base.aliases if base else []) if a not in spec.aliases]
    return FieldSpec(
        id=field_id,
        label=label,
        type=kind,
        unit=unit,
        units=units,
        aliases=tuple(aliases),
        required=spec.required,
        min=spec.min if spec.min is not None else (base.min if base else None),
        max=spec.max if spec.max is not None else (base.max if base else None),
        values=tuple(spec.values) if spec.values else (tuple(base.values) if base and base.values else None),
        role=spec.role or (base.role if base else None),
        default=spec.default,
    )


def with_display_fields(inputs: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    """The rule's inputs plus the identity columns every list shows (name, code, park applied for …)."""
    catalogue = load_catalogue()
    extra = {key: resolve_input(key, InputSpec(), catalogue) for key in DISPLAY_FIELDS if key not in inputs}
    return {**inputs, **{k: v for k, v in extra.items() if v is not None}}

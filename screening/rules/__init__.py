"""Rules: a park's standard as a validated :class:`~screening.rules.loading.RuleSet`.

schema (shape) -> errors (pydantic errors as issues) -> checks (whole-file checks) -> loading;
parameters (what is tunable) and overrides (slider values, the adjusted file); operators,
formulas, the field catalogue (fields.yaml) and policy sources are the rule language's parts.
"""

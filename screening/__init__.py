"""入园甄别 · park-entry screening: the core library (no UI).

Kept import-free on purpose: ``python -m screening.intake.sandbox`` (the isolated parser) imports
this package and must stay light. Import what you need from the submodules:
``screening.rules``, ``screening.engine``, ``screening.pipeline``, ``screening.export``.
"""

__version__ = "0.1.0"

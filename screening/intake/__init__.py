"""Intake: a firm list as it arrives (bytes) -> typed firms, skipped rows and issues.

guards -> isolated parse (sandbox) -> reading -> header detection -> column mapping -> cell
readers and validation -> loading (the whole step, every physical row accounted for).
Kept import-free: ``python -m screening.intake.sandbox`` (the isolated parser) imports it.
"""

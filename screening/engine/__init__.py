"""Engine: a RuleSet applied to firms, every step over whole columns.

columns -> indicators -> gates (conditions, operators) -> points (scoring) -> grading (classes)
-> decide (decision, rank) -> screen (the whole step) -> Result; money reads results by role.
"""

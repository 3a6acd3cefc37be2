"""Report: a Result made readable — reasons in words (explain), chart figures, tables, and the
writers (xlsx workbook, CSV, JSON, the adjusted rule file)."""

"""Standalone pages: 全区统筹 (district), 稳健性 (robustness), 工作组 (workspace); each has ``render(lang)``."""

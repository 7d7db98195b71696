"""HTML report of a result folder, in Finnish and English (charts come from railsim.plot)."""

from railsim.report.builder import build_report

__all__ = ["build_report"]

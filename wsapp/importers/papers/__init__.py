"""Importing accepted papers: from an OpenReview venue (openreview.py) or a spreadsheet
(table.py: CSV from CMT, EasyChair or by hand, or YAML), brought into a workshop by apply.py."""

from wsapp.importers.papers.apply import apply_import
from wsapp.importers.papers.records import ImportFailed, Incoming, Report

__all__ = ["ImportFailed", "Incoming", "Report", "apply_import"]

"""Schedule and date exports, one small declarative class each (pretalx's BaseExporter style)."""

from wsapp.exporters.base import BaseExporter, ExportContext
from wsapp.exporters.frab import FrabJsonExporter, FrabXmlExporter
from wsapp.exporters.ical import DatesICalExporter, ItemICalExporter, ScheduleICalExporter

__all__ = [
    "BaseExporter",
    "DatesICalExporter",
    "ExportContext",
    "FrabJsonExporter",
    "FrabXmlExporter",
    "ItemICalExporter",
    "ScheduleICalExporter",
]

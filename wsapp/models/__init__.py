"""All models, imported here so that metadata and migrations see every table."""

from wsapp.models.cfp import AOE, CallForPapers, ImportantDate, MovedDeadline
from wsapp.models.content import Announcement, Institution, NewsPost, Sponsor
from wsapp.models.people import Person, Role, RoleKind
from wsapp.models.program import KIND_LABELS, ItemKind, Paper, Presentation, ScheduleItem
from wsapp.models.voting import (
    AwardCategory,
    Ballot,
    BallotCode,
    ManualState,
    Vote,
    VotingMode,
    VotingSettings,
    WindowStatus,
)
from wsapp.models.workshop import Workshop

__all__ = [
    "AOE",
    "Announcement",
    "AwardCategory",
    "Ballot",
    "BallotCode",
    "CallForPapers",
    "ImportantDate",
    "Institution",
    "ItemKind",
    "KIND_LABELS",
    "ManualState",
    "MovedDeadline",
    "NewsPost",
    "Paper",
    "Person",
    "Presentation",
    "Role",
    "RoleKind",
    "ScheduleItem",
    "Sponsor",
    "Vote",
    "VotingMode",
    "VotingSettings",
    "WindowStatus",
    "Workshop",
]

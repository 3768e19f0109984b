"""All models, imported here so that metadata and migrations see every table."""

from wsapp.models.cfp import AOE, CallForPapers, ImportantDate, MovedDeadline
from wsapp.models.content import Announcement, Institution, NewsPost, Sponsor
from wsapp.models.history import Change
from wsapp.models.mail import MailKind, MailStatus, OutgoingMail
from wsapp.models.media import Document, Image, ImageKind
from wsapp.models.papers import PRESENTATION_LABELS, Paper, Presentation
from wsapp.models.people import Cast, Person, Role, RoleKind
from wsapp.models.program import KIND_LABELS, ItemKind, ScheduleItem
from wsapp.models.users import AccountToken, Invitation, TokenPurpose, User, WorkshopOrganizer
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
from wsapp.models.workshop import Series, Workshop

__all__ = [
    "AOE",
    "AccountToken",
    "Announcement",
    "AwardCategory",
    "Ballot",
    "BallotCode",
    "Cast",
    "CallForPapers",
    "Image",
    "ImageKind",
    "Change",
    "Document",
    "ImportantDate",
    "Institution",
    "Invitation",
    "ItemKind",
    "KIND_LABELS",
    "MailKind",
    "MailStatus",
    "ManualState",
    "MovedDeadline",
    "NewsPost",
    "OutgoingMail",
    "Paper",
    "Person",
    "PRESENTATION_LABELS",
    "Presentation",
    "Role",
    "RoleKind",
    "ScheduleItem",
    "Series",
    "Sponsor",
    "TokenPurpose",
    "User",
    "Vote",
    "VotingMode",
    "VotingSettings",
    "WindowStatus",
    "Workshop",
    "WorkshopOrganizer",
]

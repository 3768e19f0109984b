"""Accepted papers: what they are, how they are presented, and the PDFs the site hosts."""

import enum
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.media import Document
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import str_enum, version_column
from wsapp.models.workshop import workshop_fk


class Presentation(enum.StrEnum):
    ORAL = "oral"
    SPOTLIGHT = "spotlight"  # a short talk, and a poster in a poster session
    POSTER = "poster"

    def takes(self, paper_presentation: "Presentation") -> bool:
        """Whether an award for this kind of presentation has the paper among its candidates:
        spotlight papers stand at a poster too, so they compete for best poster."""
        if self is Presentation.POSTER:
            return paper_presentation in (Presentation.POSTER, Presentation.SPOTLIGHT)
        return paper_presentation is self


PRESENTATION_LABELS = {
    Presentation.ORAL: _l("Oral"),
    Presentation.SPOTLIGHT: _l("Spotlight"),
    Presentation.POSTER: _l("Poster"),
}


def split_authors(text: str) -> list[str]:
    """Author names from the authors field: one per line, or separated by commas, semicolons
    and a final "and" ("A, B, and C" as the real pages write it)."""
    text = (text or "").strip()
    if not text:
        return []
    if "\n" in text:
        parts = text.splitlines()
    else:
        parts = re.split(r"\s*[;,]\s*", text)
        parts[-1:] = re.split(r"\s+(?:and|&)\s+", parts[-1])
    names = [re.sub(r"^(?:and|&)\s+", "", part.strip()) for part in parts]
    return [name for name in names if name]


def _document() -> Mapped[int | None]:
    return mapped_column(ForeignKey("document.id"))


class Paper(RecordMixin, db.Model):
    """An accepted paper, with its hosted PDFs and where it is presented."""

    __tablename__ = "paper"
    # An import finds its papers again by the source's id: one paper per id and workshop.
    __table_args__ = (UniqueConstraint("workshop_id", "source_id"), never_reuse_ids())
    __record__ = Record(
        key="papers",
        singular=_l("paper"),
        plural=_l("Papers"),
        position=20,
        fields=(
            Field("key", kind=In.KEY),
            Field("source_id"),
            Field("title", kind=In.REQUIRED),
            Field("authors", kind=In.TEXT),
            Field("presentation", kind=In.ENUM, of=Presentation, default=Presentation.POSTER),
            Field("abstract_md", kind=In.TEXT),
            Field("poster_session"),
            Field("board"),
            Field("paper_url"),
            Field("openreview_url"),
            Field("code_url"),
            Field("video_url"),
            Field("slides_url"),
            Field("pdf", kind=In.DOCUMENT),
            Field("poster_pdf", kind=In.DOCUMENT),
            Field("slides_pdf", kind=In.DOCUMENT),
        ),
        page="papers.paper",
        list_page="papers.index",
        page_args=lambda paper: {"paper_id": paper.id},
        order_by=lambda: (Paper.sort_order,),
        orderable=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    # "openreview:<note id>", "cmt:<paper id>", ...: set by an import, None when typed by hand.
    source_id: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[str] = mapped_column(Text, default="")
    presentation: Mapped[Presentation] = mapped_column(str_enum(Presentation))
    abstract_md: Mapped[str] = mapped_column(Text, default="")
    # The poster session it stands in: 1 for the schedule's first poster session, and so on.
    poster_session: Mapped[int | None] = mapped_column(Integer)
    board: Mapped[str | None] = mapped_column(String(20))  # the poster board's number: "12"
    paper_url: Mapped[str | None] = mapped_column(String(500))
    openreview_url: Mapped[str | None] = mapped_column(String(500))
    code_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    slides_url: Mapped[str | None] = mapped_column(String(500))
    pdf_id: Mapped[int | None] = _document()
    poster_pdf_id: Mapped[int | None] = _document()
    slides_pdf_id: Mapped[int | None] = _document()
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    pdf: Mapped[Document | None] = relationship(foreign_keys=[pdf_id])
    poster_pdf: Mapped[Document | None] = relationship(foreign_keys=[poster_pdf_id])
    slides_pdf: Mapped[Document | None] = relationship(foreign_keys=[slides_pdf_id])

    def __repr__(self) -> str:
        return f"<Paper {self.title[:40]}>"

    @property
    def presentation_label(self) -> str:
        return str(PRESENTATION_LABELS[self.presentation])

    @property
    def author_names(self) -> list[str]:
        """The authors one by one."""
        return split_authors(self.authors)

    def list_group(self, workshop, locale: str) -> str:
        return self.presentation_label if self.presentation else ""

    def list_detail(self, workshop, locale: str) -> str:
        return self.authors[:120]

    def history_extras(self, before: bool) -> dict:
        """The schedule rows that present the paper: a restored paper is linked to them again.

        (The schedule's table, not its model: the schedule module imports this one.)
        """
        if self.id is None:
            return {}
        items = db.metadata.tables["schedule_item"]
        ids = db.session.scalars(select(items.c.id).where(items.c.paper_id == self.id))
        return {"schedule_items": sorted(ids)}

    def restore_extras(self, data: dict) -> None:
        if not data.get("schedule_items"):
            return
        items = db.metadata.tables["schedule_item"]
        db.session.execute(
            update(items)
            .where(
                items.c.id.in_(data["schedule_items"]),
                items.c.paper_id.is_(None),
                items.c.workshop_id == self.workshop_id,
            )
            .values(paper_id=self.id)
        )

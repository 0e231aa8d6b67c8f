"""Schools' own records. A school is an accounts Organisation of kind SCHOOL."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.models import Organisation
from matcher.db import Base, TimestampMixin


class SchoolGroup(TimestampMixin, Base):
    """A class (groep in po/so, leerjaar-klas in vo) in one school year; no pupil names."""

    __tablename__ = "school_groups"
    __table_args__ = (UniqueConstraint("organisation_id", "school_year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # e.g. "2026-2027"; retention of observations counts from the end of this year.
    school_year: Mapped[str] = mapped_column(String(9))
    grades: Mapped[str] = mapped_column(String(20))  # e.g. "5" or "5,6" for a combination class
    pupils: Mapped[int]

    organisation: Mapped[Organisation] = relationship()

    @property
    def grade_list(self) -> list[int]:
        return [int(g) for g in self.grades.split(",") if g.strip()]

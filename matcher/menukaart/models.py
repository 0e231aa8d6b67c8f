"""The menukaart in the database, so requests and activities can refer to interventions."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.db import Base


class Doelgebied(Base):
    __tablename__ = "doelgebieden"

    letter: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    supporting_only: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    interventions: Mapped[list[Intervention]] = relationship(
        back_populates="doelgebied", order_by="Intervention.position")


class Intervention(Base):
    """A menukaart intervention, or (effective=False) one deliberately left off it."""

    __tablename__ = "interventions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    doelgebied_letter: Mapped[str | None] = mapped_column(ForeignKey("doelgebieden.letter"))
    effective: Mapped[bool] = mapped_column(default=True)
    # Why a not-effective intervention is not on the menukaart (Dutch, shown to schools).
    reason: Mapped[str] = mapped_column(Text, default="")
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    doelgebied: Mapped[Doelgebied | None] = relationship(back_populates="interventions")
    figures: Mapped[list[InterventionFigures]] = relationship(
        back_populates="intervention", order_by="InterventionFigures.version",
        cascade="all, delete-orphan")

    def figures_for(self, version: str) -> InterventionFigures | None:
        return next((f for f in self.figures if f.version == version), None)


class InterventionFigures(Base):
    """Impact (months), evidence and cost (1-5) of one intervention in one menukaart version."""

    __tablename__ = "intervention_figures"
    __table_args__ = (UniqueConstraint("intervention_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_key: Mapped[str] = mapped_column(ForeignKey("interventions.key",
                                                             ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(4))
    impact: Mapped[int | None]
    evidence: Mapped[int | None]
    cost: Mapped[int | None]

    intervention: Mapped[Intervention] = relationship(back_populates="figures")

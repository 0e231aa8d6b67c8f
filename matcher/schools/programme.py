"""The schoolprogramma: chosen interventions, what fills them, costs per stream, and warnings.

One builder gives the data for the page, the CSV and the PDF, so the three never disagree.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from matcher.accounts.models import Organisation
from matcher.reference.menukaart import load_menukaart
from matcher.schools import queries
from matcher.schools.models import Booking, BookingStatus, ProgrammeItem, RequestStatus

EXTERNAL = "externe aanbieder"
KUNSTVAKDOCENT = "kunstvakdocent"
OWN_STAFF = "eigen personeel"
PART_LABELS = {"eigen-personeel": OWN_STAFF, "kunstvakdocent": KUNSTVAKDOCENT}
DONE = (BookingStatus.DONE, BookingStatus.EVALUATED)


@dataclass(frozen=True)
class Line:
    title: str
    by: str            # provider name, or who at school
    part: str          # EXTERNAL, KUNSTVAKDOCENT or OWN_STAFF
    on_date: date | None
    cost: Decimal
    stream: str
    status: str
    link: str          # how firmly the activity is linked to the intervention
    warning: str = ""
    item_id: int | None = None  # a part the school does itself, which it may remove


@dataclass
class Section:
    key: str
    name: str
    doelgebied: str
    lines: list[Line] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), Decimal("0"))


@dataclass
class ProgrammeView:
    school: str
    school_year: str
    mr_agreed_on: date | None
    sections: list[Section]
    per_stream: dict[str, Decimal]
    per_part: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.per_stream.values(), Decimal("0"))

    @property
    def warnings(self) -> list[tuple[str, Line]]:
        return [(s.name, line) for s in self.sections for line in s.lines if line.warning]


def link_strength(booking: Booking) -> tuple[str, str]:
    """(how the link is known, warning or '') for the intervention this booking fills."""
    activity = booking.activity
    if activity is None:
        return ("voorstel op maat", "Voorstel op maat: de koppeling met de interventie is niet "
                                    "gecontroleerd.")
    key = booking.intervention
    if key in (activity.dropped_interventions or ()):
        return ("afgewezen door curator", "Een curator vond dat deze activiteit de interventie "
                                          "niet invult.")
    if key in (activity.verified_interventions or ()):
        return ("gecontroleerd door curator", "")
    if key in (activity.interventions or ()):
        return ("opgegeven door aanbieder", "Opgegeven door de aanbieder, nog niet "
                                            "gecontroleerd door een curator.")
    return ("zwak", "Zwakke koppeling: de aanbieder noemt deze interventie niet.")


def _booking_line(booking: Booking) -> Line:
    link, warning = link_strength(booking)
    part = KUNSTVAKDOCENT if booking.provider.kind == "kunstvakdocent" else EXTERNAL
    return Line(title=booking.title, by=booking.provider.name, part=part,
                on_date=booking.on_date, cost=booking.price, stream=booking.funding_stream.name,
                status=booking.status.label, link=link, warning=warning)


def _item_line(item: ProgrammeItem) -> Line:
    return Line(title=item.title, by="school", part=PART_LABELS[item.staff],
                on_date=item.on_date, cost=item.cost,
                stream=item.funding_stream.name if item.funding_stream else "–",
                status="gepland", link="eigen invulling", item_id=item.id)


def _in_year(day: date | None, school_year: str) -> bool:
    return day is None or queries.school_year_of(day) == school_year


def build_programme(organisation: Organisation, school_year: str) -> ProgrammeView:
    menukaart = load_menukaart()
    sections: dict[str, Section] = {}

    def section(key: str) -> Section:
        if key not in sections:
            intervention = menukaart.get(key)
            sections[key] = Section(key=key, name=intervention.name if intervention else key,
                                    doelgebied=intervention.doelgebied if intervention else "")
        return sections[key]

    for request in queries.list_requests(organisation.id):
        if request.status not in (RequestStatus.WITHDRAWN,) and \
                _in_year(request.date_from, school_year):
            for key in request.interventions:
                section(key)
    per_stream: dict[str, Decimal] = defaultdict(Decimal)
    per_part: dict[str, Decimal] = defaultdict(Decimal)
    for booking in queries.list_bookings(organisation.id):
        if booking.status == BookingStatus.CANCELLED or not _in_year(booking.on_date,
                                                                     school_year):
            continue
        line = _booking_line(booking)
        section(booking.intervention).lines.append(line)
        per_stream[line.stream] += line.cost
        per_part[line.part] += line.cost
    for item in queries.list_programme_items(organisation.id):
        if _in_year(item.on_date, school_year):
            line = _item_line(item)
            section(item.intervention).lines.append(line)
            per_stream[line.stream] += line.cost
            per_part[line.part] += line.cost
    for found in sections.values():
        found.lines.sort(key=lambda line: (line.on_date or date.max, line.title))
    programme = queries.find_programme(organisation.id, school_year)
    ordered = sorted(sections.values(), key=lambda s: (s.doelgebied, s.name))
    return ProgrammeView(school=organisation.name, school_year=school_year,
                         mr_agreed_on=programme.mr_agreed_on if programme else None,
                         sections=ordered, per_stream=dict(per_stream), per_part=dict(per_part))


CSV_HEADER = ("doelgebied", "interventie", "activiteit", "uitvoerder", "soort", "datum",
              "kosten", "budget", "status", "koppeling", "waarschuwing")


def programme_csv(view: ProgrammeView) -> str:
    """One row per activity; semicolons and a comma decimal, as Dutch spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for section in view.sections:
        for line in section.lines:
            writer.writerow([section.doelgebied, section.name, _cell(line.title), _cell(line.by),
                             line.part, line.on_date.isoformat() if line.on_date else "",
                             f"{line.cost:.2f}".replace(".", ","), _cell(line.stream),
                             line.status, line.link, line.warning])
    return out.getvalue()


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _euro(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"EUR {int(whole):,}".replace(",", ".") + f",{cents}"


def programme_pdf(view: ProgrammeView) -> bytes:
    """A printable A4 schoolprogramma (fpdf2, core fonts: Latin-1 Dutch text)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Schoolprogramma {view.school} {view.school_year}")
    pdf.set_author("Cultuurmatch")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def text(value: str) -> str:
        return value.replace("–", "-").replace("€", "EUR").encode(
            "latin-1", "replace").decode("latin-1")

    def line_out(value: str, size: int = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line_out(f"Schoolprogramma {view.school_year}", 16, "B", 8)
    line_out(view.school, 12)
    agreed = (f"Instemming medezeggenschapsraad: {view.mr_agreed_on:%d-%m-%Y}"
              if view.mr_agreed_on else "Instemming medezeggenschapsraad: nog niet vastgelegd")
    line_out(agreed)
    pdf.ln(3)
    for section in view.sections:
        line_out(f"{section.doelgebied} - {section.name}", 12, "B", 6)
        if not section.lines:
            line_out("Nog geen activiteiten gekozen.", 10, "I")
        for line in section.lines:
            when = f"{line.on_date:%d-%m-%Y}" if line.on_date else "datum volgt"
            line_out(f"- {line.title} ({line.by}, {line.part}); {when}; {_euro(line.cost)} "
                     f"uit {line.stream}; {line.status}; koppeling: {line.link}")
            if line.warning:
                line_out(f"  Let op: {line.warning}", 9, "I")
        pdf.ln(2)
    line_out("Kosten per budget", 12, "B", 6)
    for stream, amount in sorted(view.per_stream.items()):
        line_out(f"{stream}: {_euro(amount)}")
    line_out(f"Totaal: {_euro(view.total)}", 10, "B")
    pdf.ln(2)
    line_out("Wie voert het uit", 12, "B", 6)
    for part, amount in sorted(view.per_part.items()):
        line_out(f"{part}: {_euro(amount)}")
    return bytes(pdf.output())

"""Export of a group's observations for the school's leerlingvolgsysteem: CSV and JSON.

Explicit serializers, no model dumps: pupils appear only under their pseudonymous codes, and
observers only by role (external or own), never by name or e-mail address.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from matcher.observations.queries import ObservationRead
from matcher.reference.dimensions import load_dimensions
from matcher.schools.models import SchoolGroup

CSV_COLUMNS = ("observatie", "datum", "bron", "rol", "soort", "leerlingcode", "dimensie",
               "score", "schaal", "toelichting")
# Spreadsheet programs run cells that start with these as formulas (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _group_label(score: int | None) -> str:
    return "niet gezien" if score is None else load_dimensions().group_scale[score]


def _pupil_label(score: int | None) -> str:
    return "" if score is None else load_dimensions().pupil_scale[score]


def export_rows(observations: Sequence[ObservationRead]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for read in observations:
        observation = read.observation
        base = {"observatie": observation.id, "datum": observation.observed_on.isoformat(),
                "bron": observation.source.value, "rol": observation.discipline or ""}
        for score in read.scores:
            rows.append({**base, "soort": "groep", "leerlingcode": "",
                         "dimensie": score.dimension, "score": score.score,
                         "schaal": _group_label(score.score), "toelichting": score.remark})
        if read.general_notes:
            rows.append({**base, "soort": "algemeen", "leerlingcode": "", "dimensie": "",
                         "score": None, "schaal": "", "toelichting": read.general_notes})
        for note in read.pupil_notes:
            rows.append({**base, "soort": "leerling", "leerlingcode": note.code,
                         "dimensie": note.dimension or "", "score": note.score,
                         "schaal": _pupil_label(note.score), "toelichting": note.note})
    return rows


def to_csv(observations: Sequence[ObservationRead]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, delimiter=";",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(observations):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def to_json(group: SchoolGroup, observations: Sequence[ObservationRead], *,
            exported_at: datetime) -> dict:
    dimensions = load_dimensions()
    return {
        "formaat": "cultuurmatch-observaties-v1",
        "geexporteerd_op": exported_at.isoformat(),
        "school": group.organisation.name,
        "groep": {"naam": group.name, "schooljaar": group.school_year, "leerjaren": group.grades},
        "dimensies": [{"sleutel": d.key, "naam": d.name, "koppelingen": d.maps_to}
                      for d in dimensions.dimensions],
        "groepsschaal": {str(k): v for k, v in dimensions.group_scale.items()},
        "leerlingschaal": {str(k): v for k, v in dimensions.pupil_scale.items()},
        "observaties": [
            {
                "id": read.observation.id,
                "datum": read.observation.observed_on.isoformat(),
                "bron": read.observation.source.value,
                "rol": read.observation.discipline,
                "scores": [{"dimensie": s.dimension, "score": s.score,
                            "toelichting": s.remark} for s in read.scores],
                "algemeen": read.general_notes,
                "leerlingen": [{"code": n.code, "dimensie": n.dimension, "score": n.score,
                                "notitie": n.note} for n in read.pupil_notes],
            }
            for read in observations
        ],
    }

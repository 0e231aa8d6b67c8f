"""Dutch display labels for the exchange format's closed lists (values stay as they are)."""

from __future__ import annotations

from matcher.menukaart.data import load_menukaart

LABELS: dict[str, str] = {
    # sectors
    "po": "Primair onderwijs", "so": "Speciaal onderwijs", "vo": "Voortgezet onderwijs",
    # disciplines
    "beeldend": "Beeldend", "dans": "Dans", "theater": "Theater", "muziek": "Muziek",
    "media": "Media", "literatuur": "Literatuur", "erfgoed": "Erfgoed",
    # formats
    "voorstelling": "Voorstelling", "workshop": "Workshop", "lessenreeks": "Lessenreeks",
    "project": "Project", "rondleiding": "Rondleiding",
    "naschools-programma": "Naschools programma",
    # periods
    "schooltijd": "Onder schooltijd", "naschools": "Na schooltijd", "weekend": "Weekend",
    "herfstvakantie": "Herfstvakantie", "kerstvakantie": "Kerstvakantie",
    "voorjaarsvakantie": "Voorjaarsvakantie", "meivakantie": "Meivakantie",
    "zomervakantie": "Zomervakantie",
    # locations
    "op-school": "Op school", "op-locatie": "Op locatie", "beide": "Op school of op locatie",
    "geen-voorkeur": "Geen voorkeur",
    # price units
    "groep": "per groep", "leerling": "per leerling", "sessie": "per groep per sessie",
    # provider kinds
    "penvoerder": "Penvoerder Cultuureducatie met Kwaliteit", "icc-trainer": "Icc-trainer",
    "museum": "Museum", "jeugdtheater": "Jeugdtheater", "kunstvakdocent": "Kunstvakdocent",
    "muziekschool": "Muziekschool", "cultuurcentrum": "Cultuurcentrum",
    "bibliotheek": "Bibliotheek", "overig": "Overig",
}

GRADE_WORD = {"po": "groep", "so": "groep", "vo": "leerjaar"}


def label(value: str) -> str:
    """The Dutch label of a closed-list value or a menukaart key; the value itself otherwise."""
    if value in LABELS:
        return LABELS[value]
    intervention = load_menukaart().get(value)
    return intervention.name if intervention else value


def audience_text(audience: list[dict]) -> str:
    """'po groep 5–8; vo leerjaar 1–2' in readable Dutch."""
    parts = []
    for item in audience:
        grades = sorted(item["grades"])
        span = f"{grades[0]}–{grades[-1]}" if len(grades) > 1 else str(grades[0])
        parts.append(f"{item['sector'].upper()} {GRADE_WORD.get(item['sector'], 'groep')} {span}")
    return "; ".join(parts)

"""Dutch display labels for the exchange format's closed lists (values stay as they are)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from matcher.reference.menukaart import load_menukaart

LABELS: dict[str, LazyString] = {
    # sectors
    "po": _l("Primair onderwijs"),
    "so": _l("Speciaal onderwijs"),
    "vo": _l("Voortgezet onderwijs"),
    # disciplines
    "beeldend": _l("Beeldend"),
    "dans": _l("Dans"),
    "theater": _l("Theater"),
    "muziek": _l("Muziek"),
    "media": _l("Media"),
    "literatuur": _l("Literatuur"),
    "erfgoed": _l("Erfgoed"),
    # formats
    "voorstelling": _l("Voorstelling"),
    "workshop": _l("Workshop"),
    "lessenreeks": _l("Lessenreeks"),
    "project": _l("Project"),
    "rondleiding": _l("Rondleiding"),
    "naschools-programma": _l("Naschools programma"),
    # periods
    "schooltijd": _l("Onder schooltijd"),
    "naschools": _l("Na schooltijd"),
    "weekend": _l("Weekend"),
    "herfstvakantie": _l("Herfstvakantie"),
    "kerstvakantie": _l("Kerstvakantie"),
    "voorjaarsvakantie": _l("Voorjaarsvakantie"),
    "meivakantie": _l("Meivakantie"),
    "zomervakantie": _l("Zomervakantie"),
    # locations
    "op-school": _l("Op school"),
    "op-locatie": _l("Op locatie"),
    "beide": _l("Op school of op locatie"),
    "geen-voorkeur": _l("Geen voorkeur"),
    # price units
    "groep": _l("per groep"),
    "leerling": _l("per leerling"),
    "sessie": _l("per groep per sessie"),
    # who takes part (exchange 1.1)
    "leerlingen": _l("Leerlingen"),
    "team": _l("Het team: scholing voor leerkrachten"),
    "leerlingen-en-ouders": _l("Leerlingen samen met hun ouders"),
    # provider kinds
    "penvoerder": _l("Penvoerder Cultuureducatie met Kwaliteit"),
    "icc-trainer": _l("Icc-trainer"),
    "museum": _l("Museum"),
    "jeugdtheater": _l("Jeugdtheater"),
    "kunstvakdocent": _l("Kunstvakdocent"),
    "muziekschool": _l("Muziekschool"),
    "cultuurcentrum": _l("Cultuurcentrum"),
    "bibliotheek": _l("Bibliotheek"),
    "overig": _l("Overig"),
}

GRADE_WORD = {"po": "groep", "so": "groep", "vo": "leerjaar"}


def label(value: str) -> str | LazyString:
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

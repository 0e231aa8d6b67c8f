"""Offers as a spreadsheet (CSV or XLSX) with the exchange format's columns, both ways.

A spreadsheet becomes an exchange document, so the one validator checks it; its JSON paths
are then translated back to the sheet, row and column a provider can find in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from matcher.exchange.schema import (
    DISCIPLINES,
    FORMAT,
    FORMATS,
    LOCATIONS,
    PARTICIPANTS,
    PERIODS,
    PRICE_UNITS,
    PROVIDER_KINDS,
)

ACTIVITY_SHEET, PROVIDER_SHEET, HELP_SHEET = "activiteiten", "aanbieders", "uitleg"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, word (lower case), int, money, list, audience
    required: bool
    help: str
    example: str


ACTIVITY_COLUMNS = (
    Column("id", "text", True, "Vaste id van de activiteit: kleine letters, cijfers en "
           "streepjes. Bestaat de id al, dan wordt die activiteit bijgewerkt.",
           "hofplein-zomertheater"),
    Column("provider", "text", True, "Id van de aanbieder (tabblad aanbieders, of al bekend "
           "in Cultuurmatch).", "hofplein"),
    Column("title", "text", True, "Titel zoals scholen die zien.", "Zomertheaterweek"),
    Column("description", "text", True, "Beschrijving in gewone taal; uit deze tekst stelt "
           "Cultuurmatch ook interventies voor.",
           "Vijf ochtenden theater maken in de laatste zomerweek."),
    Column("disciplines", "list", True, "Een of meer van: " + ", ".join(DISCIPLINES)
           + " (gescheiden door komma's).", "theater"),
    Column("format", "text", True, "Een van: " + ", ".join(FORMATS) + ".", "lessenreeks"),
    Column("audience", "audience", True, "Sector en groepen of leerjaren: 'po:5-8', "
           "'po:5,6; vo:1-2'. Groep 1-8 voor po en so, leerjaar 1-6 voor vo.", "po:5-8"),
    Column("group_size.min", "int", True, "Minimaal aantal leerlingen per groep.", "10"),
    Column("group_size.max", "int", True, "Maximaal aantal leerlingen per groep.", "30"),
    Column("sessions", "int", True, "Aantal bijeenkomsten (een voorstelling: 1).", "5"),
    Column("minutes_per_session", "int", True, "Minuten per bijeenkomst.", "90"),
    Column("periods", "list", True, "Een of meer van: " + ", ".join(PERIODS) + ".",
           "zomervakantie"),
    Column("location", "text", True, "Een van: " + ", ".join(LOCATIONS) + ".", "op-locatie"),
    Column("price.amount", "money", True, "Prijs in euro, bijvoorbeeld 1250 of 12,50.",
           "1250"),
    Column("price.per", "text", True, "Een van: " + ", ".join(PRICE_UNITS)
           + " (sessie = per groep per bijeenkomst).", "groep"),
    Column("interventions", "list", False, "Menukaart-interventies die de activiteit kan "
           "invullen (sleutels, bv. zomerschool); leeg laten mag.", "zomerschool"),
    Column("competences", "list", False, "Sociaal-emotionele competenties (sleutels); leeg "
           "laten mag.", "samenwerken, zelfvertrouwen"),
    Column("participants", "word", False, "Wie doet er mee: een van " + ", ".join(PARTICIPANTS)
           + " (team = scholing voor leerkrachten en ander personeel; de doelgroep noemt dan "
           "de leerlingen die zij lesgeven). Leeg laten mag: dan leest Cultuurmatch het uit de "
           "beschrijving.", "leerlingen"),
)

PROVIDER_COLUMNS = (
    Column("id", "text", True, "Vaste id van de aanbieder: kleine letters, cijfers en "
           "streepjes.", "hofplein"),
    Column("name", "text", True, "Naam van de organisatie.", "Jeugdtheater Hofplein"),
    Column("kind", "text", True, "Een van: " + ", ".join(PROVIDER_KINDS) + ".",
           "jeugdtheater"),
    Column("gemeente", "text", True, "Gemeente waar de aanbieder gevestigd is.", "Rotterdam"),
    Column("serves", "list", False, "Gemeenten waar de aanbieder werkt, gescheiden door "
           "komma's; '*' = heel Nederland; leeg = alleen de eigen gemeente.",
           "Rotterdam, Schiedam"),
    Column("email", "text", False, "E-mailadres voor scholen.", "educatie@example.org"),
    Column("website", "text", False, "Website, beginnend met https://.",
           "https://example.org"),
)

_NESTED = {"group_size", "price"}


class SpreadsheetError(ValueError):
    """A sheet that cannot be read; issues are (place, Dutch message)."""

    def __init__(self, issues: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(issues)} fouten in het rekenblad")
        self.issues = issues


@dataclass
class Sheet:
    """A spreadsheet read as an exchange document, and the way back to its cells."""

    data: dict[str, Any]
    rows: dict[str, list[int]]
    headers: dict[str, list[str]]

    def place(self, path: str) -> str:
        """`$.activities[3].price.amount` -> "activiteiten, rij 5, kolom N (price.amount)"."""
        match = re.match(r"^\$\.(activities|providers)\[(\d+)\](.*)$", path)
        if not match:
            return "bestand"
        kind, index, rest = match.group(1), int(match.group(2)), match.group(3)
        sheet = ACTIVITY_SHEET if kind == "activities" else PROVIDER_SHEET
        rows = self.rows.get(kind, [])
        row = rows[index] if index < len(rows) else index + 2
        parts = [p for p in re.sub(r"\[\d+\]", "", rest).split(".") if p]
        if not parts:
            return f"{sheet}, rij {row}"
        column = parts[0]
        if column in _NESTED:
            column = f"{parts[0]}.{parts[1]}" if len(parts) > 1 else f"{parts[0]}.min"
        return _cell(sheet, row, column, self.headers.get(kind, []))


def _cell(sheet: str, row: int, column: str, headers: list[str]) -> str:
    if column in headers:
        letter = get_column_letter(headers.index(column) + 1)
        return f"{sheet}, rij {row}, kolom {letter} ({column})"
    return f"{sheet}, rij {row}, kolom {column}"


# ---------------------------------------------------------------------------- reading


def read_spreadsheet(content: bytes, suffix: str) -> Sheet:
    """A CSV (activities only) or XLSX (sheets activiteiten and aanbieders) as a document."""
    tables = {ACTIVITY_SHEET: _csv_rows(content)} if suffix == ".csv" else _xlsx_rows(content)
    issues: list[tuple[str, str]] = []
    data: dict[str, Any] = {"format": FORMAT}
    sheet = Sheet(data=data, rows={}, headers={})
    for kind, name, columns in (("providers", PROVIDER_SHEET, PROVIDER_COLUMNS),
                                ("activities", ACTIVITY_SHEET, ACTIVITY_COLUMNS)):
        table = tables.get(name)
        if table is None:
            if kind == "activities":
                issues.append((name, f"Het tabblad '{name}' ontbreekt."))
            continue
        items, rows, headers = _read_table(name, table, columns, issues)
        data[kind], sheet.rows[kind], sheet.headers[kind] = items, rows, headers
    if issues:
        raise SpreadsheetError(issues)
    return sheet


def _csv_rows(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first = text.split("\n", 1)[0]
    # Dutch Excel writes semicolons; count which separator the header line uses.
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> dict[str, list[list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError([("bestand", "Dit is geen leesbaar Excel-bestand (.xlsx).")]) \
            from error
    tables = {}
    for worksheet in workbook.worksheets:
        name = worksheet.title.strip().lower()
        if name in (ACTIVITY_SHEET, PROVIDER_SHEET):
            tables[name] = [list(row) for row in worksheet.iter_rows(values_only=True)]
    if ACTIVITY_SHEET not in tables and workbook.worksheets:
        first = workbook.worksheets[0]
        tables[ACTIVITY_SHEET] = [list(row) for row in first.iter_rows(values_only=True)]
    workbook.close()
    return tables


def _read_table(name: str, table: list[list[Any]], columns: tuple[Column, ...],
                issues: list[tuple[str, str]]) -> tuple[list[dict], list[int], list[str]]:
    if not table:
        issues.append((name, "Het tabblad is leeg; de eerste rij hoort de kolomnamen te "
                             "bevatten."))
        return [], [], []
    headers = [str(h).strip().lower() if h is not None else "" for h in table[0]]
    by_name = {c.name: c for c in columns}
    for position, header in enumerate(headers):
        if header and header not in by_name:
            issues.append((f"{name}, rij 1, kolom {get_column_letter(position + 1)}",
                           f"Onbekende kolom '{header}'."))
    for column in columns:
        if column.required and column.name not in headers:
            issues.append((f"{name}, rij 1", f"De kolom '{column.name}' ontbreekt."))
    items, rows = [], []
    for number, values in enumerate(table[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        item: dict[str, Any] = {}
        for position, header in enumerate(headers):
            column = by_name.get(header)
            value = values[position] if position < len(values) else None
            if column is None or value is None or str(value).strip() == "":
                continue
            try:
                _put(item, column.name, _convert(column.kind, value))
            except ValueError as error:
                issues.append((_cell(name, number, column.name, headers), str(error)))
        items.append(item)
        rows.append(number)
    return items, rows, headers


def _put(item: dict, name: str, value: Any) -> None:
    if "." in name:
        outer, inner = name.split(".", 1)
        item.setdefault(outer, {})[inner] = value
    else:
        item[name] = value


def _convert(kind: str, value: Any) -> Any:
    converters: dict[str, Callable[[Any], Any]] = {
        "text": lambda v: str(v).strip() if not isinstance(v, float) else _number_text(v),
        "word": lambda v: str(v).strip().lower(),
        "int": _integer, "money": _money, "list": _list, "audience": _audience,
    }
    return converters[kind](value)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is geen geheel getal.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ValueError(f"'{text}' is geen geheel getal.")


def _money(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("€", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text):  # 1.250,50
        text = text.replace(".", "")
    text = text.replace(",", ".")
    if re.fullmatch(r"\d+(\.\d{1,2})?", text):
        return float(text)
    raise ValueError(f"'{value}' is geen bedrag in euro (bijvoorbeeld 1250 of 12,50).")


def _list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", str(value)) if part.strip()]


def _audience(value: Any) -> list[dict[str, Any]]:
    audience = []
    for part in (p.strip() for p in str(value).split(";")):
        if not part:
            continue
        match = re.fullmatch(r"([a-zA-Z]+)\s*:\s*([\d\s,\-–]+)", part)
        if not match:
            raise ValueError(f"'{part}' is geen doelgroep; schrijf bijvoorbeeld 'po:5-8' of "
                             "'vo:1,2'.")
        grades: list[int] = []
        for piece in re.split(r"\s*,\s*", match.group(2).strip()):
            span = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", piece)
            if span:
                grades += list(range(int(span.group(1)), int(span.group(2)) + 1))
            elif piece.isdigit():
                grades.append(int(piece))
            else:
                raise ValueError(f"'{piece}' in '{part}' is geen groep of leerjaar.")
        audience.append({"sector": match.group(1).lower(), "grades": grades})
    return audience


# ---------------------------------------------------------------------------- writing


def template_xlsx() -> bytes:
    """An empty workbook with the columns, one example row and a sheet of explanations."""
    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = HELP_SHEET
    help_sheet.append(["tabblad", "kolom", "verplicht", "uitleg", "voorbeeld"])
    for sheet_name, columns in ((ACTIVITY_SHEET, ACTIVITY_COLUMNS),
                                (PROVIDER_SHEET, PROVIDER_COLUMNS)):
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([c.name for c in columns])
        sheet.append([c.example for c in columns])
        for position, column in enumerate(columns, start=1):
            sheet.cell(row=1, column=position).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(position)].width = \
                max(14, len(column.name) + 4)
            help_sheet.append([sheet_name, column.name, "ja" if column.required else "nee",
                               column.help, column.example])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.column_dimensions["D"].width = 90
    for row in help_sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True)
    workbook.move_sheet(HELP_SHEET, offset=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> str:
    """The activity columns with one example row (semicolons, as Dutch Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.name for c in ACTIVITY_COLUMNS])
    writer.writerow([c.example for c in ACTIVITY_COLUMNS])
    return buffer.getvalue()

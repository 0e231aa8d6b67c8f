"""Offers as a spreadsheet (CSV or XLSX) with the exchange format's columns, both ways.

A spreadsheet becomes an exchange document, so the one validator checks it; its JSON paths
are then translated back to the sheet, row and column a provider can find in Excel.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from matcher import limits
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
from matcher.limits import dutch_number

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
    # Cells that could not be read: (place, message), and (kind, index, column) of each.
    cell_issues: list[tuple[str, str]] = field(default_factory=list)
    failed: set[tuple[str, int, str]] = field(default_factory=set)

    def was_unreadable(self, path: str) -> bool:
        """Whether the validator's problem at `path` is a cell already reported unreadable
        (its value was left out, so the validator would only say it is missing)."""
        match = re.match(r"^\$\.(activities|providers)\[(\d+)\]\.?([a-z_]*)\.?([a-z_]*)", path)
        if not match:
            return False
        kind, index, outer, inner = match.groups()
        columns = {outer, f"{outer}.{inner}"} if inner else {outer, f"{outer}.min",
                                                              f"{outer}.max",
                                                              f"{outer}.amount",
                                                              f"{outer}.per"}
        return any((kind, int(index), column) in self.failed for column in columns)

    def order(self, place: str) -> tuple:
        """A sort key of a place: sheet, row, then column, as a provider reads the sheet."""
        match = re.match(r"^(\w+), rij (\d+)(?:, kolom ([A-Z]+))?", place)
        if not match:
            return (place, 0, "")
        sheet, row, letter = match.groups()
        return (sheet, int(row), (len(letter), letter) if letter else (0, ""))

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


def read_spreadsheet(content: bytes, suffix: str,
                     max_rows: int = limits.MAX_IMPORT_ROWS) -> Sheet:
    """A CSV (activities only) or XLSX (sheets activiteiten and aanbieders) as a document.

    A problem with the sheet itself (a missing tab or column, a file that is no spreadsheet,
    one too large) raises SpreadsheetError at once. A problem with a cell does not: it is
    kept in `Sheet.issues` and its value left out, so the validator still checks every other
    cell and the provider gets every error of every row in one answer.
    """
    tables = {ACTIVITY_SHEET: _csv_rows(content, max_rows)} if suffix == ".csv" \
        else _xlsx_rows(content, max_rows)
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
        headers = _headers(name, table, columns, issues)
        if headers is None:
            continue
        items, rows, failed = _read_rows(kind, name, table, headers, columns, sheet.cell_issues)
        data[kind], sheet.rows[kind], sheet.headers[kind] = items, rows, headers
        sheet.failed |= failed
    if issues:
        raise SpreadsheetError(issues)
    return sheet


def _too_many_rows(name: str) -> SpreadsheetError:
    return SpreadsheetError([(name, f"Het tabblad heeft meer dan "
                                    f"{dutch_number(limits.MAX_SHEET_ROWS)} rijen (lege "
                                    "rijen tellen mee); splits het bestand.")])


@dataclass
class Table:
    """The header row and the rows that are not empty, with their row numbers (taken off
    the front as they are converted, so a row is held once, not twice)."""

    header: list[Any]
    rows: deque[tuple[int, list[Any]]]


def _table(name: str, rows: Iterator[Sequence[Any]], max_rows: int) -> Table | None:
    """Read rows one at a time: empty ones are counted, not kept; a row has at most
    MAX_SHEET_COLUMNS cells (a declared width of 16,384 columns is not padded out), and
    reading stops at the first row past `max_rows` rows that are not empty."""
    header: list[Any] | None = None
    kept: deque[tuple[int, list[Any]]] = deque()
    for number, values in enumerate(rows, start=1):
        if number > limits.MAX_SHEET_ROWS:
            raise _too_many_rows(name)
        values = list(values[:limits.MAX_SHEET_COLUMNS])
        if header is None:
            header = values
        elif any(v is not None and str(v).strip() != "" for v in values):
            if len(kept) >= max_rows:
                raise SpreadsheetError([(name, (
                    f"Het tabblad heeft meer dan {dutch_number(max_rows)} rijen met "
                    "activiteiten of aanbieders; splits het bestand."))])
            kept.append((number, values))
    return None if header is None else Table(header=header, rows=kept)


def _csv_rows(content: bytes, max_rows: int) -> Table | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:  # random bytes, or a file saved as UTF-16: no CSV this reader knows
        raise SpreadsheetError([("bestand", "Dit is geen leesbaar CSV-bestand: het bevat "
                                            "binaire tekens. Sla het op als CSV (UTF-8).")])
    first = text[:text.find("\n")] if "\n" in text else text
    # Dutch Excel writes semicolons; count which separator the header line uses.
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        return _table(ACTIVITY_SHEET, reader, max_rows)
    except csv.Error as error:
        raise SpreadsheetError([(f"{ACTIVITY_SHEET}, rij {reader.line_num}",
                                 "Deze regel is geen geldige CSV (een aanhalingsteken dat "
                                 "niet wordt gesloten, of een cel van veel meer dan "
                                 f"{dutch_number(limits.MAX_CELL_CHARS)} tekens).")]) \
            from error


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings, one at a time (a StringIO would hold the
    whole text again, four bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def check_xlsx_sizes(content: bytes) -> None:
    """Refuse a zip whose members would decompress beyond the limits, before opening it.

    The sizes come from the zip's central directory (cheap to read); a member that claims a
    small size and then inflates further is stopped by zipfile itself, which checks the
    declared size while reading.
    """
    most = limits.size_text(limits.MAX_XLSX_UNCOMPRESSED)
    refuse = SpreadsheetError([("bestand", f"Dit Excel-bestand is uitgepakt te groot (meer "
                                           f"dan {most}, of een onderdeel dat ongewoon sterk "
                                           "is ingepakt); sla het opnieuw op of splits het.")])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise SpreadsheetError([("bestand", "Dit is geen leesbaar Excel-bestand (.xlsx).")]) \
            from error
    if len(members) > limits.MAX_XLSX_MEMBERS:
        raise refuse
    if sum(m.file_size for m in members) > limits.MAX_XLSX_UNCOMPRESSED:
        raise refuse
    for member in members:
        if member.file_size > limits.MAX_XLSX_MEMBER:
            raise refuse
        if member.file_size > 1 * limits.MB and \
                member.file_size > limits.MAX_XLSX_RATIO * max(member.compress_size, 1):
            raise refuse
        if member.filename.lower().endswith("sharedstrings.xml") and \
                member.file_size > limits.MAX_XLSX_SHARED_STRINGS:
            raise refuse


def _xlsx_rows(content: bytes, max_rows: int) -> dict[str, Table | None]:
    check_xlsx_sizes(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError([("bestand", "Dit is geen leesbaar Excel-bestand (.xlsx).")]) \
            from error
    try:
        return _xlsx_tables(workbook, max_rows)
    except SpreadsheetError:
        raise
    except Exception as error:  # a broken sheet inside a readable workbook
        raise SpreadsheetError([("bestand", "Een tabblad van dit Excel-bestand is niet "
                                            "leesbaar.")]) from error
    finally:
        workbook.close()


def _xlsx_tables(workbook, max_rows: int) -> dict[str, Table | None]:
    def read(worksheet, name: str) -> Table | None:
        # Streaming (read_only); max_col stops a declared width being padded out.
        return _table(name, worksheet.iter_rows(values_only=True,
                                                max_col=limits.MAX_SHEET_COLUMNS), max_rows)

    tables: dict[str, Table | None] = {}
    for worksheet in workbook.worksheets:
        name = worksheet.title.strip().lower()
        if name in (ACTIVITY_SHEET, PROVIDER_SHEET) and name not in tables:
            tables[name] = read(worksheet, name)
    if ACTIVITY_SHEET not in tables and workbook.worksheets:
        tables[ACTIVITY_SHEET] = read(workbook.worksheets[0], ACTIVITY_SHEET)
    return tables


def _headers(name: str, table: Table | None, columns: tuple[Column, ...],
             issues: list[tuple[str, str]]) -> list[str] | None:
    if table is None:
        issues.append((name, "Het tabblad is leeg; de eerste rij hoort de kolomnamen te "
                             "bevatten."))
        return None
    headers = [str(h).strip().lower()[:100] if h is not None else "" for h in table.header]
    by_name = {c.name for c in columns}
    allowed = ", ".join(c.name for c in columns)
    for position, header in enumerate(headers):
        if header and header not in by_name:
            issues.append((f"{name}, rij 1, kolom {get_column_letter(position + 1)}",
                           f"Onbekende kolom '{_shown(header)}'; de kolommen zijn: "
                           f"{allowed}."))
    for column in columns:
        if column.required and column.name not in headers:
            issues.append((f"{name}, rij 1", f"De kolom '{column.name}' ontbreekt."))
    if len(table.rows) > limits.MAX_IMPORT_ROWS:
        issues.append((name, f"Het tabblad heeft meer dan "
                             f"{dutch_number(limits.MAX_IMPORT_ROWS)} rijen; splits het "
                             "bestand."))
    return headers


def _read_rows(kind: str, name: str, table: Table, headers: list[str],
               columns: tuple[Column, ...], issues: list[tuple[str, str]]
               ) -> tuple[list[dict], list[int], set[tuple[str, int, str]]]:
    """The rows as exchange objects; a cell that cannot be read is reported and left out
    (its place goes in `failed`, so the validator's 'missing' for it is not said twice)."""
    by_name = {c.name: c for c in columns}
    items, rows = [], []
    failed: set[tuple[str, int, str]] = set()
    index = -1
    while table.rows:
        number, values = table.rows.popleft()
        index += 1
        item: dict[str, Any] = {}
        for position, header in enumerate(headers):
            column = by_name.get(header)
            value = values[position] if position < len(values) else None
            if column is None or value is None or str(value).strip() == "":
                continue
            try:
                _put(item, column.name, _convert(column.kind, value))
            except ValueError as error:
                # Past the cap only the place is kept (its 'missing' is then not repeated).
                if len(issues) <= limits.MAX_REPORTED_ISSUES:
                    issues.append((_cell(name, number, column.name, headers), str(error)))
                failed.add((kind, index, column.name))
        items.append(item)
        rows.append(number)
    return items, rows, failed


def _shown(value: Any, length: int = 40) -> str:
    """A value quoted in a message: a 20,000-character cell is not repeated whole."""
    text = str(value).strip()
    return text if len(text) <= length else text[:length] + "…"


def _put(item: dict, name: str, value: Any) -> None:
    if "." in name:
        outer, inner = name.split(".", 1)
        item.setdefault(outer, {})[inner] = value
    else:
        item[name] = value


def _convert(kind: str, value: Any) -> Any:
    converters: dict[str, Callable[[Any], Any]] = {
        "text": _text, "word": lambda v: _text(v).lower(),
        "int": _integer, "money": _money, "list": _list, "audience": _audience,
    }
    return converters[kind](value)


def _text(value: Any) -> str:
    text = _number_text(value) if isinstance(value, float) else str(value).strip()
    if len(text) > limits.MAX_CELL_CHARS:
        raise ValueError(f"De tekst is {dutch_number(len(text))} tekens lang; het maximum is "
                         f"{dutch_number(limits.MAX_CELL_CHARS)}.")
    return text


def _number_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return str(int(value)) if value.is_integer() else str(value)


# Digits of a number in a cell: enough for every bound, and no int() of 5,000 digits.
_MAX_DIGITS = 9


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is geen geheel getal.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(rf"-?\d{{1,{_MAX_DIGITS}}}", text):
        return int(text)
    raise ValueError(f"'{_shown(text)}' is geen geheel getal.")


def _money(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("€", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text):  # 1.250,50
        text = text.replace(".", "")
    text = text.replace(",", ".")
    # A minus sign is read, so the validator says that a price cannot be negative.
    if re.fullmatch(rf"-?\d{{1,{_MAX_DIGITS}}}(\.\d{{1,2}})?", text):
        return float(text)
    raise ValueError(f"'{_shown(value)}' is geen bedrag in euro (bijvoorbeeld 1250 of "
                     "12,50).")


def _list(value: Any) -> list[str]:
    parts = [part.strip() for part in re.split(r"[,;]", _text(value)) if part.strip()]
    if len(parts) > limits.MAX_REQUEST_LIST:
        raise ValueError(f"Hoogstens {limits.MAX_REQUEST_LIST} waarden in één cel.")
    return parts


_GRADE_WORDS = "groep 1-8 voor po en so, leerjaar 1-6 voor vo"


def _audience(value: Any) -> list[dict[str, Any]]:
    audience = []
    for part in (p.strip() for p in _text(value).split(";")):
        if not part:
            continue
        match = re.fullmatch(r"([a-zA-Z]+)\s*:\s*([\d\s,\-–]+)", part)
        if not match:
            raise ValueError(f"'{_shown(part)}' is geen doelgroep; schrijf bijvoorbeeld "
                             "'po:5-8' of 'vo:1,2'.")
        audience.append({"sector": match.group(1).lower(),
                         "grades": _grades(match.group(2), part)})
    if len(audience) > 3:
        raise ValueError("Noem elke sector (po, so, vo) hoogstens één keer.")
    return audience


def _grades(text: str, part: str) -> list[int]:
    """'5-8, 3' -> [5, 6, 7, 8, 3]. A range is checked before it is expanded: 'po:1-1000000'
    is an error of one line, not a list of a million grades."""
    grades: list[int] = []
    for piece in re.split(r"\s*,\s*", text.strip()):
        span = re.fullmatch(r"(\d{1,2})\s*[-–]\s*(\d{1,2})", piece)
        if span:
            low, high = int(span.group(1)), int(span.group(2))
            if not 1 <= low <= high <= limits.HIGHEST_GRADE:
                raise ValueError(f"'{_shown(piece)}' in '{_shown(part)}' is geen reeks "
                                 f"groepen of leerjaren ({_GRADE_WORDS}).")
            grades += range(low, high + 1)
        elif re.fullmatch(r"\d{1,2}", piece):
            grades.append(int(piece))
        else:
            raise ValueError(f"'{_shown(piece)}' in '{_shown(part)}' is geen groep of "
                             f"leerjaar ({_GRADE_WORDS}).")
        if len(grades) > limits.MAX_GRADES:
            raise ValueError(f"Hoogstens {limits.MAX_GRADES} groepen of leerjaren per "
                             "sector.")
    return grades


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

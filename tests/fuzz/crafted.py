"""Crafted files that a hostile but ordinary provider could upload, small on the wire.

Each one aims at one way an import could blow up: a grade range that expands, rows that are
declared but empty, a shared string or a zip member that inflates, nesting that recurses, a
cell with eight problems. Used by the upload fuzz tests and by bench/bench_memory.py.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

HEADER = ("id;provider;title;description;disciplines;format;audience;group_size.min;"
          "group_size.max;sessions;minutes_per_session;periods;location;price.amount;price.per")
GOOD_ROW = ("x-{n};onbekend;Theater {n};Spelen;theater;workshop;po:5-8;10;30;1;60;schooltijd;"
            "op-school;100;groep")


def csv_range() -> bytes:
    """The issue's 312-byte CSV: one audience cell reads po:1-1000000."""
    return (HEADER + "\n" + GOOD_ROW.format(n=1).replace("po:5-8", "po:1-1000000")
            + "\n").encode()


def csv_eight_problems() -> bytes:
    """One row with eight problems (and more): every one must be reported."""
    return (HEADER + "\nBad Id;onbekend;;x;zang;opera;po:9-12;0;abc;0;-5;ooit;maan;-3;persoon\n"
            ).encode()


def csv_empty_rows(rows: int = 600_000) -> bytes:
    return (HEADER + "\n").encode() + (";" * 14 + "\n").encode() * rows


def csv_huge_cell(size: int = 9_000_000) -> bytes:
    return (HEADER + "\n" + GOOD_ROW.format(n=1).replace("Spelen", "a" * size) + "\n").encode()


def csv_many_bad_rows(rows: int = 20_000) -> bytes:
    """Many rows, each with several problems: the report must not cost gigabytes."""
    bad = "Bad Id;onbekend;;x;zang;opera;po:9-12;0;abc;0;-5;ooit;maan;-3;persoon\n"
    return (HEADER + "\n" + bad * rows).encode()


def random_bytes(size: int = 4096, seed: int = 12) -> bytes:
    return random.Random(seed).randbytes(size)


def json_deep(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def json_nested_objects(depth: int = 30) -> bytes:
    """Nested objects just under the depth limit, where an offers document is expected."""
    document: object = {"leaf": 1}
    for _ in range(depth):
        document = {"format": "cultuurmatch-exchange/1", "activities": [document]}
    return json.dumps(document).encode()


def json_many_grades(count: int = 200_000) -> bytes:
    activity = json.loads(json_offers(1))["activities"][0]
    activity["audience"] = [{"sector": "po", "grades": [5] * count}]
    return json.dumps({"format": "cultuurmatch-exchange/1", "activities": [activity]}).encode()


def json_offers(count: int = 1000, provider: str = "onbekend") -> bytes:
    """A valid-looking offers document of `count` activities (the provider may be unknown)."""
    activities = [{
        "id": f"crafted-{n}", "provider": provider, "title": f"Theater {n}",
        "description": "Spelen en samenwerken in de klas.", "disciplines": ["theater"],
        "format": "workshop", "audience": [{"sector": "po", "grades": [5, 6, 7, 8]}],
        "group_size": {"min": 10, "max": 30}, "sessions": 1, "minutes_per_session": 60,
        "periods": ["schooltijd"], "location": "op-school",
        "price": {"amount": 100, "per": "groep"}} for n in range(count)]
    return json.dumps({"format": "cultuurmatch-exchange/1", "activities": activities}).encode()


def json_tiny_objects(count: int = 800_000) -> bytes:
    """Nine megabytes of the smallest rows there are: {} after {}."""
    return b'{"format": "cultuurmatch-exchange/1", "activities": [' + \
        b",".join([b'{"id": "a"}'] * count) + b"]}"


def match_request(**changes) -> dict:
    body = {"id": "fuzz", "school": {"name": "OBS", "sector": "po", "gemeente": "Amsterdam"},
            "interventions": ["zomerschool"], "grades": [5], "pupils": 25}
    body.update(changes)
    return {"format": "cultuurmatch-exchange/1", "request": body}


# ------------------------------------------------------------------------------ XLSX


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="activiteiten" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<dimension ref="{dimension}"/><sheetData>')
_SHEET_CLOSE = "</sheetData></worksheet>"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_xml(number: int, values: Iterable[str]) -> str:
    cells = "".join(f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def xlsx(rows: Callable[[], Iterable[str]], shared: Callable[[], Iterable[str]] = lambda: (),
         dimension: str = "A1:O2") -> bytes:
    """A minimal workbook, written in chunks: the sheet's rows and the shared strings (XML
    fragments), so a file that inflates to 1 GB is never held uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_OPEN.format(dimension=dimension).encode())
            for row in rows():
                sheet.write(row.encode())
            sheet.write(_SHEET_CLOSE.encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                          b'openxmlformats.org/spreadsheetml/2006/main">')
            for fragment in shared():  # XML of <si> elements, in as many pieces as it likes
                strings.write(fragment.encode())
            strings.write(b"</sst>")
    return buffer.getvalue()


def _header_and(row: str) -> Callable[[], Iterable[str]]:
    return lambda: (_row_xml(1, HEADER.split(";")), _row_xml(2, row.split(";")))


def xlsx_valid(count: int = 3) -> bytes:
    return xlsx(lambda: (_row_xml(n + 1, (HEADER if n == 0 else GOOD_ROW.format(n=n)).split(";"))
                         for n in range(count + 1)))


def xlsx_range() -> bytes:
    return xlsx(_header_and(GOOD_ROW.format(n=1).replace("po:5-8", "po:1-1000000")))


def xlsx_empty_rows(rows: int = 1_048_576) -> bytes:
    """Every row of the sheet declared, all empty, and the widest dimension Excel has."""
    def all_rows() -> Iterable[str]:
        yield _row_xml(1, HEADER.split(";"))
        for number in range(2, rows + 1):
            yield f'<row r="{number}"/>'
    return xlsx(all_rows, dimension="A1:XFD1048576")


def xlsx_huge_shared_string(size: int = 100_000_000) -> bytes:
    """One shared string of 100 MB (about 100 kB compressed), referenced by one cell."""
    def shared() -> Iterable[str]:
        chunk = "a" * 1_000_000
        yield "<si><t>"
        for _ in range(size // len(chunk)):
            yield chunk
        yield "</t></si>"
    row = lambda: (_row_xml(1, HEADER.split(";")),  # noqa: E731
                   '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    return xlsx(row, shared)


def zip_bomb(size: int = 1_000_000_000) -> bytes:
    """An 'XLSX' whose sheet inflates from about 1 MB to 1 GB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * 1_000_000
            for _ in range(size // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def xlsx_not_a_zip() -> bytes:
    return b"PK\x03\x04" + random_bytes(2000)


# Every crafted upload: (name, filename, builder). The bench measures each of them.
CRAFTED_UPLOADS: tuple[tuple[str, str, Callable[[], bytes]], ...] = (
    ("csv: po:1-1000000", "range.csv", csv_range),
    ("csv: eight problems in one row", "eight.csv", csv_eight_problems),
    ("csv: 600,000 empty rows", "empty.csv", csv_empty_rows),
    ("csv: one 9 MB cell", "cell.csv", csv_huge_cell),
    ("csv: 20,000 rows with problems", "bad.csv", csv_many_bad_rows),
    ("csv: 5,000 rows with problems", "bad5k.csv", lambda: csv_many_bad_rows(5000)),
    ("csv: random bytes", "random.csv", random_bytes),
    ("json: 100,000 levels deep", "deep.json", json_deep),
    ("json: nested offers documents", "nested.json", json_nested_objects),
    ("json: 200,000 grades", "grades.json", json_many_grades),
    ("json: 5,000 activities", "offers.json", lambda: json_offers(5000)),
    ("json: 800,000 tiny objects", "tiny.json", json_tiny_objects),
    ("json: random bytes", "random.json", random_bytes),
    ("json: 3,000,000 unclosed quotes", "quotes.json",
     lambda: b'{"a": "' + b'x\\"' * 3_000_000),
    ("xlsx: po:1-1000000", "range.xlsx", xlsx_range),
    ("xlsx: 1,048,576 empty rows", "empty.xlsx", xlsx_empty_rows),
    ("xlsx: one 100 MB shared string", "shared.xlsx", xlsx_huge_shared_string),
    ("xlsx: zip bomb (1 GB)", "bomb.xlsx", zip_bomb),
    ("xlsx: not a zip", "broken.xlsx", xlsx_not_a_zip),
    ("xlsx: three valid rows", "valid.xlsx", xlsx_valid),
)

"""Every bound on what a user may send, in one place, with the Dutch message that names it.

Forms, the exchange validator, the importer, the API and the error pages read their numbers
from here, so a message can never disagree with the check ("hoogstens 2000" where 5000 is
allowed). A bound protects two things: the database (a number must fit its column, and what
is stored must render again on every later page) and memory (a small upload must not expand
into gigabytes: a grade range, a spreadsheet's declared size, a zip member, a deep JSON).

Messages are Dutch msgids through Flask-Babel, like every other user-facing text; outside a
request (the command line) they render as the Dutch source text. This module sits on the
ground floor beside the reference room (the exchange format reads it), so it imports no web
framework at load time: msgids are marked with `_l` for extraction and translated when used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def _l(message: str) -> str:
    """Marks a msgid for `make messages` (keyword _l); `_` translates it when it is shown."""
    return message


def _(message: str, **variables) -> str:
    from flask_babel import gettext

    return gettext(message, **variables)

KB = 1024
MB = 1024 * KB


def dutch_number(value: int | float | Decimal) -> str:
    """1000000 -> '1.000.000', 12.5 -> '12,50'; how a Dutch reader writes a bound."""
    if isinstance(value, int) or (not isinstance(value, int) and value == int(value)):
        return f"{int(value):,}".replace(",", ".")
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{cents}"


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Bound:
    """A closed range [low, high] of a number a user types, and how to say it is out of it.

    `too_low` and `too_high` are msgids with %(min)s and %(max)s; a too-large value is told
    the maximum, never that it "cannot be negative".
    """

    low: int | Decimal
    high: int | Decimal
    too_low: str
    too_high: str

    def problem(self, value: int | float | Decimal | None) -> str | None:
        """The Dutch message when `value` is outside the range (or not a finite number)."""
        if value is None:
            return None
        if isinstance(value, float | Decimal) and not _finite(value):
            return _("Vul een gewoon getal in.")
        if value < self.low:
            return self._say(self.too_low)
        if value > self.high:
            return self._say(self.too_high)
        return None

    def _say(self, message: str) -> str:
        return _(message, min=dutch_number(self.low), max=dutch_number(self.high))

    def text(self) -> str:
        """The range in words, for a field's description or the format documentation."""
        return _("van %(min)s tot en met %(max)s", min=dutch_number(self.low),
                 max=dutch_number(self.high))


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else value == value and \
        value not in (float("inf"), float("-inf"))


# Money columns are Numeric(10, 2): at most 99.999.999,99. Ten million euro is far above any
# school's culture budget and far below what the column holds, on SQLite too (which stores
# anything and then fails to read it back).
MAX_EUROS = Decimal("10000000")

BUDGET = Bound(Decimal(0), MAX_EUROS, _l("Een budget kan niet negatief zijn."),
               _l("Een budget is hoogstens %(max)s euro."))
AMOUNT = Bound(Decimal(0), MAX_EUROS, _l("Een bedrag kan niet negatief zijn."),
               _l("Een bedrag is hoogstens %(max)s euro."))
PRICE = Bound(Decimal(0), MAX_EUROS, _l("Een prijs kan niet negatief zijn."),
              _l("Een prijs is hoogstens %(max)s euro."))
COST = Bound(Decimal(0), MAX_EUROS, _l("Kosten kunnen niet negatief zijn."),
             _l("Kosten zijn hoogstens %(max)s euro."))

# Pupils of one request (a gemeente asks for several schools at once).
PUPILS = Bound(1, 5000, _l("Kies minstens %(min)s leerling."),
               _l("Kies hoogstens %(max)s leerlingen."))
# Pupils of the public match form and the API (one school).
MATCH_PUPILS = Bound(1, 2000, _l("Kies minstens %(min)s leerling."),
                     _l("Kies hoogstens %(max)s leerlingen."))
GROUP_PUPILS = Bound(1, 60, _l("Een groep heeft minstens %(min)s leerling."),
                     _l("Een groep heeft hoogstens %(max)s leerlingen."))
TEAM_SIZE = Bound(1, 500, _l("Kies minstens %(min)s deelnemer."),
                  _l("Kies hoogstens %(max)s deelnemers."))
SEATS = Bound(1, 1000, _l("Boek minstens %(min)s plaats."),
              _l("Boek hoogstens %(max)s plaatsen."))
# An activity's group size: a performance in a theatre hall is a large group.
GROUP_SIZE = Bound(1, 2000, _l("Een groep is minstens %(min)s leerling."),
                   _l("Een groep is hoogstens %(max)s leerlingen."))
SESSIONS = Bound(1, 200, _l("Er is minstens %(min)s bijeenkomst."),
                 _l("Hoogstens %(max)s bijeenkomsten."))
MINUTES = Bound(1, 1440, _l("Een bijeenkomst duurt minstens %(min)s minuut."),
                _l("Een bijeenkomst duurt hoogstens %(max)s minuten (een dag)."))
CAPACITY = Bound(1, 10000, _l("Minstens %(min)s plaats."), _l("Hoogstens %(max)s plaatsen."))
# Years a school keeps observations after the school year ends (its privacy policy).
RETENTION_YEARS = Bound(1, 10, _l("Kies minstens %(min)s jaar."),
                        _l("Kies hoogstens %(max)s jaar."))
# New pupil codes issued at once for one group.
PUPIL_CODES = Bound(1, 40, _l("Kies minstens %(min)s leerlingcode."),
                    _l("Kies hoogstens %(max)s leerlingcodes."))
PAGE = Bound(1, 100_000, _l("Kies pagina %(min)s of hoger."),
             _l("Kies een pagina tot en met %(max)s."))

# Highest grade (groep, leerjaar) per sector; the exchange format's GRADES says the same.
HIGHEST_GRADE = 8
# An id in a URL or a form beyond what an integer column holds is not found, not an error.
MAX_ROW_ID = 2**31 - 1

# --------------------------------------------------------------------------- text


# Characters per free text; the columns and forms have their own Length(max=...) too.
MAX_TITLE = 200
MAX_NAME = 200
MAX_DESCRIPTION = 20000
MAX_WISHES = 2000
# A cell of an imported spreadsheet: the longest field (a description) and a little more.
MAX_CELL_CHARS = MAX_DESCRIPTION

# --------------------------------------------------------------------------- request bodies


# The largest body any request may send (the upload plus its multipart envelope); Flask
# refuses more with 413 before reading it.
MAX_UPLOAD_BYTES = 10 * MB
MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 64 * KB
# A provider a curator has not approved yet may still try the import, with a small file.
UNAPPROVED_UPLOAD_BYTES = 1 * MB
UNAPPROVED_IMPORTS_PER_HOUR = 5
UNAPPROVED_IMPORT_RATE = f"{UNAPPROVED_IMPORTS_PER_HOUR} per hour"
# An ordinary form: the longest text area is 20,000 characters, url-encoded at most ~9 bytes
# per character.
FORM_BODY_BYTES = 256 * KB
# A match request document is a few hundred bytes; 64 KB leaves room for long wishes.
MATCH_BODY_BYTES = 64 * KB
# Per endpoint, what a body may weigh; every other endpoint gets FORM_BODY_BYTES.
BODY_BYTES = {
    "api.match": MATCH_BODY_BYTES,
    "providers.import_offers_page": MAX_CONTENT_LENGTH,
}

# --------------------------------------------------------------------------- JSON


# An exchange document nests five levels (document, activities, activity, audience, grades);
# anything deeper is not the format, and json would recurse until RecursionError.
MAX_JSON_DEPTH = 32
# Items in a list of a request document (grades, interventions, periods, ...).
MAX_REQUEST_LIST = 50
# Grades of one audience or request: the eight groups, a few repeated at most.
MAX_GRADES = 16

# --------------------------------------------------------------------------- imports


# Rows of one import file; the background import handles large files, this stops a file of
# a million rows before it is held in memory.
MAX_IMPORT_ROWS = 100_000
# Rows a spreadsheet may declare, empty ones included (an empty row still costs a read).
MAX_SHEET_ROWS = 120_000
# Columns read per row: the template has 18; more are reported as unknown up to this many.
MAX_SHEET_COLUMNS = 40
# Problems reported per file: every problem of the first rows is listed, then a count.
MAX_REPORTED_ISSUES = 1000
# An XLSX is a zip: sizes checked from its directory before anything is decompressed.
MAX_XLSX_UNCOMPRESSED = 60 * MB
MAX_XLSX_MEMBER = 40 * MB
MAX_XLSX_SHARED_STRINGS = 8 * MB
MAX_XLSX_MEMBERS = 200
# A zip member that grows more than this factor is a zip bomb, not a spreadsheet.
MAX_XLSX_RATIO = 200


@dataclass(frozen=True)
class ImportCaps:
    """What one import may hold: its size in bytes and its number of rows."""

    max_bytes: int
    max_rows: int


# An operator's file on the command line (the import benchmark reads 100,000 activities).
CLI_CAPS = ImportCaps(max_bytes=512 * MB, max_rows=MAX_IMPORT_ROWS)
# An upload through the web page: a provider's offer is tens of activities, a region's a few
# thousand; more goes through the command line. 5,000 rows keep an upload's peak memory
# within 50 MB (bench/bench_memory.py).
WEB_IMPORT_ROWS = 5000
WEB_CAPS = ImportCaps(max_bytes=MAX_UPLOAD_BYTES, max_rows=WEB_IMPORT_ROWS)
# A provider a curator has not approved yet (anyone can sign up).
UNAPPROVED_CAPS = ImportCaps(max_bytes=UNAPPROVED_UPLOAD_BYTES, max_rows=500)
DEFAULT_CAPS = CLI_CAPS


def size_text(size: int) -> str:
    """10485760 -> '10 MB', 65536 -> '64 kB'."""
    if size >= MB:
        return f"{dutch_number(round(size / MB, 1))} MB"
    return f"{dutch_number(round(size / KB))} kB"


def too_large_message(limit: int) -> str:
    return _("Het verzoek of bestand is te groot: het maximum is %(size)s.",
             size=size_text(limit))


# --------------------------------------------------------------------------- the web edge


def body_limit_here() -> int:
    """What the body of the current request may weigh (its endpoint's line in BODY_BYTES)."""
    from flask import has_request_context, request

    if not has_request_context():
        return MAX_CONTENT_LENGTH
    return BODY_BYTES.get(request.endpoint or "", FORM_BODY_BYTES)


def row_id(text: object) -> int | None:
    """A database id from a query string or form value, or None: '²', '-1' and twenty
    digits are not found rather than a ValueError or an integer overflow in the database."""
    value = str(text or "")
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ROW_ID else None


def _bounded_int_converter():
    from werkzeug.routing import IntegerConverter

    class RowIdConverter(IntegerConverter):
        """<int:...> in a URL: an id beyond an integer column does not match (404)."""

        def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ROW_ID,
                     signed=False) -> None:
            super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max,
                             signed=signed)

    return RowIdConverter


def init_limits(app) -> None:
    """MAX_CONTENT_LENGTH for every request, and each endpoint's own smaller limit.

    Called before the blueprints are registered: their <int:...> rules use the bounded
    converter.

    The per-endpoint limit is set on the request before the view reads the body, so
    werkzeug refuses a too-large body with 413 instead of reading 20 MB into memory.
    """
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_CONTENT_LENGTH)
    app.config.setdefault("MAX_FORM_MEMORY_SIZE", FORM_BODY_BYTES)
    app.config.setdefault("MAX_FORM_PARTS", 2000)
    app.url_map.converters["int"] = _bounded_int_converter()

    @app.before_request
    def _limit_body() -> None:
        from flask import abort, request

        limit = min(body_limit_here(), app.config["MAX_CONTENT_LENGTH"])
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            abort(413)

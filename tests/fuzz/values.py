"""Hypothesis strategies for what a hostile but ordinary user types into a form.

Each field gets a plausible value about half of the time (so valid submissions reach the code
behind validation and store something), otherwise something nasty for its kind: empty, very
long, NUL and right-to-left marks, huge and negative numbers, NaN, impossible dates, a wrong
type for a select or checkbox, or a crafted file. Fields are also left out or sent twice.
"""

from __future__ import annotations

import io
from functools import cache

from hypothesis import strategies as st

from tests.fuzz import crafted
from tests.fuzz.html import Field, Form

NASTY_TEXT = ["", " ", "\x00", "a\x00b", "\u202egnirts\u202c", "\u200f\u200e\u061c", "💥" * 20,
              "<script>alert(1)</script>", "' OR 1=1 --", "%s%n%x", "{{ 7*7 }}", "\r\n\r\n",
              "a" * 300, "b" * 25_000, "ǅ" * 2000, "-1", "0", "NaN", "1e-400", "9" * 30,
              "Infinity", "[]", "{}", "null", "true", "../../etc/passwd", "\ud7ff\ufffe"]
NASTY_NUMBER = ["", "0", "-1", "-0", "1", "5", "25", "60", "61", "NaN", "nan", "sNaN",
                "Infinity", "-inf", "1e-400", "1e400", "9" * 20, "9" * 26,
                "99999999999999999999999999", "-99999999999", "1,5", "1.5", "1.250,50",
                "0x10", "١٢", "²", "abc", " 7 ", "7\x00", "1" * 5000]
NASTY_DATE = ["", "2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "9999-12-31",
              "31-12-2026", "2026-1-1", "gisteren", "2027-07-14T25:61", "2027-07-14T10:00",
              "2027-07-14", "14-07-2027", "1e10", "\x00", "2027-07-14, 15-07-2027"]
PLAUSIBLE_TEXT = ["Groep 5A", "Zomerschool theater", "Theater maken met de hele klas",
                  "Amsterdam", "ouder@example.nl", "https://example.org", "Een toelichting.",
                  "14-07-2027", "LC-0001"]
FILENAMES = ["aanbod.json", "aanbod.csv", "aanbod.xlsx", "aanbod.exe", "", "aanbod",
             "../../etc/passwd.csv", "a" * 300 + ".json", "AANBOD.CSV", "aanbod.json.csv"]


@cache
def crafted_files() -> tuple[bytes, ...]:
    """The small crafted files (built once; the large ones belong to the upload suite)."""
    return (crafted.csv_range(), crafted.csv_eight_problems(), crafted.json_deep(),
            crafted.json_nested_objects(), crafted.json_many_grades(20_000),
            crafted.xlsx_range(), crafted.xlsx_huge_shared_string(), crafted.xlsx_not_a_zip(),
            crafted.json_offers(3), crafted.xlsx_valid(), b"", b"\xef\xbb\xbf", b"{}")


def files() -> st.SearchStrategy:
    content = st.one_of(st.sampled_from(crafted_files()), st.binary(max_size=3000))
    return st.builds(lambda data, name: (io.BytesIO(data), name), content,
                     st.sampled_from(FILENAMES))


def _nasty(kind: str) -> st.SearchStrategy[str]:
    if kind in ("number", "range"):
        pool = NASTY_NUMBER
    elif kind in ("date", "datetime-local", "month", "time"):
        pool = NASTY_DATE
    else:
        pool = NASTY_TEXT
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool),
                     st.sampled_from(NASTY_TEXT + NASTY_NUMBER + NASTY_DATE),
                     st.text(max_size=30))


def _plausible(found: Field) -> st.SearchStrategy[str]:
    if found.options:
        return st.sampled_from(found.options)
    if found.kind in ("number", "range"):
        return st.sampled_from(["1", "5", "25", "60", "1250", "12,50"])
    if found.kind == "date":
        return st.sampled_from(["2027-07-14", "2026-12-24", "2020-01-01"])
    if found.kind == "datetime-local":
        return st.sampled_from(["2027-07-14T10:00", "2027-09-01T09:30"])
    if found.kind == "hidden":
        return st.just(found.value)
    if found.kind == "email":
        return st.just("fuzz@example.nl")
    return st.one_of(st.just(found.value), st.sampled_from(PLAUSIBLE_TEXT)) if found.value \
        else st.sampled_from(PLAUSIBLE_TEXT)


def value_for(found: Field) -> st.SearchStrategy:
    if found.kind == "file":
        return st.one_of(files(), files(), st.sampled_from(["geen bestand", ""]))
    return st.one_of(_plausible(found), _nasty(found.kind))


@st.composite
def submission(draw, form: Form) -> list[tuple[str, object]]:
    """(name, value) pairs as a browser would send them, give or take a field."""
    pairs: list[tuple[str, object]] = []
    for found in form.fields.values():
        mode = draw(st.sampled_from(("one", "one", "one", "one", "missing", "twice")))
        if mode == "missing":
            continue
        count = 2 if mode == "twice" else 1
        if found.multiple and found.options:  # a group of checkboxes: several ticked
            count = draw(st.integers(0, min(len(found.options) + 1, 4)))
        pairs += [(found.name, draw(value_for(found))) for _ in range(count)]
    if form.buttons:
        name, value = draw(st.sampled_from(form.buttons))
        pairs.append((name, draw(st.one_of(st.just(value), _nasty("text")))))
    if draw(st.integers(0, 9)) == 0:  # a field the form does not have
        pairs.append((draw(st.sampled_from(["id", "role", "organisation_id", "status", "to",
                                            "activity_ids", "x" * 200])),
                      draw(_nasty("number"))))
    return pairs

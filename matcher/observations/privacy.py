"""Checks on free text before it is stored: no contact details or birth dates, no names.

Refused outright: e-mail addresses, phone numbers and full dates (a date of birth looks like any
other date). Words that look like a first name only raise a warning, because a heuristic cannot
tell "Sanne" from "Samenwerken" with certainty; the observer confirms and may go on.
"""

from __future__ import annotations

import re
from functools import cache

from matcher.reference.dimensions import load_dimensions

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Nine or more digits, optionally after + or 00, with single spaces, hyphens or dots between:
# Dutch numbers are ten digits (06-12345678, 020 123 4567, +31 6 1234 5678).
PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[ .-]?\(?\d\)?){8,13}(?![\w])")
MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          "december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
DATES = (
    re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)"),
    re.compile(r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"),
    re.compile(rf"(?<!\d)\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{2,4}}(?!\d)", re.IGNORECASE),
)



def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A short list of common first names in Dutch classrooms, caught even at the start of a sentence.
COMMON_FIRST_NAMES = _word_set("""
adam amir anna ayoub bram daan emma eva fatima finn gijs hamza ibrahim isa jade jasmijn jesse
julia lars levi lieke lina liam lisa lotte luca lucas luuk maud mila milan mohamed mohammed
nina noah noor nora olivia rayan roos ruben saar sam sanne sara sarah sem sofie sophie tess
teun thijs tim vera yara yusuf zoë zoe
""")

# Capitalised words that are not names: days, months, languages and words used in the scan.
ORDINARY_CAPITALISED = _word_set("""
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni
juli augustus september oktober november december nederlands engels fries arabisch turks
pools duits frans spaans nederland kerst kerstmis pasen sinterklaas ramadan suikerfeest
ik de het een en in op bij met voor na tijdens
""")

WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]*")
SENTENCE_END = re.compile(r"[.!?:;\n]")


@cache
def _ordinary_words() -> frozenset[str]:
    dimension_words = {word.lower() for dimension in load_dimensions().dimensions
                       for word in WORD.findall(dimension.name)}
    return ORDINARY_CAPITALISED | dimension_words


def forbidden_content(text: str | None) -> list[str]:
    """Dutch reasons why this text may not be stored; empty when it may."""
    if not text:
        return []
    problems = []
    if EMAIL.search(text):
        problems.append("Vermeld geen e-mailadressen.")
    if PHONE.search(text):
        problems.append("Vermeld geen telefoonnummers.")
    if any(pattern.search(text) for pattern in DATES):
        problems.append("Vermeld geen geboortedata of andere volledige datums.")
    return problems


def name_like_words(text: str | None) -> list[str]:
    """Words in the text that may be a person's name, in order of appearance, without repeats."""
    if not text:
        return []
    found: list[str] = []
    sentence_start = True
    position = 0
    for match in WORD.finditer(text):
        between = text[position:match.start()]
        if position == 0 or SENTENCE_END.search(between):
            sentence_start = True
        position = match.end()
        word = match.group()
        lower = word.lower()
        capitalised = word[0].isupper() and not word.isupper()
        suspicious = capitalised and (lower in COMMON_FIRST_NAMES or (
            not sentence_start and lower not in _ordinary_words()))
        if suspicious and word not in found:
            found.append(word)
        sentence_start = False
    return found

"""Pure parts: text checks, the scan and its charts, exports, retention dates, encryption."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet

from matcher.config import ConfigError, parse_pupil_data_keys, read_environment
from matcher.observations import export
from matcher.observations.models import ObservationSource
from matcher.observations.privacy import forbidden_content, name_like_words
from matcher.observations.queries import ObservationRead, PupilNoteRead, ScoreRead
from matcher.observations.redaction import RedactInvitationTokens
from matcher.observations.scan import ScorePoint, activity_request_url, build_scan
from matcher.observations.services import retention_ends, school_year_end
from matcher.reference.dimensions import load_dimensions

EXTERNAL, OWN = ObservationSource.EXTERNAL, ObservationSource.OWN


@pytest.mark.parametrize("text", [
    "Mail de moeder via ouder@example.nl", "Bel 06-12345678 als er iets is",
    "Telefoon +31 6 1234 5678", "vader: 020 123 4567", "Geboren op 12-03-2015",
    "jarig 3 maart 2016", "geboortedatum 2015-03-12",
])
def test_contact_details_and_dates_are_refused(text):
    assert forbidden_content(text)


@pytest.mark.parametrize("text", [
    "De groep werkte in 2026-2027 goed samen; 12 van de 25 leerlingen durfden te spelen.",
    "Op dinsdag was de helft erg onrustig. Welbevinden was hoog.", "", None,
])
def test_ordinary_observation_text_passes(text):
    assert forbidden_content(text) == []
    assert name_like_words(text) == []


def test_words_that_look_like_names_are_reported():
    text = "Sanne deed goed mee. Daarna hielp ze Pieter met zijn tekst."
    assert name_like_words(text) == ["Sanne", "Pieter"]


def test_a_capitalised_word_at_the_start_of_a_sentence_is_not_a_name():
    assert name_like_words("Samenwerken ging goed. Daarna speelden ze.") == []


def test_the_scan_draws_both_sources_on_one_time_axis_and_flags_low_dimensions():
    dimensions = load_dimensions().dimensions
    points = []
    for key in load_dimensions().keys:
        points.append(ScorePoint(key, date(2026, 9, 1), EXTERNAL, 4))
        points.append(ScorePoint(key, date(2026, 11, 1), EXTERNAL, 4))
        points.append(ScorePoint(key, date(2026, 10, 1), OWN, 4))
    points = [p for p in points if p.dimension != "samenwerken"]
    points += [ScorePoint("samenwerken", date(2026, 9, 1), EXTERNAL, 3),
               ScorePoint("samenwerken", date(2026, 11, 1), EXTERNAL, 2),
               ScorePoint("samenwerken", date(2026, 10, 1), OWN, 2)]
    scan = build_scan(dimensions, points)
    assert [c.dimension.key for c in scan.low] == ["samenwerken"]
    chart = next(c for c in scan.charts if c.dimension.key == "samenwerken")
    external, own = chart.series
    assert external.source == EXTERNAL and len(external.points) == 2
    assert own.source == OWN and len(own.points) == 1
    # Later is further right, a higher score is higher up (smaller y).
    assert external.points[0].x < own.points[0].x < external.points[1].x
    assert external.points[0].y < external.points[1].y
    assert external.path.startswith("M") and " L" in external.path
    assert scan.activity_request_url == "/matchen?competences=samenwerken"


def test_an_empty_scan_has_no_low_dimensions_and_charts_without_data():
    scan = build_scan(load_dimensions().dimensions, [])
    assert scan.low == () and scan.average is None
    assert not any(chart.has_data for chart in scan.charts)


def test_the_activity_request_link_repeats_the_competences_parameter():
    url = activity_request_url(["samenwerken", "omgaan-met-conflict"])
    assert url == "/matchen?competences=samenwerken&competences=omgaan-met-conflict"


def test_retention_counts_from_the_end_of_the_school_year():
    assert school_year_end("2026-2027") == date(2027, 7, 31)
    assert retention_ends("2026-2027", 2) == date(2029, 7, 31)


def _read(general: str = "", remark: str = "", note: str = "") -> ObservationRead:
    observation = SimpleNamespace(id=7, observed_on=date(2026, 10, 1), source=EXTERNAL,
                                  discipline="theatermaker")
    return ObservationRead(observation=observation,
                           scores=(ScoreRead("samenwerken", 2, remark),
                                   ScoreRead("reflecteren", None, "")),
                           general_notes=general,
                           pupil_notes=(PupilNoteRead("K7Q2M", "zelfvertrouwen", 2, note),))


def test_csv_export_has_group_general_and_pupil_rows_and_defuses_formulas():
    text = export.to_csv([_read(general="=HYPERLINK(\"x\")", remark="rustig", note="durft")])
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["soort"] for r in rows] == ["groep", "groep", "algemeen", "leerling"]
    assert rows[0]["schaal"] == "enkelen" and rows[1]["schaal"] == "niet gezien"
    assert rows[2]["toelichting"].startswith("'=")
    assert rows[3]["leerlingcode"] == "K7Q2M" and rows[3]["schaal"] == "zelden"


def test_pupil_data_keys_are_a_list_of_fernet_keys():
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert parse_pupil_data_keys(f"{first}, {second}") == [first, second]
    with pytest.raises(ConfigError):
        parse_pupil_data_keys("geen-sleutel")


def test_production_refuses_to_start_without_a_pupil_data_key():
    env = {"MATCHER_ENV": "production", "SECRET_KEY": "x" * 48,
           "DATABASE_URL": "postgresql://x@y/z", "MATCHER_PASSWORD_PEPPER": "p" * 40}
    with pytest.raises(ConfigError, match="MATCHER_PUPIL_DATA_KEY"):
        read_environment(env)
    key = Fernet.generate_key().decode()
    assert read_environment({**env, "MATCHER_PUPIL_DATA_KEY": key}).pupil_data_key == key


def test_development_generates_a_local_pupil_data_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHER_INSTANCE_DIR", str(tmp_path))
    first = read_environment({"MATCHER_ENV": "development"}).pupil_data_key
    assert parse_pupil_data_keys(first) == [first]
    assert (tmp_path / "pupil_data_key").stat().st_mode & 0o077 == 0
    assert read_environment({"MATCHER_ENV": "development"}).pupil_data_key == first


def test_the_request_log_hides_invitation_tokens():
    token = "hI02IvkKfgDgzJHD7DwW7PoiqiXmVfeEQmqYpYyB3kY"
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s',
                               ("127.0.0.1", f"GET /observatie/{token} HTTP/1.1", "302"), None)
    assert RedactInvitationTokens().filter(record)
    assert token not in record.getMessage()
    assert "/observatie/[verborgen]" in record.getMessage()
    kept = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "GET /observatie/invullen",
                             (), None)
    RedactInvitationTokens().filter(kept)
    assert kept.getMessage() == "GET /observatie/invullen"

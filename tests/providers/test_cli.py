"""`cultuurmatch import` and `cultuurmatch export`: round trip, errors, review flag."""

from __future__ import annotations

import json

from sqlalchemy import select

from matcher.db import db
from providers import spreadsheet
from providers.cli import export_command, import_command
from providers.models import Activity, ActivityStatus, Provider
from tests.providers.test_importer import SAMPLE


def normalised(document: dict) -> dict:
    return {"format": document["format"],
            "providers": sorted(document["providers"], key=lambda p: p["id"]),
            "activities": sorted(document["activities"], key=lambda a: a["id"])}


def test_import_export_round_trip(app, tmp_path):
    runner = app.test_cli_runner()
    source = tmp_path / "offers.json"
    source.write_text(json.dumps(SAMPLE), encoding="utf-8")
    result = runner.invoke(import_command, [str(source)])
    assert result.exit_code == 0, result.output
    assert f"{len(SAMPLE['activities'])} nieuw" in result.output
    assert {a.status for a in db.session.scalars(select(Activity))} == {ActivityStatus.APPROVED}
    assert all(p.approved for p in db.session.scalars(select(Provider)))

    exported = tmp_path / "export.json"
    result = runner.invoke(export_command, [str(exported)])
    assert result.exit_code == 0, result.output
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert normalised(document) == normalised(SAMPLE)

    result = runner.invoke(import_command, [str(exported)])
    assert result.exit_code == 0, result.output
    assert f"0 nieuw, 0 gewijzigd, {len(SAMPLE['activities'])} ongewijzigd" in result.output


def test_export_of_one_provider(app, tmp_path):
    runner = app.test_cli_runner()
    source = tmp_path / "offers.json"
    source.write_text(json.dumps(SAMPLE), encoding="utf-8")
    runner.invoke(import_command, [str(source)])
    target = tmp_path / "een.json"
    result = runner.invoke(export_command, [str(target), "--aanbieder", "sanne-dans"])
    assert result.exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert {a["provider"] for a in document["activities"]} == {"sanne-dans"}
    result = runner.invoke(export_command, [str(target), "--aanbieder", "bestaat-niet"])
    assert result.exit_code == 1


def test_invalid_file_prints_paths_and_exits_1(app, tmp_path):
    broken = json.loads(json.dumps(SAMPLE))
    broken["activities"][-1]["price"]["per"] = "uur"
    broken["activities"][0]["audience"][0]["grades"] = [9]
    source = tmp_path / "kapot.json"
    source.write_text(json.dumps(broken), encoding="utf-8")
    result = app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 1
    last = len(broken["activities"]) - 1
    assert f"$.activities[{last}].price.per" in result.output
    assert "$.activities[0].audience[0].grades[0]" in result.output
    assert db.session.scalar(select(Activity)) is None


def test_invalid_json_text(app, tmp_path):
    source = tmp_path / "kapot.json"
    source.write_text('{"format": ', encoding="utf-8")
    result = app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 1
    assert "Geen geldige JSON" in result.output


def test_for_review_leaves_activities_submitted(app, tmp_path):
    source = tmp_path / "offers.json"
    source.write_text(json.dumps(SAMPLE), encoding="utf-8")
    result = app.test_cli_runner().invoke(import_command, [str(source), "--ter-beoordeling"])
    assert result.exit_code == 0, result.output
    assert {a.status for a in db.session.scalars(select(Activity))} == \
        {ActivityStatus.SUBMITTED}


def test_spreadsheet_import_from_the_command_line(app, tmp_path):
    source = tmp_path / "sjabloon.xlsx"
    source.write_bytes(spreadsheet.template_xlsx())
    result = app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Activity.key)) == "hofplein-zomertheater"


def with_participants() -> dict:
    """The sample offers with participants given on two activities (exchange 1.1)."""
    document = json.loads(json.dumps(SAMPLE))
    document["activities"][0]["participants"] = "team"
    document["activities"][1]["participants"] = "leerlingen-en-ouders"
    return document


def test_round_trip_with_participants_given_on_some_activities(app, tmp_path):
    runner = app.test_cli_runner()
    document = with_participants()
    source = tmp_path / "offers.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert runner.invoke(import_command, [str(source)]).exit_code == 0
    rows = {a.key: a for a in db.session.scalars(select(Activity))}
    first, second = (rows[a["id"]] for a in document["activities"][:2])
    assert (first.participants, first.participants_source.value) == ("team", "aanbieder")
    assert second.participants == "leerlingen-en-ouders"
    others = [rows[a["id"]] for a in document["activities"][2:]]
    assert all(a.participants is None and a.participants_source is None for a in others)
    assert all(a.participants_read for a in rows.values())

    exported = tmp_path / "export.json"
    assert runner.invoke(export_command, [str(exported)]).exit_code == 0
    again = json.loads(exported.read_text(encoding="utf-8"))
    assert normalised(again) == normalised(document)
    result = runner.invoke(import_command, [str(exported)])
    assert f"0 nieuw, 0 gewijzigd, {len(SAMPLE['activities'])} ongewijzigd" in result.output

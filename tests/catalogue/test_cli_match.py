"""`cultuurmatch match FILE --limit N --json` (spec section 4)."""

from __future__ import annotations

import json

from matcher.cli import main
from tests.catalogue.conftest import SAMPLES


def test_match_prints_the_spec_json(app, sample_offers):
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["match", str(SAMPLES / "requests" / "s01.json"), "--limit",
                                  "3", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["request"] == "s01"
    assert 1 <= len(body["matches"]) <= 3
    assert body["matches"][0]["activity"] == "ij-vakantietheater"


def test_match_prints_readable_dutch_without_json(app, sample_offers):
    result = app.test_cli_runner().invoke(main, ["match", str(SAMPLES / "requests" / "s01.json")])
    assert result.exit_code == 0
    assert "1. ij-vakantietheater" in result.output and "kosten" in result.output


def test_invalid_request_file_exits_1_with_paths(app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "cultuurmatch-exchange/1",
                               "request": {"id": "x", "pupils": "veel"}}))
    result = app.test_cli_runner().invoke(main, ["match", str(bad), "--json"])
    assert result.exit_code == 1
    assert "$.request.pupils" in result.output and "$.request.school" in result.output

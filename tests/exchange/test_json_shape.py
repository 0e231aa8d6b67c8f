"""The scan before json.loads: depth and rows, in one linear pass, on any text."""

from __future__ import annotations

import time

import pytest

from matcher.exchange import ExchangeError, load_json_text
from matcher.exchange.errors import json_shape


@pytest.mark.parametrize(("text", "shape"), [
    ('{"a": [1, {"b": "[[[[\\" ]]"}]}', (3, 1)),
    ('{"a": "b\\\\", "c": [[[]]]}', (4, 0)),
    ('{"activities": [{}, {}, {"x": [{}]}]}', (5, 3)),
    ("[" * 100, (33, 0)),  # counting stops past the limit
])
def test_the_shape_of_a_text(text, shape):
    assert json_shape(text) == shape


@pytest.mark.parametrize("text", [
    '"' + 'x\\"' * 1_000_000,  # one string that never closes, a million escaped quotes
    'x\\"' * 1_000_000 + "\\",
    '"' * 2_000_000,
    '{"a": "' + "x" * 5_000_000 + '"}',
], ids=["unclosed", "escapes", "quotes", "long-string"])
def test_hostile_texts_are_scanned_in_linear_time(text):
    started = time.perf_counter()
    json_shape(text)
    assert time.perf_counter() - started < 5


def test_rows_are_counted_before_parsing():
    with pytest.raises(ExchangeError) as refused:
        load_json_text('{"activities": [' + ",".join(["{}"] * 11) + "]}", max_rows=10)
    assert "het maximum is 10" in refused.value.errors[0].message

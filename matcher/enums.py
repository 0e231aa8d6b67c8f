"""Closed lists stored by their value and shown with a translated Dutch label."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A status or kind: the value goes into the database, the label to the screen.

    Members are written `NAME = "value", _l("Label")`, so value and label stay side by side
    and every label passes the translation layer.
    """

    def __new__(cls, value: str, label: object = None) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = value if label is None else label
        return member

    @property
    def label(self) -> str:
        return str(self._label)

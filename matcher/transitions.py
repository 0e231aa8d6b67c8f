"""Status changes only through a model's transition function; log lines never change.

A booking, a request and an observation invitation each have one function that changes their
status (schools.services.change_booking_status and change_request_status,
observations.services.change_invitation_status): it knows the states a status may come from,
and everything else raises TransitionRefused, which the app answers with 409 and its Dutch
message (matcher.errors), never a 500.

Two guards make "only" true rather than a convention:
- `guard_status`: setting the status attribute outside its transition function raises at once
  (the object keeps its old status);
- `append_only`: a history or audit row (booking events, request events, the observation audit
  log) that is updated or deleted through the ORM raises at flush.
tests/test_transitions.py also reads the source: no other code assigns a status.

Ground floor: SQLAlchemy only, no web framework.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.orm import object_session
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE


class TransitionRefused(Exception):
    """A status change that is not one of the model's transitions (or a log line changed).

    The message is Dutch and shown to the user; the app answers 409 (Conflict).
    """


# (id of the object, status it is moving to) while its transition function sets it.
_moving: ContextVar[tuple[int, object] | None] = ContextVar("status_transition", default=None)


@contextmanager
def transition(target: object, to: object) -> Iterator[None]:
    """Inside its transition function: `target.status = to` is allowed in this block."""
    token = _moving.set((id(target), to))
    try:
        yield
    finally:
        _moving.reset(token)


def guard_status(attribute, what: str) -> None:
    """Refuse any change of `attribute` (a mapped status column) outside `transition()`.

    `what` names the model in Dutch ("een boeking"). Creating an object with its first status
    is no transition and is not checked.
    """

    # active_history: the old value is loaded when it has expired (after a commit), so a change
    # is seen as a change.
    @event.listens_for(attribute, "set", active_history=True)
    def _only_through_its_transition(target, value, oldvalue, initiator):
        if oldvalue in (NO_VALUE, NEVER_SET, None) or value == oldvalue:
            return
        if _moving.get() != (id(target), value):
            raise TransitionRefused(
                f"De status van {what} verandert alleen via een toegestane stap, niet van "
                f"'{_label(oldvalue)}' naar '{_label(value)}' buiten die stap om."
            )


def append_only(model, what: str) -> None:
    """Rows of `model` are written once: an update or delete through the ORM raises."""

    def refuse(mapper, connection, target) -> None:
        raise TransitionRefused(f"Een regel in {what} wordt nooit gewijzigd of verwijderd.")

    @event.listens_for(model, "before_update")
    def _never_updated(mapper, connection, target) -> None:
        session = object_session(target)
        if session is None or session.is_modified(target, include_collections=False):
            refuse(mapper, connection, target)

    event.listen(model, "before_delete", refuse)


def _label(value: object) -> str:
    return str(getattr(value, "label", value))

"""Health endpoints and the process's life cycle: alive, ready, draining.

- GET /healthz: the process answers (no database, no index): 200.
- GET /readyz: 200 when the match index is warm and the database answers; 503 (with
  Retry-After) while the index is still being built, when the database is unreachable, and
  while the process drains before it stops. A load balancer sends traffic only to ready
  instances, so a starting or stopping instance gets none.

`InFlight` counts the requests in progress; `cultuurmatch serve` (matcher/cli.py) stops on
SIGTERM by refusing readiness, closing its listening socket and waiting until the requests in
progress are done (at most SHUTDOWN_GRACE_SECONDS).
"""

from __future__ import annotations

import contextlib
import threading

from flask import Blueprint, Flask, current_app, jsonify

from matcher import matching
from matcher.accounts.access import public
from matcher.extensions import limiter

bp = Blueprint("health", __name__)


class InFlight:
    """The number of requests in progress; `wait_idle` returns once none is (or on timeout)."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self.draining = False

    @property
    def count(self) -> int:
        return self._count

    def enter(self) -> None:
        with self._lock:
            self._count += 1
            self._idle.clear()

    def leave(self) -> None:
        with self._lock:
            self._count = max(0, self._count - 1)
            if not self._count:
                self._idle.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)


def init_health(app: Flask) -> None:
    in_flight = app.extensions["in_flight"] = InFlight()

    @app.before_request
    def _count_in() -> None:
        from flask import g

        g._in_flight = True
        in_flight.enter()

    @app.teardown_request
    def _count_out(_error=None) -> None:
        from flask import g

        if g.pop("_in_flight", False):
            in_flight.leave()

    @app.after_request
    def _close_when_draining(response):
        if in_flight.draining:
            response.headers["Connection"] = "close"  # no new request on this connection
        return response

    app.register_blueprint(bp)


def _in_flight() -> InFlight:
    return current_app.extensions["in_flight"]


@bp.route("/healthz")
@public
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
@public
@limiter.exempt
def readyz():
    cache = current_app.extensions["catalogue_cache"]
    checks = {"draining": _in_flight().draining}
    checks["database"] = matching.database_reachable()
    if not cache.ready and checks["database"]:
        try:
            # Starts the build in the background (answers at once); a process without the
            # background refresher (tests, commands) builds here.
            cache.snapshot()
        except matching.CatalogueNotReady:
            pass
        except Exception:  # the database went away meanwhile: not ready, say so
            current_app.logger.exception("Building the match index failed")
    checks["index"] = cache.ready
    ready = checks["database"] and checks["index"] and not checks["draining"]
    live = cache._live
    body = {
        "status": "ready" if ready else "not-ready",
        **checks,
        "activities": len(live.catalogue) if live is not None else None,
    }
    response = jsonify(body)
    if not ready:
        response.status_code = 503
        response.headers["Retry-After"] = str(matching.RETRY_AFTER_SECONDS)
    return response


class GracefulStop:
    """Stop a waitress server without cutting off a request: on SIGTERM (or SIGINT) refuse
    readiness, close the listening socket (new connections are refused, so the load balancer
    moves on), let the requests in progress finish, then end the server's loop.

    `interrupt` ends the loop; by default a SIGINT to this process, which waitress's `run`
    turns into a clean shutdown of its worker threads.
    """

    def __init__(self, app: Flask, server, grace_seconds: float, interrupt=None) -> None:
        self.app, self.server, self.grace_seconds = app, server, grace_seconds
        self.in_flight: InFlight = app.extensions["in_flight"]
        self.interrupt = interrupt or _interrupt_self
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, signum=None, frame=None) -> None:
        """The signal handler: runs in the server's loop thread, so it must not wait."""
        if self.stopping.is_set():
            self.interrupt()  # a second signal: stop now
            return
        self.stopping.set()
        self.in_flight.draining = True
        self.app.logger.warning(
            "Stopping: finishing %d request(s) in progress", self.in_flight.count
        )
        self._close_listener()
        self.thread = threading.Thread(target=self._finish, name="graceful-stop", daemon=True)
        self.thread.start()

    def _close_listener(self) -> None:
        from waitress import wasyncore

        # Not server.close(): that closes the trigger too, which the workers use to hand
        # their answers to the loop.
        with contextlib.suppress(OSError):
            wasyncore.dispatcher.close(self.server)

    def _finish(self) -> None:
        finished = self.in_flight.wait_idle(self.grace_seconds)
        if not finished:
            self.app.logger.warning(
                "Stopping with %d request(s) unfinished after %.0f s",
                self.in_flight.count,
                self.grace_seconds,
            )
        # The answers are written by the loop: give it a moment to send what is buffered.
        channels = getattr(self.server, "_map", {})
        for _ in range(50):
            if not any(getattr(ch, "total_outbufs_len", 0) for ch in list(channels.values())):
                break
            threading.Event().wait(0.05)
        self.interrupt()


def _interrupt_self() -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGINT)

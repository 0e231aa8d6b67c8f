"""`cultuurmatch serve` for real: ready once the index is warm, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

# The command as installed runs matcher.cli's main; through -m it needs no script on PATH.
COMMAND = [sys.executable, "-m", "matcher.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_becomes_ready_and_stops_cleanly_on_sigterm(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "MATCHER_INSTANCE_DIR": str(tmp_path),
        "MATCHER_ENV": "development",
        "MATCHER_SHUTDOWN_GRACE_SECONDS": "10",
    }
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*COMMAND, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The server says when it listens; then poll readiness (the build is in the background).
        for line in process.stdout:
            if "draait op" in line:
                break
        status = None
        for _ in range(600):
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
            except (urllib.error.URLError, ConnectionError):
                status = None
            if status == 200:
                break
            assert status in (None, 503)
            try:
                process.wait(timeout=0.1)  # the poll interval; it must not end meanwhile
                pytest.fail(f"serve ended: {process.stdout.read()}")
            except subprocess.TimeoutExpired:
                pass
        assert status == 200 and body["index"] is True
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        assert "gestopt" in output
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            _get(f"http://127.0.0.1:{port}/healthz")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

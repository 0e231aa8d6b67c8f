"""Keep invitation tokens out of access logs: the link is a bearer secret until it is used.

The development server (werkzeug) logs every request line; a filter on its logger replaces the
token in /observatie/<token> before the line is written. Production (waitress) logs no requests.
"""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"/observatie/(?!invullen\b|ontvangen\b)[A-Za-z0-9_-]{8,}")
REDACTED = "/observatie/[verborgen]"


class RedactInvitationTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_PATH.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install_log_redaction() -> None:
    """Add the filter to werkzeug's request log once per process."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactInvitationTokens) for f in logger.filters):
        logger.addFilter(RedactInvitationTokens())

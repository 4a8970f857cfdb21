"""Credentials never leave the process: every log line and error text passes here.

The secrets are read from the environment at call time through
``urated.settings.secret_values()``, so a credential exported after import is
still hidden. Percent-encoded and Base64 (HTTP Basic) forms are hidden too,
because that is how they appear in URLs and Authorization headers.
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import quote, quote_plus

from urated.settings import secret_values

MASK = "***"


def _forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    forms.add(base64.b64encode(secret.encode()).decode())
    return {f for f in forms if len(f) >= 4}


def redact(text: object) -> str:
    """``text`` as a string with every known secret (and its encodings) masked."""
    out = str(text)
    for secret in secret_values():
        for form in sorted(_forms(secret), key=len, reverse=True):
            out = out.replace(form, MASK)
    return out


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's final message (arguments included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install_log_redaction(*logger_names: str) -> None:
    """Attach the filter to loggers that may print URLs or headers (httpx logs every URL)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())

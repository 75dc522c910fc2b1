"""Secrets out of text: Slack tokens by their shape, and any configured secret by its value.

Used by the log filter and by the Heatpunk client, whose error text can echo the API key back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Slack tokens: bot, user, app-level, refresh and rotated ("xoxe.xoxp-…") ones.
TOKEN = re.compile(r"\b(xox[abeprs](?:\.xox[abp])?|xapp)-[A-Za-z0-9-]+")
REDACTED = "[redacted]"
# Shorter configured values aren't redacted: they would blank out parts of ordinary words in every line,
# and no real token, signing secret or API key is that short.
MIN_SECRET_LENGTH = 6


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without Slack tokens (the prefix stays, to tell which kind leaked) or any of `secrets`."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return TOKEN.sub(lambda match: f"{match.group(1)}-{REDACTED}", text)

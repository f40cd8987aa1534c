"""Log lines name no person: an e-mail address becomes a pseudonym, the same one for the same
address in every process with the same key, so lines about one person can still be followed
without the address (the dataskyddsombud's rule: no personal data in logs)."""

from __future__ import annotations

import hashlib
import hmac
import re

# An address as people and mail servers write it; broad (a log is no parser), but without the
# "=" and "/" a log's key=value pairs and paths put right before an address.
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


def pseudonym(email: str, key: str = "") -> str:
    """The log's name for an address: "person-" and eight hex digits of its keyed hash."""
    digest = hmac.new(key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:8]}"


def redact(text: str, key: str = "") -> str:
    """The text with every e-mail address in it replaced by its pseudonym."""
    return EMAIL.sub(lambda m: pseudonym(m.group(0), key), text)

"""A confirmation carried across a redirect (post, redirect, get): the sentence a workflow answered
is signed into the address, so a reload or the back button never sends the action again and no
one can make the page say a sentence the app did not write."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

# A confirmation belongs to the moment after the action; a bookmarked address shows none later.
MAX_AGE_S = 600
QUERY = "klart"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="notice")


def signed(secret_key: str, sentence: str) -> str:
    """The value of the redirect's `klart` parameter that carries sentence."""
    return _serializer(secret_key).dumps(sentence)


def read(secret_key: str, token: str | None) -> str | None:
    """The sentence a `klart` value carries, or None if it is absent, forged or stale."""
    if not token:
        return None
    try:
        sentence = _serializer(secret_key).loads(token, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    return sentence if isinstance(sentence, str) else None

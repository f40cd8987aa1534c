"""The configuration as text: the YAML a version is exported as, and the digest that tells two
configurations apart whatever their layout or comments."""

from __future__ import annotations

import hashlib
import json

import yaml

from arshjul.calendar.config import ArshjulConfig

HEADER = (
    "# Årshjul för {name}, exporterat ur arshjul (version {version}).\n"
    "# Läs in ändringar med: arshjul config import FIL\n"
)


def config_yaml(config: ArshjulConfig, version: int | None = None) -> str:
    """Renders a configuration as YAML that the loader reads back to the same configuration.

    Defaults are left out, so the file holds what the municipality chose, in the schema's order.
    """
    document = config.model_dump(mode="json", exclude_defaults=True)
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    label = "ny" if version is None else str(version)
    return HEADER.format(name=config.organisation.name, version=label) + body


def config_digest(config: ArshjulConfig) -> str:
    """Returns a SHA-256 of the configuration's content (layout, comments and order of keys
    within a mapping make no difference; order within a list does)."""
    document = config.model_dump(mode="json")
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()

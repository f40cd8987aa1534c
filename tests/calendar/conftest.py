"""Fixtures of the calendar tests: the shipped examples and a small configuration to bend."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config

EXAMPLES = Path(__file__).parents[2] / "arshjul" / "calendar" / "examples"
HEDEMORA = EXAMPLES / "hedemora.yaml"
TERTIAL = EXAMPLES / "tertial.yaml"

SMALL: dict[str, Any] = {
    "organisation": {"id": "liten", "name": "Lilla kommunen"},
    "units": [
        {
            "id": "sof",
            "name": "Socialförvaltningen",
            "chef": {"name": "Maria Holm", "email": "maria@example.org"},
        },
        {
            "id": "bun",
            "name": "Barn och utbildning",
            "chef": {"name": "Per Sand", "email": "per@example.org"},
        },
    ],
    "roles": [
        {
            "id": "ekonomichef",
            "title": "Ekonomichef",
            "people": [{"name": "Eva Ek", "email": "eva@example.org"}],
        }
    ],
    "committees": [
        {"id": "ksau", "name": "KSAU", "refers_to": "ks", "meetings": ["2026-03-17"]},
        {"id": "ks", "name": "KS", "meetings": []},
    ],
    "reports": [
        {
            "id": "manad",
            "title": "Månadsrapport",
            "sections": ["economic"],
            "submitters": {"units": "all"},
            "period_months": [2],
            "opens": {"working_days_after_period_end": 3},
            "due": {"working_days_after_period_end": 10},
            "escalation": {"to_roles": ["ekonomichef"]},
            "review": {"committee": "ksau"},
        },
    ],
    "milestones": [
        {"id": "budgetdag", "title": "Budgetdag", "date": {"month": 3, "day": 18}},
    ],
}


@pytest.fixture(scope="session")
def hedemora() -> ArshjulConfig:
    """The shipped default årshjul."""
    return load_config(HEDEMORA)


@pytest.fixture(scope="session")
def tertial() -> ArshjulConfig:
    """The shipped tertial example."""
    return load_config(TERTIAL)


@pytest.fixture
def small() -> dict[str, Any]:
    """A fresh copy of a small valid configuration as plain data, to be bent by a test."""
    return copy.deepcopy(SMALL)


def dump(data: dict[str, Any]) -> str:
    """Returns configuration data as YAML text."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

"""The base of every configuration model, and the check its models share."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for configuration models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def exactly_one(model: BaseModel, names: tuple[str, ...]) -> None:
    """Raises unless exactly one of the fields `names` is given (ways to say the same thing)."""
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)}")

"""Configuration for the municipality's own systems: the ledger's codes and the IdP's roles.

Both sections are optional; a configuration without them runs as before (figures typed by hand,
sign-in by a mailed link).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from arshjul.calendar.strict import Strict

# The pattern of every id in the configuration (units, roles, committees, reports), which the web
# also checks in paths and queries before looking one up.
SLUG = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=64)]
# An ansvar, kostnadsställe or objekt code as the ledger writes it ("1100", "KS-01"); a trailing
# "*" covers every code that starts with the rest ("11*": 1100, 1110, …).
LedgerCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*\*?$", max_length=40)
]
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")


class TableColumns(Strict):
    """The header names of a CSV or XLSX export: which column holds what."""

    code: str = Field(default="ansvar", min_length=1)
    period: str = Field(default="period", min_length=1)
    # The year's budget and the outcome from the start of the year through the period.
    budget: str = Field(default="budget", min_length=1)
    utfall: str = Field(default="utfall", min_length=1)


class LedgerConfig(Strict):
    """How budget and utfall come from the ledger (SIE 4, CSV or XLSX) into the forms."""

    # SIE: the dimension (#DIM) whose objects carry the units' codes; 1 is kostnadsställe/ansvar.
    sie_dimension: int = Field(1, ge=1, le=9999)
    # Result accounts whose sum is a unit's net cost (BAS-K: 3 revenue, 4-7 costs, 8 financial).
    accounts: list[str] = Field(default_factory=lambda: ["3000-8999"], min_length=1)
    columns: TableColumns = Field(default_factory=TableColumns)
    # Amounts in CSV and XLSX exports: kronor ("kr") or thousands ("tkr"). SIE is always kronor.
    table_amounts: Literal["kr", "tkr"] = "kr"
    csv_delimiter: Literal[";", ",", "\t"] = ";"

    @field_validator("accounts")
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        for item in value:
            found = _RANGE.match(item)
            if not found or int(found[1]) > int(found[2]):
                raise ValueError(f"{item!r} is not an account range such as 3000-8999")
        return value

    def account_filter(self) -> Callable[[str], bool]:
        """Returns a test telling whether a ledger account belongs to the net cost."""
        ranges = [tuple(int(x) for x in item.split("-")) for item in self.accounts]

        @functools.lru_cache(maxsize=8192)
        def counts(account: str) -> bool:
            if not account.isdigit():
                return False
            number = int(account[:4].ljust(4, "0"))
            return any(low <= number <= high for low, high in ranges)

        return counts


class RoleGrant(Strict):
    """What one value of the IdP's role claim gives: roles, committees and units of the YAML."""

    roles: list[Slug] = Field(default_factory=list)
    committees: list[Slug] = Field(default_factory=list)
    units: list[Slug] = Field(default_factory=list)


class SignInConfig(Strict):
    """Sign-in through the municipality's OpenID Connect provider, and the mailed-link fallback."""

    # Login links mailed to the addresses in this file; a municipality whose people sign in
    # through its IdP may switch them off (the per-round submission links stay).
    magic_links: bool = True
    # The ID-token claim that lists the person's app roles (Entra ID "roles") or groups ("groups").
    role_claim: str = Field("roles", min_length=1, max_length=100)
    # Claim value (an app role's value or a group's object id) -> what it gives in arshjul.
    grants: dict[str, RoleGrant] = Field(default_factory=dict)


def municipal_issues(
    *,
    units: dict[str, list[str]],
    roles: set[str],
    committees: set[str],
    sign_in: SignInConfig | None,
) -> list[tuple[str, str]]:
    """Lists (path, message) for ledger codes used twice and grants naming unknown ids.

    `units` maps each unit id to its ledger codes, in the file's order.
    """
    issues: list[tuple[str, str]] = []
    owner: dict[str, str] = {}
    for i, (unit_id, codes) in enumerate(units.items()):
        for j, code in enumerate(codes):
            if code in owner:
                issues.append(
                    (
                        f"units[{i}].ledger_codes[{j}]",
                        f"code {code!r} already belongs to unit {owner[code]!r}",
                    )
                )
            owner.setdefault(code, unit_id)
    if sign_in is None:
        return issues
    known = {"roles": roles, "committees": committees, "units": set(units)}
    for value, grant in sign_in.grants.items():
        for kind, wanted in (
            ("roles", grant.roles),
            ("committees", grant.committees),
            ("units", grant.units),
        ):
            for j, item in enumerate(wanted):
                if item not in known[kind]:
                    issues.append(
                        (f"sign_in.grants.{value}.{kind}[{j}]", f"unknown {kind[:-1]} {item!r}")
                    )
    return issues

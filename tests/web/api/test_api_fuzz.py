"""schemathesis against the OpenAPI: generated requests, logged in and not, get no 5xx and only
answers the contract names (status, content type, headers, body); other methods get 405 + Allow."""

from __future__ import annotations

import warnings

import hypothesis
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import KSAU_MEMBER, WebRig, round_spec

EXAMPLES = 12  # per operation: bounded, so the suite stays fast
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
TRANSPORT_KEYS = {"method", "url", "params", "headers", "json", "content", "data"}


def generated_cases(schema: object) -> list[object]:
    """Draws a bounded number of cases per operation of the schema."""
    cases: list[object] = []
    for result in schema.get_all_operations():  # type: ignore[attr-defined]
        operation = result.ok()

        @hypothesis.settings(
            max_examples=EXAMPLES,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
        @hypothesis.given(operation.as_strategy())
        def collect(case: object) -> None:
            cases.append(case)

        collect()
    return cases


async def test_api_has_no_server_errors(web: WebRig) -> None:
    spec = round_spec(web.config)
    await web.start_round(spec)  # so that some generated paths meet a real round
    schema = schemathesis.openapi.from_dict(web.app.openapi())
    member = await web.login(KSAU_MEMBER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = generated_cases(schema)
    assert len(cases) >= EXAMPLES
    for http in (web.http, member):
        for case in cases:
            kwargs = case.as_transport_kwargs(base_url=str(http.base_url).rstrip("/"))  # type: ignore[attr-defined]
            response = await http.request(
                **{k: v for k, v in kwargs.items() if k in TRANSPORT_KEYS}
            )
            case.validate_response(response, checks=CHECKS)  # type: ignore[attr-defined]
    for path in web.app.openapi()["paths"]:
        concrete = path.replace("{", "").replace("}", "")
        refused = await web.http.request("TRACE", concrete)
        assert refused.status_code == 405, path
        assert "GET" in refused.headers["allow"], path
    ok = await member.get(f"/api/rounds/{spec.workflow_id.removeprefix('round/')}")
    assert ok.status_code == 200
    await member.aclose()

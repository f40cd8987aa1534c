"""/api/docs and /api/openapi.json speak Swedish: every endpoint and model has its Swedish text,
and nothing of FastAPI's English defaults or the code's docstrings reaches the page."""

from __future__ import annotations

import html
import re

from fastapi.openapi.utils import get_openapi

from arshjul.web.api.texts import MODELS, OPERATIONS
from tests.web.conftest import WebRig


async def test_the_api_reference_is_swedish_throughout(web: WebRig) -> None:
    document = (await web.http.get("/api/openapi.json")).json()
    listed = {(m, p) for p, item in document["paths"].items() for m in item}
    assert listed == set(OPERATIONS), "an endpoint without Swedish text (arshjul.web.api.texts)"
    schemas = document["components"]["schemas"]
    shown = {n for n in schemas if not n.startswith(("HTTPValidationError", "ValidationError"))}
    assert shown <= set(MODELS), f"models without Swedish text: {sorted(shown - set(MODELS))}"

    page = await web.http.get("/api/docs")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for summary, description in OPERATIONS.values():
        assert summary in text and description in text
    for name in shown:
        assert MODELS[name] in text
    assert "Successful Response" not in text and "Svaret" in text
    # What FastAPI makes of the code alone (English docstrings, titles) stays off the page.
    english = get_openapi(title="arshjul", version="0", routes=web.app.routes)
    texts = [
        op[key]
        for item in english["paths"].values()
        for op in item.values()
        for key in ("summary", "description")
    ] + [s["description"] for s in english["components"]["schemas"].values() if "description" in s]
    assert len(texts) > 2 * len(OPERATIONS)
    assert [t for t in texts if re.search(rf"\b{re.escape(t)}\b", text)] == []
    assert "A round as mirrored in SQL." not in text
    assert document["paths"]["/api/rounds"]["get"]["summary"] == "Omgångar"

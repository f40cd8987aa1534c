"""`/api/docs`: the JSON API's reference, rendered on the server from the OpenAPI document.

Served from the package (no script from a CDN, no script at all), so it works offline and reads
like every other page; the machine-readable document stays at /api/openapi.json.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from arshjul.web.api.texts import MODELS, OPERATIONS, SUCCESS
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def in_swedish(document: dict[str, Any]) -> dict[str, Any]:
    """Puts the Swedish texts of arshjul.web.api.texts into an OpenAPI document (in place)."""
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if (method, path) in OPERATIONS:
                op["summary"], op["description"] = OPERATIONS[(method, path)]
            for answer in op.get("responses", {}).values():
                if answer.get("description") == "Successful Response":
                    answer["description"] = SUCCESS
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name in MODELS:
            schema["description"] = MODELS[name]
    return document


def install(app: FastAPI) -> None:
    """Makes the app's OpenAPI document (and so /api/docs) Swedish."""
    generated = app.openapi  # FastAPI's: built once, again when the routes change

    def openapi() -> dict[str, Any]:
        return in_swedish(generated())  # idempotent on the cached document

    app.openapi = openapi  # type: ignore[method-assign]


def type_of(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    """Describes a JSON schema in a few words ("heltal 2000–2100", "lista av RoundRead")."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [type_of(s, schemas) for s in schema["anyOf"] if s.get("type") != "null"]
        return " eller ".join(kinds) + (" (valfritt)" if len(kinds) < len(schema["anyOf"]) else "")
    kind = schema.get("type", "")
    if kind == "array":
        return f"lista av {type_of(schema.get('items', {}), schemas)}"
    words = {"integer": "heltal", "string": "text", "boolean": "sant/falskt", "object": "objekt"}
    text = words.get(kind, kind or "valfritt")
    if schema.get("format") in ("date", "date-time"):
        text = {"date": "datum (ÅÅÅÅ-MM-DD)", "date-time": "tidpunkt (ISO 8601)"}[schema["format"]]
    if "minimum" in schema or "maximum" in schema:
        text += f" {schema.get('minimum', '')}–{schema.get('maximum', '')}"
    if "pattern" in schema:
        text += f", mönster {schema['pattern']}"
    return text


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Lists every path and method with its parameters and answers, in document order."""
    schemas = document.get("components", {}).get("schemas", {})
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "where": {"path": "i sökvägen", "query": "i frågan"}.get(p["in"], p["in"]),
                    "required": p.get("required", False),
                    "type": type_of(p.get("schema", {}), schemas),
                }
                for p in op.get("parameters", [])
            ]
            answers = []
            for code, answer in op.get("responses", {}).items():
                content = answer.get("content", {})
                media = next(iter(content), "")
                schema = content.get(media, {}).get("schema", {}) if media else {}
                answers.append(
                    {
                        "code": code,
                        "media": media,
                        "type": type_of(schema, schemas) if schema else "",
                        "text": answer.get("description", ""),
                    }
                )
            found.append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "answers": answers,
                    "try": method == "get" and not any(p["required"] for p in params),
                }
            )
    return found


def models(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Lists the answer models with their fields."""
    schemas = document.get("components", {}).get("schemas", {})
    return [
        {
            "name": name,
            "description": schema.get("description", ""),
            "fields": [
                {
                    "name": field,
                    "type": type_of(spec, schemas),
                    "required": field in schema.get("required", []),
                }
                for field, spec in schema.get("properties", {}).items()
            ],
        }
        for name, schema in sorted(schemas.items())
        if not name.startswith(("HTTPValidationError", "ValidationError"))
    ]


@router.get("/api/docs")
async def api_docs(request: Request) -> Response:
    """Shows the API reference: every endpoint, its parameters and answers, and the models."""
    document = request.app.openapi()
    return render(
        request,
        "apidocs.html",
        title="API – referens",
        info=document.get("info", {}),
        operations=operations(document),
        models=models(document),
    )

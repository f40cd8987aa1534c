"""`/healthz` (the process answers) and `/readyz` (it can reach its database and Temporal).

Both answer within a bound whatever the rest of the web is doing: they skip the per-client limit,
and readiness gives each dependency `readiness_seconds` before calling it unreachable.
"""

from __future__ import annotations

import asyncio

import anyio
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import text

from arshjul.web.core.deps import WebState, web_state

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> JSONResponse:
    """Answers while the process and its event loop live (for a liveness probe)."""
    return JSONResponse({"status": "ok"})


def _ping(state: WebState) -> None:
    with state.session_maker() as session:
        session.execute(text("SELECT 1"))


async def _database(state: WebState, bound: float) -> str:
    try:
        # Abandoned, not awaited, when the database hangs: the answer must not wait for it.
        ping = anyio.to_thread.run_sync(
            _ping, state, abandon_on_cancel=True, limiter=state.db_limiter
        )
        await asyncio.wait_for(ping, bound)
    except TimeoutError:
        return "no answer"
    except Exception as err:  # noqa: BLE001 - any failure means not ready, said in one word
        return f"error: {type(err).__name__}"
    return "ok"


async def _temporal(state: WebState, bound: float) -> str:
    try:
        gateway = await asyncio.wait_for(state.gateway(), bound)
        healthy = await asyncio.wait_for(gateway.client.service_client.check_health(), bound)
    except TimeoutError:
        return "no answer"
    except Exception as err:  # noqa: BLE001 - any failure means not ready, said in one word
        return f"error: {type(err).__name__}"
    return "ok" if healthy else "not serving"


@router.get("/readyz")
async def readyz(state: WebState = Depends(web_state)) -> JSONResponse:
    """Answers 200 when the database and Temporal answer, else 503 naming what does not."""
    bound = state.limits.readiness_seconds
    database, temporal = await asyncio.gather(_database(state, bound), _temporal(state, bound))
    ready = database == temporal == "ok"
    body = {"status": "ready" if ready else "not ready", "database": database, "temporal": temporal}
    return JSONResponse(body, 200 if ready else 503)

"""`arshjul web`: serve the web app with uvicorn."""

from __future__ import annotations

import typer

from arshjul.commands.common import console, fail, settings_or_fail


def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the pages, the JSON API and the calendar feeds."""
    settings = settings_or_fail()  # before the app's imports (seconds): a refusal is said at once
    import uvicorn

    from arshjul.logging import configure_logging
    from arshjul.protocol.seal import SealError
    from arshjul.web.app import create_app

    configure_logging("web")
    try:
        app = create_app(settings)
    except SealError as exc:
        fail(f"{exc}; fix the ARSHJUL_SIGNING_* settings or unset them", code=2)
    console.print(f"arshjul web on http://{host}:{port}/", highlight=False)
    # log_config=None: uvicorn keeps our key=value lines instead of installing its own format.
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        log_level="info",
        log_config=None,
    )


def register(app: typer.Typer) -> None:
    """Adds `arshjul web` to the command line."""
    app.command(name="web")(web)

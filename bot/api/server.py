"""``serve(settings, host, port)``: run the API with uvicorn (``huiqi serve``)."""

from __future__ import annotations

import logging
import sys

from bot.api.app import create_app
from bot.settings import Settings


def configure_logging(level: int = logging.INFO) -> None:
    """One line per record on stdout; the access lines are JSON already."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("huiqi.api.access")
    access.handlers[:] = [handler]
    access.setLevel(level)
    access.propagate = False
    other = logging.StreamHandler(sys.stderr)
    other.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("huiqi")
    if not root.handlers:
        root.addHandler(other)
    root.setLevel(level)


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the HTTP API until interrupted.

    Args:
        settings: The settings tree; refused in production mode when a secret is a placeholder.
        host: Address to bind; defaults to ``settings.host``.
        port: Port to bind; defaults to ``settings.port``.
    """
    import uvicorn

    settings.check_production()
    configure_logging()
    app = create_app(settings)
    # our middleware writes the access log (JSON, with request ids), so uvicorn's is off
    uvicorn.run(
        app, host=host or settings.host, port=port or settings.port, access_log=False, log_level="info"
    )

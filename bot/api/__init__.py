"""The HTTP API: ``create_app(settings)`` builds it, ``serve(settings, host, port)`` runs it."""

from bot.api.app import create_app

__all__ = ["create_app"]

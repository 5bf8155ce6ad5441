"""The browser front ends: the embeddable chat widget, its demo page and the operator console.

Plain HTML, CSS and JavaScript files, committed as they are served; no build step.
"""

from bot.web.router import web_router

__all__ = ["web_router"]

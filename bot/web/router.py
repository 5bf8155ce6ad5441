"""Routes for the widget script, the demo page and the 12345 operator console.

The files sit next to this module and are read once, when the router is built. The widget's
stylesheet is inlined into ``widget.js`` so that embedding stays one ``<script>`` tag.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from bot.settings import Settings

STATIC = Path(__file__).parent
CSS_SLOT = '/*! huiqi:css */ ""'  # widget.js keeps this literal where the stylesheet goes
KEY_SLOT = "{{api_key_attr}}"  # demo.html keeps this where a data-api-key attribute may go
CONSOLE_ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
# Pages are refetched often by hand during embedding; a short cache keeps edits visible.
CACHE = {"Cache-Control": "public, max-age=300"}
NO_STORE = {"Cache-Control": "no-store"}
SECURITY = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def build_widget_script() -> str:
    """widget.js with widget.css inlined as a JavaScript string."""
    script = _read("widget.js")
    if CSS_SLOT not in script:
        raise RuntimeError(f"bot/web/widget.js lost its stylesheet slot {CSS_SLOT!r}.")
    return script.replace(CSS_SLOT, json.dumps(_read("widget.css"), ensure_ascii=False), 1)


def web_router(settings: Settings) -> APIRouter:
    """GET /widget.js, /demo, /console and /console/{console.js,console.css}.

    ``settings`` is taken like every other router's; the pages need none of it yet, since the API
    base, key and colours come from the embedding page.
    """
    router = APIRouter(tags=["web"], include_in_schema=False)
    widget = build_widget_script()
    demo = _read("demo.html")
    console = _read("console.html")
    assets = {name: _read(name) for name in CONSOLE_ASSETS}

    @router.get("/widget.js")
    def widget_js() -> Response:
        # Cross-origin pages load this with a plain <script> tag, which needs no CORS header.
        return Response(widget, media_type="text/javascript; charset=utf-8", headers={**CACHE, **SECURITY})

    @router.get("/demo")
    def demo_page(request: Request) -> HTMLResponse:
        # ?key=… lets a developer try the demo when API keys are on; it is escaped, never trusted.
        key = request.query_params.get("key", "")
        attr = f' data-api-key="{html.escape(key, quote=True)}"' if key else ""
        return HTMLResponse(demo.replace(KEY_SLOT, attr, 1), headers={**NO_STORE, **SECURITY})

    @router.get("/console")
    def console_page() -> HTMLResponse:
        return HTMLResponse(console, headers={**NO_STORE, **SECURITY, "X-Frame-Options": "DENY"})

    @router.get("/console/{name}")
    def console_asset(name: str) -> Response:
        if name not in CONSOLE_ASSETS:
            raise HTTPException(status_code=404, detail=f"No console file named {name!r}.")
        return Response(
            assets[name], media_type=f"{CONSOLE_ASSETS[name]}; charset=utf-8", headers={**CACHE, **SECURITY}
        )

    return router

"""Browser fixtures: headless Debian Chromium via Selenium, the app, and a third-party page.

Nothing is downloaded at test time except by scripts/install-browser.sh (Debian packages, as
root in CI); Selenium Manager stays offline because the driver path is given explicitly.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.api.app import create_app
from tests.conftest import ROOT, make_settings
from tests.support.servers import free_port, serve_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_SCRIPT = ROOT / "scripts" / "install-browser.sh"
SCREENSHOTS = ROOT / "docs" / "screenshots"
ADMIN_KEY = "test-admin-key"


def screenshot(driver: Any, name: str) -> None:
    """Saves docs/screenshots/<name>.png when HUIQI_SCREENSHOTS is set (see docs/web.md)."""
    if not os.environ.get("HUIQI_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(0.3)  # let transitions (the card's chevron, focus rings) settle
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture(scope="session")
def browser_binaries() -> tuple[Path, Path]:
    """Debian's chromium and chromedriver; installs them (as root) when missing."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and os.geteuid() == 0:
        subprocess.run(["bash", str(INSTALL_SCRIPT)], check=False, timeout=900)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            f"Browser tests need {CHROMIUM} and {CHROMEDRIVER}: run `sudo {INSTALL_SCRIPT.relative_to(ROOT)}` "
            "(installs Debian's chromium, chromium-driver and fonts-noto-cjk).",
            pytrace=False,
        )
    return CHROMIUM, CHROMEDRIVER


@pytest.fixture(scope="session")
def driver(browser_binaries: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the session, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not reach the network
    chromium, chromedriver = browser_binaries
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=zh-CN",
        "--force-device-scale-factor=1",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(str(chromedriver)))
    browser.set_script_timeout(20)
    try:
        yield browser
    finally:
        browser.quit()


@dataclass
class Site:
    """The app on one port and a third-party page that embeds the widget on another."""

    app: Any
    api: str  # base URL of the app
    page: str  # URL of the third-party page
    settings: Any


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: Path, port: int) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def third_party_page(demo: str, api: str) -> str:
    """The demo page as another site would host it: widget from ``api``, under a strict CSP.

    The policy allows scripts and requests to the API only and no inline styles but the page's own
    (by hash), as hardened government sites do; the widget has to work under it.
    """
    page = demo.replace('src="widget.js"', f'src="{api}/widget.js"')
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style, "the demo page keeps its CSS in one <style> element"
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    csp = (
        f"default-src 'self'; script-src {api}; connect-src {api}; style-src 'sha256-{digest}'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'"
    )
    return page.replace("<head>", f'<head>\n<meta http-equiv="Content-Security-Policy" content="{csp}">', 1)


@contextlib.contextmanager
def run_site(indexed_dir: Path, workdir: Path, **overrides: Any) -> Iterator[Site]:
    """The app on its own data copy, CORS open to the third-party origin only, plus that page.

    The third-party page is the demo page hosted elsewhere: /demo as the app renders it (with
    ``page_key`` as its data-api-key when given), loading the widget from the app's port; the
    same page without any key is ``keyless.html`` next to it.
    """
    page_key = overrides.pop("page_key", "")
    data_dir = workdir / "data"
    shutil.copytree(indexed_dir, data_dir)
    page_port = free_port()
    origin = f"http://127.0.0.1:{page_port}"
    settings = make_settings(data_dir, cors_origins=[origin], admin_key=ADMIN_KEY, **overrides)
    app = create_app(settings)
    with serve_app(app) as api:
        page_dir = workdir / "third-party"
        page_dir.mkdir()
        for name, key in (("index.html", page_key), ("keyless.html", "")):
            demo = httpx.get(f"{api}/demo", params={"key": key} if key else None, timeout=10).text
            assert 'src="widget.js"' in demo
            (page_dir / name).write_text(third_party_page(demo, api), "utf-8")
        with static_server(page_dir, page_port) as page_origin:
            yield Site(app=app, api=api, page=f"{page_origin}/index.html", settings=settings)


@pytest.fixture(scope="session")
def site(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app with API keys off, and a third-party page embedding its widget."""
    with run_site(indexed_dir, tmp_path_factory.mktemp("web")) as running:
        yield running


@pytest.fixture
def browser(driver: Any) -> Iterator[Any]:
    """The session's browser, back at desktop size with no page state left behind."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    yield driver
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with contextlib.suppress(Exception):
        driver.execute_script("try { sessionStorage.clear(); localStorage.clear(); } catch (e) {}")
    driver.get("about:blank")


def feedback_rows(site: Site) -> list[dict[str, Any]]:
    """Every stored rating, from GET /v1/feedback/export with the admin key."""
    res = httpx.get(
        f"{site.api}/v1/feedback/export", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=10
    )
    res.raise_for_status()
    return list(res.json()["feedback"])

"""The chat widget on a third-party page, in headless Chromium: ask, read citations, rate, close."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.conftest import Site, feedback_rows, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUESTION = "我们刚认定为高新技术企业，能申请什么？"

# Counts text pieces appended to the answer while it streams (each `delta` event adds one).
COUNT_DELTAS = """
window.__deltas = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.classList && r.target.classList.contains('text') && r.addedNodes.length === 1
        && r.addedNodes[0].nodeType === Node.TEXT_NODE) window.__deltas++;
  }
}).observe(document.querySelector('huiqi-widget').shadowRoot, {subtree: true, childList: true});
"""


def shadow(browser: Any) -> Any:
    host = WebDriverWait(browser, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, "huiqi-widget"))
    return host.shadow_root


def shadow_active(browser: Any) -> str:
    """Class of the focused element inside the widget, '' when focus is elsewhere."""
    return browser.execute_script(
        "const a = document.querySelector('huiqi-widget').shadowRoot.activeElement;"
        "return a ? (a.className || a.tagName.toLowerCase()) : '';"
    )


def test_widget_answers_with_citations_and_takes_feedback(browser: Any, site: Site) -> None:
    browser.get(site.page)
    root = shadow(browser)
    bubble = root.find_element(By.CSS_SELECTOR, ".bubble")
    panel = root.find_element(By.CSS_SELECTOR, "[role=dialog]")
    assert not panel.is_displayed()

    # Styled despite the page's strict Content-Security-Policy (no inline styles allowed).
    assert bubble.value_of_css_property("position") == "fixed"
    assert bubble.value_of_css_property("background-color") == "rgba(183, 28, 28, 1)"  # data-color
    bubble.click()
    assert panel.is_displayed()
    assert bubble.get_attribute("aria-expanded") == "true"
    assert shadow_active(browser) == "textarea"  # focus moves into the question box
    examples = [b.text for b in root.find_elements(By.CSS_SELECTOR, ".examples button")]
    assert QUESTION in examples

    browser.execute_script(COUNT_DELTAS)
    root.find_element(By.CSS_SELECTOR, "textarea").send_keys(QUESTION, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: root.find_elements(By.CSS_SELECTOR, "details.cite"))

    answer = root.find_element(By.CSS_SELECTOR, ".msg.bot .text")
    assert "高新技术企业" in answer.text
    assert answer.get_attribute("aria-busy") == "false"
    assert root.find_elements(By.CSS_SELECTOR, ".msg.bot .ref"), "markers like [1] link to their card"
    assert browser.execute_script("return window.__deltas;") > 1, "the answer arrives piece by piece"
    assert "null" not in answer.text
    assert "undefined" not in answer.text
    # The answer came over the streaming endpoint, from another origin (so through CORS).
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/v1/'));"
    )
    assert f"{site.api}/v1/ask/stream" in fetched
    assert not site.page.startswith(site.api)

    before = len(feedback_rows(site))
    root.find_element(By.CSS_SELECTOR, ".fb.up").click()
    WebDriverWait(browser, 10).until(
        lambda d: "已收到反馈" in root.find_element(By.CSS_SELECTOR, ".fb-status").text
    )
    rows = feedback_rows(site)
    assert len(rows) == before + 1
    session_id = browser.execute_script("return sessionStorage.getItem('huiqi.session');")
    assert rows[-1]["rating"] == "up"
    assert rows[-1]["session_id"] == session_id

    # docs/screenshots/widget.png: the end of the answer, its citation cards and the feedback.
    browser.execute_script(
        "arguments[0].scrollTop = arguments[0].scrollHeight;", root.find_element(By.CSS_SELECTOR, ".log")
    )
    screenshot(browser, "widget")

    card = root.find_element(By.CSS_SELECTOR, "details.cite")
    verbatim = card.find_element(By.CSS_SELECTOR, ".ctext")
    assert not verbatim.is_displayed()
    card.find_element(By.CSS_SELECTOR, "summary").click()
    assert card.get_attribute("open") is not None
    assert verbatim.is_displayed()
    clause = site.app.state.assistant.kb.get(card.get_attribute("data-id"))
    assert clause is not None
    assert verbatim.text.strip() == clause.text.strip()
    summary = card.find_element(By.CSS_SELECTOR, "summary").text
    assert clause.title in summary
    assert clause.doc_number in summary

    # Esc closes the panel and gives focus back to the bubble.
    root.find_element(By.CSS_SELECTOR, "textarea").send_keys(Keys.ESCAPE)
    assert not panel.is_displayed()
    assert shadow_active(browser).startswith("bubble")
    assert bubble.get_attribute("aria-expanded") == "false"

    # 新对话 starts over: a new session and the example questions again.
    bubble.click()
    root.find_element(By.CSS_SELECTOR, ".new").click()
    assert browser.execute_script("return sessionStorage.getItem('huiqi.session');") is None
    assert not root.find_elements(By.CSS_SELECTOR, ".msg")
    assert root.find_elements(By.CSS_SELECTOR, ".examples button")


def test_widget_panel_fills_a_phone_screen(browser: Any, site: Site) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    browser.get(site.page)
    root = shadow(browser)
    bubble = root.find_element(By.CSS_SELECTOR, ".bubble")
    box = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.right, r.bottom];", bubble
    )
    assert box[0] <= 390
    assert box[1] <= 844
    bubble.click()
    panel = root.find_element(By.CSS_SELECTOR, "[role=dialog]")
    rect = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, vw: innerWidth, vh: innerHeight};",
        panel,
    )
    assert rect["vw"] == 390
    assert (rect["left"], rect["top"]) == (0, 0)
    assert (rect["right"], rect["bottom"]) == (rect["vw"], rect["vh"])
    assert not bubble.is_displayed(), "the bubble steps aside while the full-screen panel is open"
    assert browser.execute_script("return document.documentElement.style.overflow;") == "hidden"
    screenshot(browser, "widget-mobile")
    textarea = root.find_element(By.CSS_SELECTOR, "textarea")
    bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom;", textarea)
    assert textarea.is_displayed()
    assert bottom <= rect["vh"]
    # Close is reachable, and the page does not scroll sideways because of the widget.
    root.find_element(By.CSS_SELECTOR, ".close").click()
    assert bubble.is_displayed()
    assert browser.execute_script("return document.documentElement.style.overflow;") == ""
    assert browser.execute_script("return document.documentElement.scrollWidth;") <= 390

"""The operator console in headless Chromium: filtered search as you type, keys, 复制引用."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.web.conftest import Site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUERY = "高新技术企业 奖励"


def active_id(browser: Any) -> str:
    return browser.execute_script("return document.activeElement.id;")


def press(browser: Any, key: str) -> None:
    ActionChains(browser).send_keys(key).perform()


def test_console_search_keyboard_and_copy(browser: Any, site: Site) -> None:
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": site.api, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    browser.get(f"{site.api}/console")
    wait = WebDriverWait(browser, 20)
    # The filters fill from GET /v1/policies.
    wait.until(lambda d: len(Select(d.find_element(By.ID, "f-region")).options) > 1)
    assert "份政策文件" in browser.find_element(By.ID, "kb").text

    # `/` focuses the search box from anywhere on the page.
    browser.execute_script("document.activeElement.blur();")
    press(browser, "/")
    assert active_id(browser) == "q"

    Select(browser.find_element(By.ID, "f-level")).select_by_value("市")
    browser.find_element(By.ID, "q").send_keys(QUERY)
    wait.until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#hits .hit")
            and "找到" in d.find_element(By.ID, "search-status").text
        )
    )

    expected = httpx.post(
        f"{site.api}/v1/search", json={"query": QUERY, "top_k": 10, "filters": {"level": "市"}}, timeout=20
    ).json()["hits"]
    shown = browser.find_elements(By.CSS_SELECTOR, "#hits .hit")
    assert len(shown) == len(expected)
    assert {b.text for b in browser.find_elements(By.CSS_SELECTOR, "#hits .badge")} == {"市"}
    assert "高新技术企业" in shown[0].get_attribute("textContent")
    searches = browser.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/v1/search')).length;"
    )
    assert 1 <= searches < len(QUERY), "typing is debounced, not one search per keystroke"

    # The 复制引用 button copies a hit's citation.
    shown[1].find_element(By.CSS_SELECTOR, ".copy").click()
    wait.until(lambda d: shown[1].find_element(By.CSS_SELECTOR, ".note").text == "已复制")
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done);"
    )
    assert copied.startswith(f"《{expected[1]['title']}》")
    assert copied.endswith(expected[1]["text"])

    # ↓ ↓ ↑ walks the hits; Enter expands the selected one.
    browser.find_element(By.ID, "q").send_keys(Keys.ARROW_DOWN)
    assert active_id(browser) == "hit-0"
    press(browser, Keys.ARROW_DOWN)
    assert active_id(browser) == "hit-1"
    press(browser, Keys.ARROW_UP)
    assert active_id(browser) == "hit-0"
    assert "selected" in shown[0].get_attribute("class")
    press(browser, Keys.ENTER)
    assert "expanded" in shown[0].get_attribute("class")
    assert shown[0].find_element(By.CSS_SELECTOR, ".toggle").get_attribute("aria-expanded") == "true"

    # `c` copies 《title》（文号）clause：text of the selected hit.
    press(browser, "c")
    wait.until(lambda d: shown[0].find_element(By.CSS_SELECTOR, ".note").text == "已复制")
    top = expected[0]
    doc = f"（{top['doc_number']}）" if top["doc_number"] else ""
    citation = f"《{top['title']}》{doc}{top['clause']}：{top['text']}"
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('ERROR ' + e));"
    )
    assert copied == citation

    # Without navigator.clipboard (plain-http intranet pages) the hidden-textarea fallback copies.
    browser.execute_script(
        "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
    )
    shown[2].find_element(By.CSS_SELECTOR, ".copy").click()
    wait.until(lambda d: shown[2].find_element(By.CSS_SELECTOR, ".note").text == "已复制")
    browser.execute_script("delete navigator.clipboard;")
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done);"
    )
    assert copied.endswith(expected[2]["text"])
    assert not browser.find_elements(By.CSS_SELECTOR, "textarea.copy-fallback"), (
        "the helper textarea is removed"
    )
    press(browser, Keys.ESCAPE)
    browser.find_element(By.ID, "q").send_keys(Keys.ARROW_DOWN, Keys.ENTER)  # hit-0 again, now collapsed
    press(browser, Keys.ENTER)

    # The answer pane shows what Huiqi would tell the caller, with its citations.
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#answer .answer-text"))
    assert "高新技术企业" in browser.find_element(By.CSS_SELECTOR, "#answer .answer-text").text
    pane = browser.find_element(By.ID, "answer").text
    assert "null" not in pane
    assert "undefined" not in pane
    assert browser.find_elements(By.CSS_SELECTOR, "#answer .cites li")

    press(browser, Keys.ESCAPE)
    assert active_id(browser) == "q"
    browser.execute_script("window.scrollTo(0, 0);")
    screenshot(browser, "console")

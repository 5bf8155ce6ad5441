"""With HUIQI_API_KEYS on: the widget sends its data-api-key, the console its stored key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.conftest import Site, run_site

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SITE_KEY = "anyang-gov-site-key"


@pytest.fixture(scope="module")
def keyed_site(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with run_site(
        indexed_dir, tmp_path_factory.mktemp("keyed"), api_keys=[SITE_KEY], page_key=SITE_KEY
    ) as site:
        yield site


def widget_root(browser: Any) -> Any:
    return (
        WebDriverWait(browser, 15)
        .until(lambda d: d.find_element(By.CSS_SELECTOR, "huiqi-widget"))
        .shadow_root
    )


def test_widget_sends_its_key_across_origins(browser: Any, keyed_site: Site) -> None:
    browser.get(keyed_site.page)
    root = widget_root(browser)
    browser.execute_script("HuiqiWidget.ask('创业担保贷款最多能贷多少？');")
    WebDriverWait(browser, 30).until(lambda d: root.find_elements(By.CSS_SELECTOR, "details.cite"))
    assert not root.find_elements(By.CSS_SELECTOR, ".msg.error")


def test_widget_without_a_key_says_so_in_chinese(browser: Any, keyed_site: Site) -> None:
    browser.get(keyed_site.page.replace("index.html", "keyless.html"))
    root = widget_root(browser)
    browser.execute_script("HuiqiWidget.ask('创业担保贷款最多能贷多少？');")
    WebDriverWait(browser, 30).until(lambda d: root.find_elements(By.CSS_SELECTOR, ".msg.error"))
    error = root.find_element(By.CSS_SELECTOR, ".msg.error")
    assert error.get_attribute("role") == "alert"
    assert "访问密钥" in error.text
    assert not root.find_elements(By.CSS_SELECTOR, "details.cite")
    # The question box is usable again after the failure.
    assert root.find_element(By.CSS_SELECTOR, ".send").is_enabled()


def test_console_asks_for_a_key_then_uses_it(browser: Any, keyed_site: Site) -> None:
    browser.get(f"{keyed_site.api}/console")
    WebDriverWait(browser, 15).until(lambda d: "未能载入" in d.find_element(By.ID, "kb").text)
    assert browser.find_element(By.ID, "key-box").get_attribute("open") is not None
    browser.find_element(By.ID, "api-key").send_keys(SITE_KEY)
    browser.find_element(By.CSS_SELECTOR, "#key-form button[type=submit]").click()
    assert browser.execute_script("return localStorage.getItem('huiqi.apiKey');") == SITE_KEY
    WebDriverWait(browser, 15).until(lambda d: "份政策文件" in d.find_element(By.ID, "kb").text)
    browser.find_element(By.ID, "q").send_keys("创业担保贷款")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#hits .hit"))

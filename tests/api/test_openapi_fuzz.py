"""Schemathesis against the app's own OpenAPI document: generated requests never get a 500.

Runs as the admin over real HTTP, on a private copy of the index, so uploads and deletes are
exercised too (generated file names are not supported types, and generated sources do not exist).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bot.api import create_app
from tests.api.conftest import ADMIN_KEY, copy_index
from tests.conftest import make_settings
from tests.support.servers import serve_app

pytestmark = pytest.mark.integration

HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture(scope="module")
def fuzz_url(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = copy_index(indexed_dir, tmp_path_factory, "fuzz")
    app_settings = make_settings(
        data_dir, admin_key=ADMIN_KEY, api_keys=["fuzz-key"], rate_limit_per_minute=0
    )
    with serve_app(create_app(app_settings)) as url:
        yield url


# The document does not depend on the index, so an app built here (never started) provides it;
# the requests go to the real server of the fixture. (schemathesis.pytest.from_fixture would be the
# natural loader, but it breaks on pytest 9: it sets the removed Function._nodeid.)
schema = schemathesis.openapi.from_dict(create_app(make_settings(Path("unused"))).openapi())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case, fuzz_url: str) -> None:
    case.call_and_validate(
        base_url=fuzz_url,
        headers=HEADERS,
        checks=[not_a_server_error, response_schema_conformance],
        timeout=60,
    )

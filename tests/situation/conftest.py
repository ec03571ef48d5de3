"""The coordinator's client for the lägesbild tests."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import log_in_as


@pytest.fixture
def analyst(app: Flask, client: FlaskClient) -> FlaskClient:
    """The client logged in as the coordinator (analyst), asking for English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in_as(app, client, "analyst")
    return client


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Each test has its own data: forget pictures and public maps of earlier tests."""
    from kopingreport.situation import picture, public

    picture.forget()
    public._cache.clear()  # noqa: SLF001

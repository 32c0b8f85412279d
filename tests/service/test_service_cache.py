"""The API's server processes keep the services' larger verdict cache; file commands keep the smaller one."""

from __future__ import annotations

from pantau.api.app import create_app
from pantau.config import Settings
from pantau.pipeline import CACHE_SIZE, SERVICE_CACHE_SIZE, Pipeline


def test_a_server_process_keeps_the_services_cache(settings: Settings) -> None:
    app = create_app(settings)  # no pipeline given: the one a `pantau serve` process builds
    assert app.state.pantau.pipeline._cache_size == SERVICE_CACHE_SIZE
    assert Pipeline.default()._cache_size == CACHE_SIZE < SERVICE_CACHE_SIZE

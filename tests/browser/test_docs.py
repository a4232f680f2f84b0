"""The API docs render in a browser that can reach nothing but this server (a classroom offline)."""
from __future__ import annotations

import pytest

from tests.browser.harness import VIEWPORT

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path, drawn", [("/docs", ".opblock-summary-path"),
                                         ("/redoc", "[data-section-id^='tag/']")])
def test_docs_render_with_nothing_from_the_internet(browser, server, path, drawn):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    outside: list[str] = []

    def only_this_server(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", only_this_server)
        page.goto(server + path)
        page.wait_for_selector(drawn)
        assert page.locator(drawn).count() >= 5
        assert outside == [] and errors == []
    finally:
        context.close()

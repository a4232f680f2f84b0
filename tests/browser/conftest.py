"""Browser test fixtures: one real server and one real Chromium per session, a fresh page per test.

Chromium is Debian's (`/usr/bin/chromium`, installed by `.ci/run`); when it is missing the tests fail
and say how to install it, because skipping would hide that the page went untested.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, VIEWPORT, Page, free_port, start_server, stop_server


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a server on a free port with its own temporary database."""
    port = free_port()
    process = start_server(port, tmp_path_factory.mktemp("db") / "networks.sqlite3")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    f"(or run .ci/run), or point BACKPROP_PLAYGROUND_CHROMIUM at a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)  # its polling evaluates strings; see test_security
    context.set_default_timeout(10_000)
    p = Page(context.new_page(), server, request.node.name)
    yield p
    try:  # the closing screenshot is for people reading artifacts; it must not fail a passing test
        p.screenshot("end")
    except Exception as err:  # noqa: BLE001 - Playwright raises several error types
        warnings.warn(f"no closing screenshot for {request.node.name}: {err}")
    context.close()

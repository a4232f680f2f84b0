"""The page works under its own Content-Security-Policy (the other browser tests bypass it, since
Playwright's polling evaluates strings): scripts load, the network draws, the socket opens."""
from __future__ import annotations

import pytest

from tests.browser.harness import VIEWPORT

pytestmark = pytest.mark.browser


def test_the_page_runs_under_its_content_security_policy(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        response = page.goto(f"{server}/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector("svg.network .node", timeout=15_000)
        page.wait_for_selector("#connection[data-state='open']", timeout=15_000)
    finally:
        context.close()
    assert problems == []

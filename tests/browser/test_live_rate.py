"""The page shows the rate the server really trains at while playing (the frames' `steps_per_second`)."""
from __future__ import annotations


def test_playing_shows_the_real_rate_and_pausing_clears_it(page):
    page.open("?layers=2,4,2,1&dataset=circle&seed=0")
    assert page.page.text_content("#rate") == ""
    page.page.click("#play")
    page.page.wait_for_function("document.querySelector('#rate').textContent !== ''")
    page.page.wait_for_timeout(1000)
    text = page.page.text_content("#rate")  # " · 510/s"
    shown = float(text.removeprefix(" · ").removesuffix("/s").replace(",", ""))
    page.screenshot("playing")
    page.page.click("#play")
    page.page.wait_for_function("document.querySelector('#rate').textContent === ''")
    # 10 iterations a frame at most, 60 frames a second at most (a rate over a few frames: a margin)
    assert 0 < shown < 10 * 60 * 1.25
    assert page.errors == []

"""One router per resource: networks, live play, datasets and options, the page."""

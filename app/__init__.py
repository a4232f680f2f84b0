"""Backprop Playground's web server: REST API, live WebSocket, the page, and SQLite persistence."""

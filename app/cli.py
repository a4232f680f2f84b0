"""Command line: `backprop-playground [--host H] [--port P] [--db PATH] [--open]`."""
from __future__ import annotations

import argparse
import sys
import threading
import webbrowser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="backprop-playground",
        description="Serve the Backprop Playground page and its REST/WebSocket API.",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (use 0.0.0.0 to share on a classroom LAN)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--db", default=None, help="SQLite file that keeps every network")
    parser.add_argument("--open", action="store_true", help="open the page in a browser")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    from app.main import create_app
    from app.settings import Settings
    from app.store import Store, StoreError

    args = parse_args(argv)
    settings = Settings.from_env(db_path=args.db)
    try:  # a database that cannot be opened stops here with one line, not a traceback
        Store(settings.db_path).close()
    except StoreError as exc:
        sys.exit(f"backprop-playground: cannot start: {exc}")
    app = create_app(settings)
    if args.open:
        url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # Live frames are mostly base64 heatmaps, which deflate barely shrinks; compressing every frame
    # for every client cost more CPU on the event loop than anything else while playing.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", ws_per_message_deflate=False)

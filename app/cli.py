"""Command line: `backprop-playground [--host H] [--port P] [--db PATH] [--shard N] [--open] …`.

Before serving it locks the database file (one server per file, see `app.dblock`) and prints where
the networks are kept and which URLs to open, the LAN ones too when bound to every interface.
Refusals (a bad setting, a database in use) are one line on stderr and exit status 1, not a traceback.
NumPy's BLAS runs one thread per call unless its variables say otherwise: the server trains many
networks in threads of its own, and on a busy machine BLAS threads that wait for each other made one
phase of the largest network take 0.3 s instead of 1 ms.
"""
from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # before NumPy loads
    os.environ.setdefault(_variable, "1")

import argparse
import gc
import socket
import sys
import threading
import webbrowser

from app import __version__

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
EVERY_INTERFACE = ("0.0.0.0", "::", "")
GC_EVERY = 20_000  # new container objects between two runs of the cycle collector (Python's default: 700)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from app.settings import DB_VARIABLE, default_db_path

    parser = argparse.ArgumentParser(
        prog="backprop-playground",
        description="Serve the Backprop Playground page and its REST/WebSocket API.",
        epilog="Limits are set with BACKPROP_PLAYGROUND_* environment variables (see docs/api.md, Limits).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind; 0.0.0.0 shares it on a classroom LAN (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help=f"SQLite file that keeps every network (default: ${DB_VARIABLE} if set, "
                             f"else {default_db_path()})")
    parser.add_argument("--shard", type=int, default=None, metavar="N",
                        help="this server's number among shards behind a proxy, named by every id it makes "
                             "(default: 0, a single server; docs/scaling.md)")
    parser.add_argument("--open", action="store_true", help="open the page in a browser once it is up")
    parser.add_argument("--log-level", default="info", choices=LOG_LEVELS,
                        help="server log level (default: %(default)s)")
    parser.add_argument("--no-access-log", dest="access_log", action="store_false",
                        help="do not log every request (they are logged by default)")
    return parser.parse_args(argv)


def interface_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, for the URLs other machines can open."""
    found: set[str] = set()
    try:  # every interface's address (Linux); the host name's addresses elsewhere
        import fcntl
        import struct
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))
                    found.add(socket.inet_ntoa(packed[20:24]))  # SIOCGIFADDR
                except OSError:
                    continue
    except (ImportError, OSError):
        pass
    try:
        found.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def urls(host: str, port: int) -> list[str]:
    """The URLs to open: this machine's first, then the LAN's when serving on every interface."""
    if host in EVERY_INTERFACE:
        return [f"http://{a}:{port}/" for a in ("127.0.0.1", *interface_addresses())]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}/"]


def banner(db_path: str, links: list[str]) -> str:
    lines = [f"Backprop Playground {__version__}", f"  database  {db_path}", f"  open      {links[0]}"]
    lines += [f"            {link}  (from other machines on this network)" for link in links[1:]]
    return "\n".join(lines)


def quieter_collector() -> None:
    """Python's cycle collector runs every 700 new container objects, and a request makes hundreds:
    with 50 clients stepping it took 8 % of the server's CPU. The objects made while starting (modules,
    the app) are moved out of its sight for good, and it runs every 20,000 instead (a few megabytes
    of cyclic garbage at most wait for it; everything else is freed when its last reference goes)."""
    gc.freeze()
    gc.set_threshold(GC_EVERY, 20, 20)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import uvicorn

    from app import connections
    from app.dblock import DatabaseInUse, lock_database
    from app.main import create_app
    from app.settings import Settings, unknown_variables
    from app.store import Store, StoreError

    for warning in unknown_variables():
        print(f"backprop-playground: warning: {warning}", file=sys.stderr)
    try:  # a bad setting, a database that cannot be opened or is in use: one line, not a traceback
        settings = Settings.from_env(db_path=args.db)
        if args.shard is not None:
            settings = settings.replace(shard=args.shard)
        Store(settings.db_path).close()
        lock = lock_database(settings.db_path)  # noqa: F841 - held until the process exits
    except StoreError as exc:
        sys.exit(f"backprop-playground: cannot start: {exc}")
    except OSError as exc:
        sys.exit(f"backprop-playground: cannot start: cannot lock {settings.db_path}.lock: {exc.strerror}")
    except (ValueError, DatabaseInUse) as refusal:
        sys.exit(f"backprop-playground: {refusal}")
    if args.host not in ("127.0.0.1", "localhost", "::1"):  # a class on the LAN reaches it by these names too
        lan = [*interface_addresses(), socket.gethostname(), socket.gethostname() + ".local"] \
            if args.host in EVERY_INTERFACE else [args.host]
        settings = settings.replace(allowed_hosts=",".join([settings.allowed_hosts, *lan]))
    app = create_app(settings)
    links = urls(args.host, args.port)
    print(banner(settings.db_path, links), flush=True)
    app.state.bind_host = args.host  # class join URLs use the LAN address when bound to every interface
    if args.open:
        threading.Timer(1.0, webbrowser.open, args=(links[0],)).start()
    # Live frames are mostly base64 heatmaps, which deflate barely shrinks; compressing every frame
    # for every client cost more CPU on the event loop than anything else while playing.
    # The connection hooks (app.connections) drop requests sent too slowly and cap connections per address.
    # Past the file descriptor limit (its soft part raised to the hard one) less a reserve, the
    # connection that waited longest for its headers is dropped for a new one.
    limit = connections.fd_limit()
    print(f"  connections at most {connections.open_cap(settings, limit)} open at once "
          f"(file descriptor limit {limit})", flush=True)
    quieter_collector()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log,
                ws_per_message_deflate=False, ws_max_size=settings.max_body_bytes,
                http=connections.protocol(settings, limit), backlog=connections.backlog(limit))

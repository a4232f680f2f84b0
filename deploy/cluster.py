"""Shards behind nginx on one host: `python deploy/cluster.py --shards N --port P` (`make run-cluster`).

Starts N server processes (`python -m app --shard i`, each on its own port and SQLite file), fills in
deploy/nginx.conf.template with them and runs nginx in front, unprivileged, with everything it writes
(pid, temporary files, error log) in a run directory of its own; Ctrl-C (or SIGTERM) stops nginx and then
the shards, which save every network first (they run in sessions of their own, so a terminal's Ctrl-C
reaches only the launcher, which stops them in that order). Shard 0 uses the single server's database file, so the
networks a single server made are shard 0's and stay reachable. `--render` only prints the
configuration, for shards on other hosts (`--upstream host:port` once per shard, in shard order).

While running, a shard that exits (a crash, `kill -9`) is started again on its file and comes back with
every network it had acknowledged; one that keeps exiting, or nginx exiting, stops everything.
Left out: TLS, and starting processes on other hosts (docs/scaling.md).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine import ids  # noqa: E402 - the id grammar the routes are built from

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
RESTART_GRACE = 10.0  # seconds: a shard that dies sooner after starting is not started again


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(found):
        sys.exit("run-cluster needs nginx: apt-get install nginx-light (or nginx)")
    return found


def render(upstreams: list[str], listen: str, run_dir: str) -> str:
    """The nginx configuration: shard i at upstreams[i] ("host:port")."""
    routes, names = [], []
    for shard in range(len(upstreams)):
        tag = ids.shard_tag(shard)  # nginx matches a map's strings in any case, as codes are typed
        routes.append(f'        "s{tag}" shard{shard};')
        names.append(f'        "s{tag}" {shard};')
    blocks = [f"    upstream shard{i} {{\n        server {address};\n        keepalive 32;\n    }}"
              for i, address in enumerate(upstreams)]
    for name in ("any_shard", "new_network"):  # requests naming no shard; creations, in turns of their own
        blocks.append(f"    upstream {name} {{\n" + "".join(
            f"        server {address} max_fails=1 fail_timeout=5s;\n" for address in upstreams) + "        keepalive 32;\n    }")
    user = "user nobody nogroup;  # workers drop root" if os.geteuid() == 0 else ""
    fill = {"USER": user, "RUN": run_dir, "LISTEN": listen, "UPSTREAMS": "\n".join(blocks),
            "OWNER_UPSTREAMS": "\n".join(routes), "OWNER_SHARDS": "\n".join(names),
            **{kind.upper(): pattern for kind, pattern in ids.SHARD_PATTERNS.items()}}
    text = TEMPLATE.read_text()
    for name, value in fill.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def tail(path: Path, size: int = 1500) -> str:
    try:
        return path.read_bytes()[-size:].decode(errors="replace").strip()
    except OSError:
        return ""


def wait_for(url: str, process: subprocess.Popen, what: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers (503 from a degraded cluster is an answer)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s:\n{tail(log)}")


class Cluster:
    """N shards and nginx. `start()`, `kill_shard(i)` / `start_shard(i)` (tests), `stop()`."""

    def __init__(self, shards: int, port: int, host: str = "127.0.0.1", db_dir: str | None = None,
                 shard_ports: list[int] | None = None, log_dir: str | None = None):
        from app.settings import default_db_path
        self.count, self.port, self.host = shards, port, host
        self.db_dir = Path(db_dir or Path(default_db_path()).parent)
        self.ports = list(shard_ports or range(port + 1, port + 1 + shards))
        self.run_dir = tempfile.mkdtemp(prefix="backprop-cluster-")
        os.chmod(self.run_dir, 0o755)  # nginx's workers (nobody when started as root) make files in it
        self.log_dir = Path(log_dir or self.run_dir)
        self.shards: list[subprocess.Popen | None] = [None] * shards
        self.nginx: subprocess.Popen | None = None
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"

    def db_path(self, shard: int) -> str:
        return str(self.db_dir / ("networks.sqlite3" if shard == 0 else f"networks-shard{shard}.sqlite3"))

    def shard_log(self, shard: int) -> Path:
        return self.log_dir / f"shard{shard}.log"

    def shard_url(self, shard: int) -> str:
        return f"http://127.0.0.1:{self.ports[shard]}"

    def start_shard(self, shard: int, wait: bool = True) -> None:
        peers = ",".join(self.shard_url(i) for i in range(self.count))
        env = {**os.environ, "BACKPROP_PLAYGROUND_PEERS": peers}
        log = open(self.shard_log(shard), "ab")
        command = [sys.executable, "-m", "app", "--host", self.host, "--port", str(self.ports[shard]),
                   "--db", self.db_path(shard), "--shard", str(shard), "--no-access-log", "--log-level", "warning"]
        self.shards[shard] = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                              stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        if wait:
            wait_for(self.shard_url(shard) + "/api/health", self.shards[shard], f"shard {shard}", self.shard_log(shard))

    def kill_shard(self, shard: int) -> None:
        """SIGKILL, as a crash: only what the shard had committed survives."""
        self.shards[shard].kill()
        self.shards[shard].wait(timeout=10)

    def start(self) -> "Cluster":
        listen = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        try:
            for shard in range(self.count):
                self.start_shard(shard, wait=False)
            for shard in range(self.count):
                wait_for(self.shard_url(shard) + "/api/health", self.shards[shard], f"shard {shard}",
                         self.shard_log(shard))
            conf = Path(self.run_dir) / "nginx.conf"
            conf.write_text(render([f"127.0.0.1:{p}" for p in self.ports], listen, self.run_dir))
            log = open(self.log_dir / "nginx.log", "ab")
            self.nginx = subprocess.Popen([nginx_binary(), "-p", self.run_dir, "-c", str(conf),
                                           "-e", f"{self.run_dir}/error.log"], stdin=subprocess.DEVNULL,
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            wait_for(self.url + "/api/options", self.nginx, "nginx", Path(self.run_dir) / "error.log")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """nginx first (no new requests), then every shard with SIGTERM: each saves its networks."""
        for process in [self.nginx, *self.shards]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGQUIT if process is self.nginx else signal.SIGTERM)
        for process in [self.nginx, *self.shards]:
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)  # the logs too, unless log_dir is elsewhere

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def watch(cluster: Cluster) -> None:
    """Until nginx exits: a shard that exits is started again on its file (it comes back with its
    networks); one that exits again within RESTART_GRACE seconds of starting stops everything."""
    started = [float("-inf")] * cluster.count  # when the watcher last started each
    while cluster.nginx.poll() is None:
        time.sleep(0.5)
        for shard, process in enumerate(cluster.shards):
            if process.poll() is None:
                continue
            if time.monotonic() - started[shard] < RESTART_GRACE:
                raise RuntimeError(f"shard {shard} keeps exiting:\n{tail(cluster.shard_log(shard))}")
            print(f"run-cluster: shard {shard} exited with code {process.returncode}; starting it again",
                  file=sys.stderr, flush=True)
            cluster.start_shard(shard, wait=False)
            started[shard] = time.monotonic()
    raise RuntimeError(f"nginx exited:\n{tail(Path(cluster.run_dir) / 'error.log')}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="run-cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shards", type=int, default=2, help="server processes (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="nginx's port (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="address nginx and the shards bind (default: %(default)s)")
    parser.add_argument("--db-dir", default=None, help="folder of the shards' SQLite files")
    parser.add_argument("--render", action="store_true", help="print the nginx configuration and exit")
    parser.add_argument("--upstream", action="append", default=[], metavar="HOST:PORT",
                        help="with --render: shard i's address, once per shard in order")
    parser.add_argument("--run-dir", default="/run/backprop-playground",
                        help="with --render: where nginx keeps its pid, temporary files and error log")
    args = parser.parse_args(argv)
    if not 1 <= args.shards <= ids.MAX_SHARDS:
        parser.error(f"--shards must be between 1 and {ids.MAX_SHARDS}")
    if args.render:
        upstreams = args.upstream or [f"127.0.0.1:{args.port + 1 + i}" for i in range(args.shards)]
        print(render(upstreams, f"{args.host}:{args.port}", args.run_dir))
        return
    cluster = Cluster(args.shards, args.port, args.host, args.db_dir)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"Backprop Playground: {args.shards} shards behind nginx\n  open      {cluster.url}/\n"
              f"  shards    {', '.join(cluster.shard_url(i) for i in range(args.shards))}\n"
              f"  databases {cluster.db_dir}\n  Ctrl-C stops them all", flush=True)
        watch(cluster)
    except KeyboardInterrupt:
        pass
    except RuntimeError as exc:
        print(f"run-cluster: {exc}", file=sys.stderr)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()

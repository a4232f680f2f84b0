"""The command line: its options, its version, what it prints at startup, one server per database."""
from __future__ import annotations

import gc
import subprocess
import sys
from importlib.metadata import version

import pytest

from app import __version__, cli
from app.cli import parse_args, urls
from tests.server_process import ServerProcess, free_port


def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout)


def test_cli_help_names_every_option_with_its_default():
    out = run_cli("--help")
    assert out.returncode == 0
    for option in ("--host", "--port", "--db", "--open", "--version", "--log-level", "--no-access-log"):
        assert option in out.stdout
    assert "(default: 8000)" in out.stdout and "(default: 127.0.0.1)" in out.stdout
    assert "(default: info)" in out.stdout and "networks.sqlite3" in out.stdout
    assert "(default: None)" not in out.stdout and "(default: False)" not in out.stdout


def test_version_is_the_package_metadata():
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"backprop-playground {version('backprop-playground')}"
    assert __version__ == version("backprop-playground")


def test_log_options_parse():
    args = parse_args(["--log-level", "warning", "--no-access-log"])
    assert (args.log_level, args.access_log) == ("warning", False)
    assert parse_args([]).access_log is True


def test_urls_on_every_interface_start_with_this_machine():
    assert urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]
    assert urls("::1", 8001) == ["http://[::1]:8001/"]
    lan = urls("0.0.0.0", 8000)
    assert lan[0] == "http://127.0.0.1:8000/"
    assert all(u.startswith("http://") and u.endswith(":8000/") and "127." not in u for u in lan[1:])


@pytest.mark.slow
def test_second_server_on_one_database_is_refused_and_a_killed_ones_lock_is_not_stale(tmp_path):
    db = tmp_path / "one.sqlite3"
    first = ServerProcess(db).start()
    try:
        assert f"database  {db}" in first.output()
        assert f"open      http://127.0.0.1:{first.port}/" in first.output()
        second = run_cli("--port", str(free_port()), "--db", str(db))
        assert second.returncode == 1
        assert second.stderr.strip() == (
            f"backprop-playground: another Backprop Playground server (pid {first.process.pid}) is using {db}; "
            f"stop it first, or give this one its own file with --db")
    finally:
        first.kill()
    with ServerProcess(db) as restarted:  # kill -9 left the lock file, not the lock
        assert restarted.process.poll() is None


def test_the_server_runs_with_a_quieter_cycle_collector(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: seen.update(threshold=gc.get_threshold(),
                                                                    frozen=gc.get_freeze_count()))
    before = gc.get_threshold()
    try:
        cli.main(["--db", str(tmp_path / "gc.sqlite3")])
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
    assert seen["threshold"][0] == cli.GC_EVERY > before[0] and seen["frozen"] > 1000

"""The command line: the server entry point exists and names its options."""
import subprocess
import sys


def test_cli_help_names_every_option():
    out = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True)
    for option in ("--host", "--port", "--db", "--open"):
        assert option in out.stdout

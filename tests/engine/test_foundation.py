"""The engine stays free of web code: importing every module loads no web framework."""
import subprocess
import sys


def test_engine_imports_no_web_code():
    code = (
        "import sys, engine, pkgutil, importlib\n"
        "for m in pkgutil.iter_modules(engine.__path__):\n"
        "    importlib.import_module('engine.' + m.name)\n"
        "bad = [m for m in ('fastapi', 'starlette', 'pydantic', 'jinja2', 'uvicorn', 'app') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


"""The engine stays free of web code, and says every refusal with its own exception type."""
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



def test_every_refusal_the_engine_writes_is_an_engine_error():
    """The server shows an EngineError's words and hides any other ValueError's, so a refusal raised
    as a bare ValueError would reach people as a generic message."""
    import re
    from pathlib import Path

    import engine
    from engine.errors import EngineError

    assert issubclass(EngineError, ValueError)
    bare = [f"{path.name}:{n}" for path in sorted(Path(engine.__file__).parent.glob("*.py"))
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if re.search(r"raise (ValueError|TypeError|KeyError)\(", line)]
    assert bare == []

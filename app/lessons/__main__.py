"""`python -m app.lessons FILE…`: check lesson files; prints each file's problems, exits 1 if any."""
import sys
from pathlib import Path

from app.lessons import LessonError, parse


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths or [str(p) for p in sorted(Path(__file__).parent.glob("*.json"))]:
        try:
            lesson = parse(Path(path).name, Path(path).read_text(encoding="utf-8"))
            print(f"{Path(path).name}: ok ({len(lesson.steps)} steps)")
        except LessonError as exc:
            print(exc)
            failed += 1
        except OSError as exc:
            print(f"{path}: cannot read it ({exc.strerror})")
            failed += 1
    return 1 if failed else 0


sys.exit(main(sys.argv[1:]))

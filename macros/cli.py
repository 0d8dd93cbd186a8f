"""Command line: ``python -m macros.cli check`` validates all of data/ and prose/.

Prints every problem as ``file:line: record: field: message`` (and, under
GitHub Actions, as ``::error`` annotations too) and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import format_problems, in_github_actions
from .atlas import check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate data/ and prose/")
    p_check.add_argument("--root", default=".", help="project root (default: .)")
    p_schemas = sub.add_parser("schemas", help="regenerate data/_schemas/ from the models")
    p_schemas.add_argument("--root", default=".", help="project root (default: .)")
    p_schemas.add_argument("--check", action="store_true", help="only report stale schemas (exit 1)")
    p_archive = sub.add_parser("archive", help="zip a site built for file:// into dist/")
    p_archive.add_argument("--site", required=True, help="the offline build")
    p_archive.add_argument("--out", default="dist", help="folder for the zip")
    p_archive.add_argument("--root", default=".", help="project root (default: .)")
    args = parser.parse_args(argv)

    if args.command == "schemas":
        from .schema import SCHEMA_DIR, schema_texts, write_schemas

        if args.check:
            folder = Path(args.root) / SCHEMA_DIR
            stale = [n for n, t in schema_texts().items() if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != t]
            for name in stale:
                print(f"data/_schemas/{name} is stale: run make schemas", file=sys.stderr)
            return 1 if stale else 0
        changed = write_schemas(Path(args.root))
        print("\n".join(f"updated data/_schemas/{n}" for n in changed) or "schemas up to date")
        return 0

    if args.command == "archive":
        import tomllib

        from .archive import make_zip, readme
        from .atlas import load_atlas

        root = Path(args.root)
        version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        top = f"fusion-atlas-{version}"
        out = make_zip(Path(args.site), Path(args.out) / f"{top}.zip", top, {"README.txt": readme(load_atlas(root), version)})
        print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
        return 0

    if args.command == "check":
        start = time.perf_counter()
        problems = check(Path(args.root))
        elapsed = time.perf_counter() - start
        if problems:
            print(format_problems(problems), file=sys.stderr)
            if in_github_actions():
                for p in problems:
                    print(p.as_github_annotation())
            return 1
        print(f"data OK ({elapsed:.2f} s)")
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

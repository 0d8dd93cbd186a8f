"""Command line: ``python -m macros.cli check`` validates all of data/ and prose/.

Prints every problem as ``file:line: record: field: message`` (and, under
GitHub Actions, as ``::error`` annotations too) and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .core.errors import DataError, format_problems, in_github_actions
from .core.atlas import check


def _release(args) -> int:
    from .core import facts
    from .core.atlas import load_atlas

    root = Path(args.root)
    if args.raw:
        version, date, table, records = args.raw, *facts.raw_release(root)
    else:
        try:
            atlas = load_atlas(root)
        except DataError as err:
            print(format_problems(err.problems), file=sys.stderr)
            return 1
        version, date, table = atlas.version, atlas.data_date, facts.atlas_fact_table(atlas)
        records = {f"{atlas.kind_of[rid]}/{rid}" for rid in atlas.kind_of}
    out = Path(args.out or args.root) / facts.RELEASES_DIR / f"{version}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(facts.release_json(version, date, table, records), encoding="utf-8")
    print(f"wrote {out}: {len(table)} facts of {len(records)} records, data as of {date}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate data/ and prose/")
    p_check.add_argument("--root", default=".", help="project root (default: .)")
    p_schemas = sub.add_parser("schemas", help="regenerate data/_schemas/ from the models")
    p_schemas.add_argument("--root", default=".", help="project root (default: .)")
    p_schemas.add_argument("--check", action="store_true", help="only report stale schemas (exit 1)")
    p_build = sub.add_parser("build", help="build the site (strict) and replace --site atomically, one build at a time")
    p_build.add_argument("--site", default="site", help="output folder (default: site)")
    p_build.add_argument("--offline", action="store_true", help="build for file:// (FUSION_ATLAS_OFFLINE=true)")
    p_archive = sub.add_parser("archive", help="build the site for file:// and zip it into dist/, replaced atomically")
    p_archive.add_argument("--site", help="zip this offline build instead of building one")
    p_archive.add_argument("--out", default="dist", help="folder for the zip")
    p_zim = sub.add_parser("zim", help="build the site for file:// and write it as a ZIM file (Kiwix) into dist/, replaced atomically")
    p_zim.add_argument("--site", help="write this offline build instead of building one")
    p_zim.add_argument("--out", default="dist", help="folder for the ZIM")
    for p in (p_build, p_archive, p_zim):
        p.add_argument("--root", default=".", help="project root (default: .)")
        p.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                       help="how long to wait for another build before giving up (default: an hour)")
    p_release = sub.add_parser("release", help="keep this release's facts in data/_releases/<version>.json (the Data page lists what changed since)")
    p_release.add_argument("--root", default=".", help="project root (default: .)")
    p_release.add_argument("--raw", metavar="VERSION",
                           help="read --root's YAML as it is, without the current model (an older release checked out there)")
    p_release.add_argument("--out", help="project whose data/_releases/ receives it (default: --root)")
    args = parser.parse_args(argv)

    if args.command == "release":
        return _release(args)

    if args.command == "schemas":
        from .publish.schema import SCHEMA_DIR, schema_texts, write_schemas

        if args.check:
            folder = Path(args.root) / SCHEMA_DIR
            stale = [n for n, t in schema_texts().items() if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != t]
            for name in stale:
                print(f"data/_schemas/{name} is stale: run make schemas", file=sys.stderr)
            return 1 if stale else 0
        changed = write_schemas(Path(args.root))
        print("\n".join(f"updated data/_schemas/{n}" for n in changed) or "schemas up to date")
        return 0

    if args.command in ("build", "archive", "zim"):
        from .publish import build as publish

        wait = publish.DEFAULT_WAIT if args.wait is None else args.wait
        try:
            with publish.exit_on_signals():
                if args.command == "build":
                    publish.publish_site(Path(args.site), Path(args.root), offline=args.offline, wait=wait)
                    print(f"{args.site.rstrip('/')}/ built")
                    return 0
                import tomllib

                from .publish.archive import data_date, make_zip, readme
                from .core.atlas import load_atlas

                root = Path(args.root)
                version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
                top = f"fusion-atlas-{version}"
                atlas = load_atlas(root, index=False)
                if args.command == "zim":
                    from .publish.zim import write_zim, zim_name

                    date = data_date(atlas)
                    name = zim_name(date)

                    def write(site: Path, out: Path) -> Path:
                        return write_zim(site, out, date=date, version=version)
                else:
                    name = f"{top}.zip"

                    def write(site: Path, out: Path) -> Path:
                        return make_zip(site, out, top, {"README.txt": readme(atlas, version)})

                out = publish.publish_archive(Path(args.out), name, write, root,
                                              site=Path(args.site) if args.site else None, wait=wait)
                shown = Path(args.out) / out.name
                print(f"{shown} ({out.stat().st_size / 1e6:.1f} MB)")
                return 0
        except DataError as e:
            print(format_problems(e.problems), file=sys.stderr)
            return 1
        except publish.BuildFailed as e:
            print(f"{args.command}: {e}", file=sys.stderr)
            return e.returncode if 0 < e.returncode < 128 else 1
        except publish.LockTimeout as e:
            print(f"{args.command}: {e}", file=sys.stderr)
            return 1
        except publish.Interrupted as e:
            print(f"{args.command}: interrupted by {e}; nothing partial was published", file=sys.stderr)
            return 128 + e.signum
        except OSError as e:
            print(f"{args.command}: {e}; the previous output is unchanged", file=sys.stderr)
            return 1

    if args.command == "check":
        start = time.perf_counter()
        from .render.blocks import BLOCKS

        problems = check(Path(args.root), blocks=BLOCKS)
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

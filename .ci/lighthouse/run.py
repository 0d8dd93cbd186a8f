"""Lighthouse's accessibility score of a page of every type, both languages, mobile and desktop
(`make lighthouse`). Prints one line per page and form factor; exits 1 if any score is below
MIN_SCORE (issue #17 asks for 98).

Lighthouse (pinned in package-lock.json next to this file) is installed by `npm ci` into
.cache/lighthouse and drives Debian's Chromium; the site is served from site/ on 127.0.0.1.
Nothing else is fetched. The tests (tests/test_a11y.py) run axe-core, the engine of this
audit, on the same pages; this adds Lighthouse's own weighting and score.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, serve  # noqa: E402
from test_a11y import PAGES  # noqa: E402

MIN_SCORE = 98
FLAGS = "--headless --no-sandbox --disable-gpu"


def lighthouse_bin() -> Path:
    prefix = ROOT / ".cache" / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    lock = HERE / "package-lock.json"
    stamp = prefix / ".installed"
    if not binary.exists() or not stamp.exists() or stamp.read_text() != lock.read_text():
        prefix.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            (prefix / name).write_text((HERE / name).read_text())
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=prefix, check=True)
        stamp.write_text(lock.read_text())
    return binary


def score(binary: Path, url: str, desktop: bool) -> tuple[int, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        args = [str(binary), url, "--only-categories=accessibility", f"--chrome-flags={FLAGS}",
                "--output=json", f"--output-path={out}", "--quiet"]
        if desktop:
            args.append("--preset=desktop")
        subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
        report = json.loads(out.read_text())
    failed = [name for name, audit in report["audits"].items()
              if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0]
    return round(report["categories"]["accessibility"]["score"] * 100), failed


def main() -> int:
    site = ROOT / "site"
    if not (site / "index.html").exists():
        print("no site/: run make build first", file=sys.stderr)
        return 2
    binary = lighthouse_bin()
    url, server = serve(site)
    worst = 100
    try:
        for lang in ("", "zh/"):
            for path in PAGES:
                for desktop in (False, True):
                    value, failed = score(binary, url + lang + path, desktop)
                    worst = min(worst, value)
                    print(f"{value:4d}  {'desktop' if desktop else 'mobile ':7s}  /{lang}{path}  {' '.join(failed)}", flush=True)
    finally:
        server.shutdown()
    print(f"lowest accessibility score: {worst} (target >= {MIN_SCORE})")
    return 0 if worst >= MIN_SCORE else 1


if __name__ == "__main__":
    sys.exit(main())

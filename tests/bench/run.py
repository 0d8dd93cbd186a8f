"""Benchmark of Fusion Atlas at 1x, 10x and 100x the data (`make bench`).

Prints a table and writes it to docs/benchmark.md (and .zh.md) with the
machine it ran on. Measures, for each scale: validation alone, a full build
(both languages) with its peak RSS, output size and page count; at 1x also
the data layer's overhead against a plain build of the same pages already
rendered to Markdown, page weight, archive and search index size, and the
time from saving a YAML edit to the reloaded page under `serve`.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.synth import generate  # noqa: E402
from conftest import make_project  # noqa: E402

PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")


def timed(cmd, cwd, env=None) -> tuple[float, int, str]:
    """Wall time (s) and peak RSS (KiB) of a command, via GNU time if present."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    if os.path.exists(gnu_time):
        result = subprocess.run([gnu_time, "-f", "%M", *cmd], cwd=cwd, env=env or ENV, capture_output=True, text=True)
        rss = int(result.stderr.strip().splitlines()[-1]) if result.returncode == 0 else 0
    else:  # pragma: no cover
        result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
        rss = 0
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, rss, result.stdout


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def project_at(scale: int, work: Path) -> Path:
    project = make_project(work / f"x{scale}")
    if scale > 1:
        generate(ROOT, project, scale)
    return project


def build(project: Path, out: Path) -> dict:
    shutil.rmtree(project / ".cache", ignore_errors=True)  # cold: no cache of any kind
    t_check, _, _ = timed([PY, "-m", "macros.cli", "check", "--root", "."], project)
    t_check_warm, _, _ = timed([PY, "-m", "macros.cli", "check", "--root", "."], project)  # style results cached
    shutil.rmtree(project / ".cache", ignore_errors=True)
    t_build, rss, _ = timed([PY, "-m", "mkdocs", "build", "--strict", "-d", str(out)], project)
    t_warm, _, _ = timed([PY, "-m", "mkdocs", "build", "--strict", "-d", str(out)], project)
    pages = list(out.rglob("*.html"))
    return {"check": t_check, "check_warm": t_check_warm, "build": t_build, "warm": t_warm, "rss": rss, "size": size_of(out), "pages": len(pages)}


def plain_project(project: Path, work: Path) -> Path:
    """The same site with every macro call already rendered into static Markdown."""
    from macros.render import markdown as render
    from macros.core.atlas import load_atlas
    from macros.render.blocks import BLOCKS

    plain = work / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(project, plain, ignore=shutil.ignore_patterns("__pycache__"))
    atlas = load_atlas(plain)
    call = re.compile(r"\{\{\s*(\w+)\((.*?)\)\s*\}\}")
    for md in (plain / "docs").rglob("*.md"):
        lang = "zh" if md.name.endswith(".zh.md") else "en"
        text = md.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}\n?", "", text, flags=re.S)

        def expand(m):
            args = [a.strip().strip("\"'") for a in m.group(2).split(",") if a.strip()]
            if m.group(1) == "entity_page":
                return render.entity_page(atlas, *args, lang=lang)
            block = BLOCKS[m.group(1)]
            if "page_id" in inspect.signature(block).parameters:  # as the adapter binds it: the page's file name
                return block(atlas, *args, lang=lang, page_id=md.name.split(".", 1)[0])
            return block(atlas, *args, lang=lang)

        md.write_text(call.sub(expand, text), encoding="utf-8")
    config = (plain / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"  - macros:\n(?:      .*\n)+", "", config)
    config = re.sub(r"hooks:\n(?:  - .*\n)+", "", config)  # no pre-rendering either: plain MkDocs
    (plain / "mkdocs.yml").write_text(config, encoding="utf-8")
    return plain


def serve_latency(project: Path, only_lang: str = "") -> float:
    """Seconds from saving a YAML edit to the served page showing it."""
    port = 8765 if not only_lang else 8766
    env = dict(ENV, FUSION_ATLAS_ONLY_LANG=only_lang) if only_lang else ENV
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--strict", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/devices/jet/"
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        path = project / "data" / "devices" / "jet.yaml"
        text = path.read_text(encoding="utf-8")
        # An edit a reader sees: JET's toroidal field, 3.5 T -> 3.6 T.
        new = text.replace("  toroidal_field:\n    value: 3.5\n", "  toroidal_field:\n    value: 3.6\n")
        assert new != text, "benchmark edit not applicable"
        start = time.perf_counter()
        path.write_text(new, encoding="utf-8")
        while time.perf_counter() - start < 120:
            try:
                if "3.6 T" in urllib.request.urlopen(url, timeout=5).read().decode("utf-8"):
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.05)
        return float("nan")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmark.md"))
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    rows, extra = [], {}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        work = Path(tmp)
        for scale in scales:
            project = project_at(scale, work)
            records = sum(1 for _ in (project / "data").glob("*/[!_]*.yaml"))
            result = build(project, work / f"site-x{scale}")
            result.update(scale=scale, records=records)
            rows.append(result)
            print(f"x{scale}: {result}", flush=True)
            if scale in (1, 10):  # the offline editions: the zip at 1x, the ZIM at 1x and 10x (its growth)
                env = dict(ENV, FUSION_ATLAS_OFFLINE="true")
                offline = work / f"offline-x{scale}"
                timed([PY, "-m", "mkdocs", "build", "--strict", "-d", str(offline)], project, env)
                from macros.publish.zim import write_zim

                zim = write_zim(offline, work / "dist" / f"x{scale}.zim", date="2026-01-01", version="bench")
                extra[f"zim_x{scale}"] = zim.stat().st_size
            if scale == 1:
                site = work / "site-x1"
                plain = plain_project(project, work)
                # A few seconds each, and a few tenths apart from run to run: the overhead
                # compares medians of three builds (the cold one above and two more).
                colds = [result["build"]]
                for _ in range(2):
                    shutil.rmtree(project / ".cache", ignore_errors=True)
                    colds.append(timed([PY, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site-cold")], project)[0])
                plains = [timed([PY, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site-plain")], plain)[0]
                          for _ in range(3)]
                t_plain = statistics.median(plains)
                pages = [p for p in site.rglob("*.html")]
                sizes = sorted(p.stat().st_size for p in pages)
                extra["overhead_cold"] = statistics.median(colds) / t_plain
                extra["overhead_warm"] = result["warm"] / t_plain
                extra["plain"] = t_plain
                extra["spread"] = (min(colds), max(colds), min(plains), max(plains))
                extra["median_page"] = statistics.median(sizes)
                extra["largest_page"] = (sizes[-1], max(pages, key=lambda p: p.stat().st_size).relative_to(site).as_posix())
                extra["search_index"] = (site / "search" / "search_index.json").stat().st_size
                from macros.publish.archive import make_zip

                archive = make_zip(work / "offline-x1", work / "dist" / "a.zip", "fusion-atlas", {})
                extra["archive"] = archive.stat().st_size
                extra["serve"] = serve_latency(project)
                extra["serve_one"] = serve_latency(project, "en")
    report = format_report(rows, extra)
    print(report)
    out = Path(args.out)
    for path, text in ((out, report), (out.with_name(out.stem + ".zh.md"), format_report_zh(report))):
        # The analysis below the marker is written by hand: keep it.
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        kept = old[old.index(HAND_MARKER):] if HAND_MARKER in old else ""
        path.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    return 0


HAND_MARKER = "{# Below: written by hand (make bench keeps it) #}"

ZH = [
    ("# Benchmark", "# 性能基准"),
    ("Measured by `make bench` on", "由 `make bench` 测得，日期"),
    (" cores", " 核"),
    ("Synthetic data at 10x and 100x copies every record but the eras with its cross-references (`tests/bench/synth/`); "
     "every build is strict, in both languages. Cold: with no `.cache/` (a fresh clone); warm: "
     "with the caches of the previous run (style results, rendered pages, charts).",
     "10倍和100倍的合成数据复制除时代外的每条记录及其交叉引用（`tests/bench/synth/`）；每次构建均为严格模式、包含两种语言。"
     "冷：没有 `.cache/`（全新克隆）；热：使用上一次运行的缓存（样式检查结果、已渲染页面、图表）。"),
    ("| data | records | validation (`make check`), cold / warm | full build, cold | rebuild, warm | peak RSS | output | pages |",
     "| 数据 | 记录数 | 校验（`make check`），冷 / 热 | 完整构建（冷） | 重建（热） | 峰值内存 | 输出大小 | 页面数 |"),
    ("- Growth:", "- 增长："), ("(target ≤ 11)", "（目标 ≤ 11）"),
    ("- Data layer overhead:", "- 数据层开销："), ("cold,", "（冷），"), ("warm, with the caches of the previous build", "（热，使用上一次构建的缓存）"),
    ("plain MkDocs build of the same pages already rendered to Markdown, without macros or pre-rendering:",
     "相同页面已渲染为Markdown、不用宏也不预渲染的普通MkDocs构建："), ("target ≤ 1.10x", "目标 ≤ 1.10倍"),
    ("Cold and plain are medians of three builds: cold", "冷构建与普通构建均取三次构建的中位数：冷构建"),
    (" s, plain ", " 秒，普通构建 "), (" to ", " 至 "),
    ("- Page weight at 1x: median page", "- 1倍数据时的页面大小：中位数"), ("(target ≤ 60 KB); largest", "（目标 ≤ 60 KB）；最大"),
    ("- Offline archive at 1x:", "- 1倍数据时的离线档案："), ("(target ≤ 10 MB); search index", "（目标 ≤ 10 MB）；搜索索引"),
    ("- Kiwix edition (ZIM) at 1x:", "- 1倍数据时的Kiwix版（ZIM）："), ("(target ≤ 15 MB)", "（目标 ≤ 15 MB）"),
    ("; at 10x:", "；10倍数据时："),
    ("- Kiwix edition (ZIM) at 10x:", "- 10倍数据时的Kiwix版（ZIM）："), ("(target ≤ 15 MB at 1x)", "（1倍数据时目标 ≤ 15 MB）"),
    ("- A YAML edit visible under `make serve` after", "- 在 `make serve` 下保存YAML修改后页面更新用时"),
    ("at 1x with both languages,", "（1倍数据，两种语言），"), ("with `make serve SERVE_LANG=en`", "（`make serve SERVE_LANG=en`）"),
    ("(target ≤ 3 s)", "（目标 ≤ 3秒）"),
]


def format_report_zh(report: str) -> str:
    for en, zh in ZH:
        report = report.replace(en, zh)
    return report


def format_report(rows: list[dict], extra: dict) -> str:
    mb = lambda b: f"{b / 1e6:.1f} MB"  # noqa: E731
    lines = [
        "# Benchmark",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()}. Synthetic data at 10x and 100x copies every record "
        "but the eras with its cross-references (`tests/bench/synth/`); "
        "every build is strict, in both languages. Cold: with no `.cache/` (a fresh clone); warm: "
        "with the caches of the previous run (style results, rendered pages, charts).",
        "",
        "| data | records | validation (`make check`), cold / warm | full build, cold | rebuild, warm | peak RSS | output | pages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']}x | {r['records']:,} | {r['check']:.2f} s / {r['check_warm']:.2f} s | {r['build']:.1f} s | {r['warm']:.1f} s | "
            f"{r['rss'] / 1024:.0f} MiB | {mb(r['size'])} | {r['pages']:,} |"
        )
    by = {r["scale"]: r for r in rows}
    lines.append("")
    if 10 in by and 100 in by:
        lines.append(f"- Growth: t(100x) / t(10x) = {by[100]['build'] / by[10]['build']:.1f} (target ≤ 11).")
    if "zim_x10" in extra and "zim_x1" not in extra:  # (make bench SCALES=10,100)
        lines.append(f"- Kiwix edition (ZIM) at 10x: {mb(extra['zim_x10'])} (target ≤ 15 MB at 1x).")
    if "overhead_cold" in extra:  # the figures measured at 1x
        lines += [
            f"- Data layer overhead: {extra['overhead_cold']:.2f}x cold, {extra['overhead_warm']:.2f}x warm, with the caches "
            f"of the previous build (plain MkDocs build of the same pages already rendered to Markdown, without macros or "
            f"pre-rendering: {extra['plain']:.1f} s; target ≤ 1.10x). Cold and plain are medians of three builds: "
            f"cold {extra['spread'][0]:.1f} to {extra['spread'][1]:.1f} s, plain {extra['spread'][2]:.1f} to {extra['spread'][3]:.1f} s.",
            f"- Page weight at 1x: median page {extra['median_page'] / 1000:.0f} KB (target ≤ 60 KB); largest "
            f"{extra['largest_page'][0] / 1000:.0f} KB (`{extra['largest_page'][1]}`).",
            f"- Offline archive at 1x: {mb(extra['archive'])} (target ≤ 10 MB); search index {mb(extra['search_index'])}.",
            f"- Kiwix edition (ZIM) at 1x: {mb(extra['zim_x1'])} (target ≤ 15 MB)"
            + (f"; at 10x: {mb(extra['zim_x10'])} ({extra['zim_x10'] / extra['zim_x1']:.1f}x)" if "zim_x10" in extra else "")
            + ".",
            f"- A YAML edit visible under `make serve` after {extra['serve']:.1f} s at 1x with both languages, "
            f"{extra['serve_one']:.1f} s with `make serve SERVE_LANG=en` (target ≤ 3 s).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())

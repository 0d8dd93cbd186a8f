"""A hostile corpus: what a careless or hostile pull request may hold, and what happens.

Each case changes a copy of the good fixture and asserts the complete list of
problems that ``make check`` prints (file:line: record: field: message), or the
safe outcome. None may raise, read a file outside the repository, or pass silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from macros.core.atlas import check, load_atlas
from macros.core.errors import DataError
from macros.render.blocks import BLOCKS

JET = "data/devices/jet.yaml"
EU = "data/members/eu.yaml"
SRC = "data/sources/src-a.yaml"
PROSE = "prose/devices/jet.md"
EVENT = "data/events/2034-iter-sro.yaml"


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------


def replace(rel: str, old: str, new: str):
    def apply(root: Path):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def append(rel: str, text: str):
    def apply(root: Path):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return apply


def write(rel: str, content: str | bytes):
    def apply(root: Path):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


def symlink(rel: str, target: str):
    def apply(root: Path):
        path = root / rel
        if path.exists() or path.is_symlink():
            path.unlink() if not path.is_dir() or path.is_symlink() else shutil.rmtree(path)
        os.symlink(target, path)

    return apply


def mkdir(rel: str):
    return lambda root: (root / rel).mkdir(parents=True)


def fifo(rel: str):
    return lambda root: os.mkfifo(root / rel)


def person(extra: str):
    """A person record citing src-a (people are not in the good fixture)."""
    return write("data/people/ada.yaml", "id: ada\nname: {en: Ada Example, zh: 示例}\n" + extra)


def device(rid: str, extra: str):
    return write(f"data/devices/{rid}.yaml", f"id: '{rid}'\nname: {{en: Device {rid}, zh: 装置}}\nkind: tokamak\nstatus: retired\n" + extra)


def both(*mutations):
    def apply(root: Path):
        for m in mutations:
            m(root)

    return apply


def radius(value: str, unit: str = "m"):
    return replace(JET, "major_radius: {value: 2.96, unit: m,", f"major_radius: {{value: {value}, unit: {unit},")


def record(metric: str, value: str, unit: str, extra: str = ""):
    return replace(JET, "  - {metric: fusion_power, value: 16, unit: MW,",
                   f"  - {{metric: {metric}, value: {value}, unit: {unit},{extra}")


def eu_name(en: str):
    return replace(EU, "name: {en: European Union,", f"name: {{en: {en},")


LINE = "data/devices/jet.yaml:12: jet: parameters.major_radius"
REC = "data/devices/jet.yaml:15: jet: records.0"

# --------------------------------------------------------------------------
# The corpus: (id, mutation, every problem make check reports)
# --------------------------------------------------------------------------

LINK = "links are not allowed in data/, prose/ or docs/: commit the file itself"
TEXT_ONLY = "raw HTML is not allowed in prose; write Markdown (and write < as &lt;)"
REMOTE = "images must be files shipped with the site, not loaded from another host"
ATTRS = "attribute lists ({: ... }) are not allowed in prose: text cannot set classes, styles or handlers"
ONLY_BLOCKS = ("a page may only call a block, alone on its line, e.g. {{ devices_table() }}; blocks are: cite_atlas, "
               "configuration_devices, configurations_table, counts, data_changes, device_comparison, device_counts, devices_map, "
               "devices_table, disagreements, downloads, eras_table, members_table, organisations_table, people_table, "
               "programme_timeline, references, shares, sites_map, sites_table, stale_facts, timeline "
               "(other Jinja would run at build time)")
DEEP = "the data nests more than 24 levels deep; records are flat mappings of fields"

CASES = [
    # 1. Nothing outside the repository is read: links and special files are refused by path.
    ("prose-link-git-config", symlink(PROSE, "../../.git/config"),
     [f"prose/devices/jet.md:1: jet: is a symbolic link (to '../../.git/config'); {LINK}",
      "prose/devices/jet.zh.md:1: jet: has no English version; write prose/devices/jet.md"]),
    ("prose-link-proc-environ", symlink(PROSE, "/proc/self/environ"),
     [f"prose/devices/jet.md:1: jet: is a symbolic link (to '/proc/self/environ'); {LINK}",
      "prose/devices/jet.zh.md:1: jet: has no English version; write prose/devices/jet.md"]),
    ("prose-link-etc-passwd-new-name", symlink("prose/devices/iter.md", "/etc/passwd"),
     [f"prose/devices/iter.md:1: iter: is a symbolic link (to '/etc/passwd'); {LINK}"]),
    ("data-link-outside", symlink("data/devices/tftr.yaml", "/etc/hostname"),
     [f"data/devices/tftr.yaml:1: tftr: is a symbolic link (to '/etc/hostname'); {LINK}"]),
    ("data-link-inside", symlink("data/devices/jet2.yaml", "jet.yaml"),
     [f"data/devices/jet2.yaml:1: jet2: is a symbolic link (to 'jet.yaml'); {LINK}"]),
    ("data-folder-link", symlink("data/people", "/etc"),
     [f"data/people:1: people: is a symbolic link (to '/etc'); {LINK}"]),
    ("docs-file-link", symlink("docs/secret.md", "/etc/passwd"),
     [f"docs/secret.md:1: secret: is a symbolic link (to '/etc/passwd'); {LINK}"]),
    ("docs-folder-link", symlink("docs/leak", "/etc"),
     [f"docs/leak:1: leak: is a symbolic link (to '/etc'); {LINK}"]),
    ("prose-folder-link", symlink("prose/sites", "/etc"),
     [f"prose/sites:1: sites: is a symbolic link (to '/etc'); {LINK}"]),
    ("symlink-loop", symlink("data/devices/loop.yaml", "loop.yaml"),
     [f"data/devices/loop.yaml:1: loop: is a symbolic link (to 'loop.yaml'); {LINK}"]),
    ("dangling-symlink", symlink("data/devices/gone.yaml", "nowhere.yaml"),
     [f"data/devices/gone.yaml:1: gone: is a symbolic link (to 'nowhere.yaml'); {LINK}"]),
    ("fifo-in-data", fifo("data/devices/pipe.yaml"),
     ["data/devices/pipe.yaml:1: pipe: is not a regular file; commit plain files only"]),
    ("folder-named-yaml", mkdir("data/devices/x.yaml"),
     ["data/devices/x.yaml:1: x: is a folder; a record is one file, data/<kind>/<id>.yaml"]),
    ("upper-case-suffix", write("data/devices/tftr.YAML", "id: tftr\n"),
     ["data/devices/tftr.YAML:1: tftr: data files must end in .yaml, not .YAML"]),
    ("mixed-case-suffix", write("data/devices/tftr.Yaml", "id: tftr\n"),
     ["data/devices/tftr.Yaml:1: tftr: data files must end in .yaml, not .Yaml"]),
    ("yml-suffix", write("data/devices/tftr.yml", "id: tftr\n"),
     ["data/devices/tftr.yml:1: tftr: data files must end in .yaml, not .yml"]),
    # 5. Malformed files: one problem each, never a traceback, no style noise.
    ("data-not-utf8", write("data/sources/latin.yaml", b"id: latin\ntitle: caf\xe9\n"),
     ["data/sources/latin.yaml:2: latin: the file is not valid UTF-8 (invalid continuation byte at byte 20); save it as UTF-8"]),
    ("prose-not-utf8", write(PROSE, b"JET \xff\xfe at Culham.\n"),
     ["prose/devices/jet.md:1: jet: the file is not valid UTF-8 (invalid start byte at byte 4); save it as UTF-8",
      "prose/devices/jet.zh.md:1: jet: has no English version; write prose/devices/jet.md"]),
    ("data-bom", write("data/sources/bom.yaml", "\ufeffid: bom\n"),
     ["data/sources/bom.yaml:1: bom: the file starts with a byte-order mark; save it as UTF-8 without BOM"]),
    ("prose-bom", write("prose/devices/iter.md", "\ufeffITER.\n"),
     ["prose/devices/iter.md:1: iter: the file starts with a byte-order mark; save it as UTF-8 without BOM"]),
    ("data-binary", write("data/sources/bin.yaml", b"id: bin\n\x00\x01\x02"),
     ["data/sources/bin.yaml:1: bin: the file is binary (it holds NUL bytes); data and prose are UTF-8 text"]),
    ("data-too-large", write("data/sources/big.yaml", "id: big\n" + "# x\n" * 300_000),
     ["data/sources/big.yaml:1: big: the file is 1,200,008 bytes; at most 1,000,000 are allowed"]),
    ("prose-too-large", write("prose/devices/iter.md", "word " * 50_000),
     ["prose/devices/iter.md:1: iter: the file is 250,000 bytes; at most 200,000 are allowed"]),
    ("nested-500", write("data/sources/deep.yaml", "id: deep\nx: " + "[" * 500 + "]" * 500 + "\n"),
     [f"data/sources/deep.yaml:2: deep: {DEEP}"]),
    ("nested-100kb", write("data/sources/deep.yaml", "id: deep\nx: " + "[" * 100_000 + "\n"),
     [f"data/sources/deep.yaml:2: deep: {DEEP}"]),
    ("nested-mappings", write("data/sources/deep.yaml", "id: deep\nx: " + "{a: " * 40 + "1" + "}" * 40 + "\n"),
     [f"data/sources/deep.yaml:2: deep: {DEEP}"]),
    ("nested-blocks", write("data/sources/deep.yaml", "id: deep\n" + "".join(" " * (2 * i) + "a:\n" for i in range(40)) + " " * 80 + "b: 1\n"),
     [f"data/sources/deep.yaml:26: deep: {DEEP}"]),
    ("syntax-error-no-style-noise", write("data/sources/broken.yaml", "id: broken\ntitle: [unclosed\n" + "x:   1\n" * 140),
     ["data/sources/broken.yaml:3: broken: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"]),
    ("duplicate-key-no-style-noise", append(JET, "kind: stellarator\n"),
     ["data/devices/jet.yaml:17: jet: kind: duplicate key 'kind' (first at line 4); each key may appear once"]),
    ("stray-bracket-first", write("data/sources/stray.yaml", "]# x\nid: stray\n"),  # crashed yamllint's rules
     ["data/sources/stray.yaml:1: stray: YAML syntax error: did not find expected node content (while parsing a block node)"]),
    ("empty-file", write("data/sources/empty.yaml", ""),
     ["data/sources/empty.yaml:1: empty: the file is empty; it must hold one record (a mapping of fields)"]),
    ("comments-only", write("data/sources/empty.yaml", "# nothing\n---\n"),
     ["data/sources/empty.yaml:1: empty: the file is empty; it must hold one record (a mapping of fields)"]),
    ("two-documents", write("data/sources/two.yaml", "id: two\n---\nid: three\n"),
     ["data/sources/two.yaml:2: two: YAML syntax error: but found another document (expected a single document in the stream)"]),
    ("top-level-list", write("data/sources/list.yaml", "- id: list\n"),
     ["data/sources/list.yaml:1: list: the top level must be a mapping of fields (key: value)"]),
    ("python-tag", write("data/sources/tag.yaml", "id: tag\nx: !!python/object/apply:os.system ['id']\n"),
     ["data/sources/tag.yaml:2: tag: x: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; write plain values (quote text that looks special)"]),
    ("anchors", write("data/sources/alias.yaml", "id: alias\na: &x [1]\nb: *x\n"),
     ["data/sources/alias.yaml:3: alias: b: anchors and aliases (&name, *name) are not allowed in data files"]),
    ("merge-key", write("data/sources/merge.yaml", "id: merge\n<<: {a: 1}\n"),
     ["data/sources/merge.yaml:2: merge: merge keys (<<) are not allowed in data files"]),
    ("prose-unknown-folder", write("prose/devices/sub/jet.md", "JET.\n"),
     ["prose/devices/sub/jet.md:1: jet: prose file for an unknown record; it must be prose/<kind>/<id>.md for a record in data/<kind>/<id>.yaml"]),
    # 2. Prose can carry no live script and load nothing from another host.
    ("prose-reference-javascript", append(PROSE, "\n[click][x]\n\n[x]: javascript:alert(1)\n"),
     ["prose/devices/jet.md:9: jet: links may be http(s), mailto or a page's .md file, not javascript:"]),
    ("prose-inline-javascript-upper", append(PROSE, "\n[click](JAVASCRIPT:alert(1))\n"),
     ["prose/devices/jet.md:7: jet: links may be http(s), mailto or a page's .md file, not JAVASCRIPT:"]),
    ("prose-data-url", append(PROSE, "\n[click](data:text/html,hi)\n"),
     ["prose/devices/jet.md:7: jet: links may be http(s), mailto or a page's .md file, not data:"]),
    ("prose-vbscript", append(PROSE, "\n[click](vbscript:msgbox)\n"),
     ["prose/devices/jet.md:7: jet: links may be http(s), mailto or a page's .md file, not vbscript:"]),
    ("prose-entity-javascript", append(PROSE, "\n[click](jav&#x61;script:alert(1))\n"),
     ["prose/devices/jet.md:7: jet: the URL 'javascript:alert(1)' was removed: links may be http(s), mailto or a page's .md file"]),
    ("prose-attr-onclick", append(PROSE, "\nA paragraph.\n{: onclick=\"alert(1)\" }\n"),
     [f"prose/devices/jet.md:8: jet: {ATTRS}"]),
    ("prose-attr-style", append(PROSE, "\nA paragraph.\n{: style=\"background:url(https://evil.example/x)\" }\n"),
     [f"prose/devices/jet.md:8: jet: {ATTRS}"]),
    ("prose-attr-class", append(PROSE, "\n## Heading {: .evil }\n"),
     [f"prose/devices/jet.md:7: jet: {ATTRS}"]),
    ("prose-html-after-code", append(PROSE, "\nSee `x` <script>alert(1)</script>\n"),
     [f"prose/devices/jet.md:7: jet: {TEXT_ONLY}"]),
    ("prose-html-after-double-backticks", append(PROSE, "\nSee ``a ` b`` <img src=x onerror=alert(1)>\n"),
     [f"prose/devices/jet.md:7: jet: {TEXT_ONLY}"]),
    ("prose-script-block", append(PROSE, "\n<script>alert(1)</script>\n"),
     [f"prose/devices/jet.md:7: jet: {TEXT_ONLY}"]),
    ("prose-iframe", append(PROSE, "\n<iframe src=\"https://evil.example\"></iframe>\n"),
     [f"prose/devices/jet.md:7: jet: {TEXT_ONLY}"]),
    ("prose-html-comment", append(PROSE, "\n<!-- hidden -->\n"),
     [f"prose/devices/jet.md:7: jet: {TEXT_ONLY}"]),
    ("prose-reference-image", append(PROSE, "\n![map][m]\n\n[m]: https://evil.example/x.png\n"),
     ["prose/devices/jet.md:9: jet: the image 'https://evil.example/x.png' was removed: images must be files of this site, not loaded from another host"]),
    ("prose-image-upper-https", append(PROSE, "\n![map](HTTPS://evil.example/x.png)\n"),
     [f"prose/devices/jet.md:7: jet: {REMOTE}"]),
    ("prose-image-protocol-relative", append(PROSE, "\n![map](//evil.example/x.png)\n"),
     [f"prose/devices/jet.md:7: jet: {REMOTE}"]),
    ("prose-spam-zero-width", append(PROSE, "\nPlay at our ca\u200bsino.\n"),
     ["prose/devices/jet.md:7: jet: contains the spam string 'casino'; scraped text must be rewritten, not pasted"]),
    # 3. Ids that would collide with the site's own files.
    ("reserved-index", both(write("data/members/index.yaml", "id: index\nname: {en: Index, zh: 索引}\nrole: member\n")),
     ["data/members/index.yaml:1: index: id: id 'index' is reserved: it would collide with the site's own page docs/members/index.md; choose another id (and file name)"]),
    ("reserved-assets", device("assets", ""),
     ["data/devices/assets.yaml:1: assets: id: id 'assets' is reserved: it would collide with the site's own path /assets/; choose another id (and file name)"]),
    ("reserved-search", device("search", ""),
     ["data/devices/search.yaml:1: search: id: id 'search' is reserved: it would collide with the site's own path /search/; choose another id (and file name)"]),
    ("reserved-zh", device("zh", ""),
     ["data/devices/zh.yaml:1: zh: id: id 'zh' is reserved: it would collide with the site's own path /zh/; choose another id (and file name)"]),
    ("reserved-404", device("404", ""),
     ["data/devices/404.yaml:1: 404: id: id '404' is reserved: it would collide with the site's own path /404/; choose another id (and file name)"]),
    ("reserved-sitemap", device("sitemap", ""),
     ["data/devices/sitemap.yaml:1: sitemap: id: id 'sitemap' is reserved: it would collide with the site's own path /sitemap/; choose another id (and file name)"]),
    ("reserved-data", device("data", ""),
     ["data/devices/data.yaml:1: data: id: id 'data' is reserved: it would collide with the site's own path /data/; choose another id (and file name)"]),
    ("reserved-kind-name", device("devices", ""),
     ["data/devices/devices.yaml:1: devices: id: id 'devices' is reserved: it would collide with the site's own path /devices/; choose another id (and file name)"]),
    ("reserved-hand-written-page", device("timeline", ""),
     ["data/devices/timeline.yaml:1: timeline: id: id 'timeline' is reserved: it would collide with the site's own path /timeline/; choose another id (and file name)"]),
    # docs/: mkdocs-macros runs a page's Jinja with the build's power; only block calls pass.
    ("docs-jinja-expression", write("docs/index.md", "# Home\n\n{{ config.extra }}\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-jinja-ssti", write("docs/index.md", "# Home\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-jinja-statement", write("docs/index.md", "# Home\n\n{% for x in range(10**9) %}x{% endfor %}\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-unknown-block", write("docs/index.md", "# Home\n\n{{ evil() }}\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-block-with-arguments", write("docs/index.md", "# Home\n\n{{ devices_table(config) }}\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-block-inline", write("docs/index.md", "# Home\n\nSee {{ counts() }} here.\n"),
     [f"docs/index.md:3: index: {ONLY_BLOCKS}"]),
    ("docs-block-alone-is-fine", write("docs/index.md", "# Home\n\n{{ counts() }}\n\n{# a marker #}\n"), []),
    ("docs-raw-html", write("docs/index.md", "# Home\n\n<script>alert(1)</script>\n"),
     ["docs/index.md:3: index: raw HTML and attribute lists are not allowed in pages; write Markdown, or add a block"]),
    ("docs-attribute-list", write("docs/index.md", "# Home\n\nText\n{: onclick=\"alert(1)\" }\n"),
     ["docs/index.md:4: index: raw HTML and attribute lists are not allowed in pages; write Markdown, or add a block"]),
    ("docs-not-utf8", write("docs/index.md", b"# Home \xff\n"),
     ["docs/index.md:1: index: the file is not valid UTF-8 (invalid start byte at byte 7); save it as UTF-8"]),
    # 5/7. Numbers: finite, in the right unit, in a plausible range.
    ("nan", radius(".nan"), [f"{LINE}.value: must be a finite number (not .nan or .inf)"]),
    ("inf", radius(".inf"), [f"{LINE}.value: must be a finite number (not .nan or .inf)"]),
    ("minus-inf", radius("-.inf"), [f"{LINE}.value: must be a finite number (not .nan or .inf)"]),
    ("huge", radius("1.0e+308"), [f"{LINE}.value: 1e+308 m is not a plausible major radius: it must be > 0 and <= 50 m"]),
    ("overflow", radius("1.0e+309"), [f"{LINE}.value: must be a finite number (not .nan or .inf)"]),
    ("negative-radius", radius("-2.96"), [f"{LINE}.value: -2.96 m is not a plausible major radius: it must be > 0 and <= 50 m"]),
    ("zero-radius", radius("0"), [f"{LINE}.value: 0 m is not a plausible major radius: it must be > 0 and <= 50 m"]),
    ("radius-in-tesla", radius("2.96", "T"), [f"{LINE}.unit: major radius is written in m, not T"]),
    ("radius-as-text", radius("'2.96'"), [f"{LINE}.value: must be a number, not '2.96'"]),
    ("current-in-milliamps", replace(JET, "  plasma_volume: {value: 90, unit: m3,", "  plasma_current: {value: 3200, unit: mA,"),
     ["data/devices/jet.yaml:13: jet: parameters.plasma_current.unit: plasma current is written in MA or kA or A, not mA"]),
    ("current-too-large", replace(JET, "  plasma_volume: {value: 90, unit: m3,", "  plasma_current: {value: 500000, unit: kA,"),
     ["data/devices/jet.yaml:13: jet: parameters.plasma_current.value: 500000 kA is not a plausible plasma current: it must be > 0 and <= 100 MA"]),
    ("volume-negative", replace(JET, "plasma_volume: {value: 90,", "plasma_volume: {value: -90,"),
     ["data/devices/jet.yaml:13: jet: parameters.plasma_volume.value: -90 m3 is not a plausible plasma volume: it must be > 0 and <= 100000 m3"]),
    ("fusion-power-in-joules", record("fusion_power", "16", "MJ"),
     [f"{REC}.unit: fusion power is written in MW or GW, not MJ"]),
    ("fusion-power-negative", record("fusion_power", "-16", "MW"),
     [f"{REC}.value: -16 MW is not a plausible fusion power: it must be >= 0 and <= 100000 MW"]),
    ("temperature-absurd", record("ion_temperature", "1.0e+6", "keV"),
     [f"{REC}.value: 1e+06 keV is not a plausible ion temperature: it must be > 0 and <= 1000 keV"]),
    ("pulse-length-zero", record("pulse_length", "0", "s"),
     [f"{REC}.value: 0 s is not a plausible pulse length: it must be > 0 and <= 1e+08 s"]),
    ("q-negative", record("q_equivalent", "-1", "ratio"),
     [f"{REC}.value: -1 ratio is not a plausible fusion gain Q: it must be >= 0 and <= 1000 ratio"]),
    ("heating-power-nan", replace(JET, "heating_power: 24}", "heating_power: .nan}"),
     ["data/devices/jet.yaml:15: jet: records.0.heating_power: must be a finite number (not .nan or .inf)"]),
    ("share-over-100", replace(EU, "share: {value: 45.46,", "share: {value: 145.46,"),
     ["data/members/eu.yaml:6: eu: share.value: 145.46 percent is not a plausible share: it must be > 0 and <= 100 percent"]),
    ("share-in-euros", replace(EU, "unit: percent,", "unit: EUR-billion,"),
     ["data/members/eu.yaml:6: eu: share.unit: share is written in percent, not EUR-billion"]),
    ("latitude-nan", replace("data/sites/culham.yaml", "latitude: 51.659", "latitude: .nan"),
     None),  # filled below: the exact line depends on the fixture
    # 7. Logic: dates in order, no stale plans, no cycles.
    ("born-after-death", person("born: '1990'\ndied: '1950'\n"),
     ["data/people/ada.yaml:4: ada: died: the person died (1950) before being born (1990)"]),
    ("position-ends-before-start", person("positions:\n  - {role: {en: Director, zh: 主任}, start: '2010', end: '2005', source: src-a}\n"),
     ["data/people/ada.yaml:4: ada: positions.0.end: the position ends (2005) before it starts (2010)"]),
    ("position-before-birth", person("born: '1990'\npositions:\n  - {role: {en: Director, zh: 主任}, start: '1980', source: src-a}\n"),
     ["data/people/ada.yaml:5: ada: positions.0.start: the position starts (1980) before the person was born (1990)"]),
    ("planned-event-in-past", replace(EVENT, 'date: "2034", status: planned', 'date: "2020-05", status: planned'),
     ["data/events/2034-iter-sro.yaml:4: 2034-iter-sro: date.status: 2020-05 has passed (2026-12-05 today) but is still marked planned; mark it actual (with a source saying it happened) or move the date to the new plan"]),
    ("planned-first-plasma-in-past", replace(JET, 'first_plasma: {date: "1983-06-25", status: actual', 'first_plasma: {date: "1983-06-25", status: planned'),
     ["data/devices/jet.yaml:9: jet: first_plasma.status: 1983-06-25 has passed (2026-12-05 today) but is still marked planned; mark it actual (with a source saying it happened) or move the date to the new plan"]),
    ("planned-record-in-past", record("fusion_power", "16", "MW", " status: planned,"),
     [f"{REC}.status: 1997 has passed (2026-12-05 today) but is still marked planned; mark it actual (with a source saying it happened) or move the date to the new plan"]),
    ("planned-this-year-is-fine", replace(EVENT, 'date: "2034"', 'date: "2026"'), []),
    ("predecessor-cycle", both(replace(JET, "participants: [eu]", "participants: [eu]\npredecessors: [iter]")),
     ["data/devices/iter.yaml:8: iter: predecessors: the predecessors form a cycle (iter -> jet -> iter); a record cannot descend from itself"]),
    ("predecessor-self", replace(JET, "participants: [eu]", "participants: [eu]\npredecessors: [jet]"),
     ["data/devices/jet.yaml:9: jet: predecessors.0: a record cannot refer to itself"]),
    ("member-predecessor-cycle", replace("data/members/ussr.yaml", "role: former", "role: former\npredecessor: russia"),
     None),  # filled below
    # 7. Text: one line of visible characters in names; no bidi or control characters anywhere.
    ("name-rtl-override", eu_name('"Euro\\u202epean"'),
     ["data/members/eu.yaml:3: eu: name.en: must be one line of visible text: it holds U+202E RIGHT-TO-LEFT OVERRIDE; delete it"]),
    ("name-zero-width-space", eu_name('"Euro\\u200bpean"'),
     ["data/members/eu.yaml:3: eu: name.en: must be one line of visible text: it holds U+200B ZERO WIDTH SPACE; delete it"]),
    ("name-newline", replace(EU, "zh: 欧盟}", 'zh: "欧\\n盟"}'),
     ["data/members/eu.yaml:3: eu: name.zh: must be one line of visible text: it holds U+000A control character; delete it"]),
    ("name-tab", eu_name('"Euro\\tpean"'),
     ["data/members/eu.yaml:3: eu: name.en: must be one line of visible text: it holds U+0009 control character; delete it"]),
    ("name-bom", eu_name('"\\ufeffEuropean"'),
     ["data/members/eu.yaml:3: eu: name.en: must be one line of visible text: it holds U+FEFF ZERO WIDTH NO-BREAK SPACE; delete it"]),
    ("summary-bidi-isolate", replace(EU, "summary: {en: Hosts ITER.,", 'summary: {en: "Hosts \\u2066ITER.",'),
     ["data/members/eu.yaml:10: eu: summary.en: holds an invisible control character (U+2066 LEFT-TO-RIGHT ISOLATE); delete it"]),
    ("summary-c1-control", replace(EU, "summary: {en: Hosts ITER.,", 'summary: {en: "Hosts \\x85ITER.",'),
     ["data/members/eu.yaml:10: eu: summary.en: holds an invisible control character (U+0085 control character); delete it",
      "data/members/eu.yaml:10: eu: summary.en: looks like mojibake (text decoded with the wrong encoding) (perhaps: 'Hosts …ITER.'); retype the characters"]),
    ("name-markup", eu_name("<b>EU</b>"),
     ["data/members/eu.yaml:3: eu: name.en: a name is plain text: '<' and '>' are not allowed (page titles would read them as HTML)"]),
    ("name-too-long", eu_name("E" * 151),
     ["data/members/eu.yaml:3: eu: name.en: is 151 characters long; at most 150 are allowed here"]),
    ("summary-50-mb-refused", replace(EU, "summary: {en: Hosts ITER.,", "summary: {en: " + "A" * 2501 + ","),
     ["data/members/eu.yaml:10: eu: summary.en: is 2501 characters long; at most 2500 are allowed here"]),
    ("title-too-long", replace(SRC, "title: ", "title: " + "T" * 500),
     None),  # filled below
    ("spam-zero-width", replace(EU, "summary: {en: Hosts ITER.,", 'summary: {en: "Hosts ITER. Ca\\u200bsino bonus.",'),
     ["data/members/eu.yaml:10: eu: summary.en: contains the spam string 'Casino'; scraped text must be rewritten, not pasted"]),
    ("spam-cyrillic", replace(EU, "summary: {en: Hosts ITER.,", "summary: {en: Hosts ITER. Visit our саsinо.,"),
     ["data/members/eu.yaml:10: eu: summary.en: contains the spam string 'casino'; scraped text must be rewritten, not pasted",
      "data/members/eu.yaml:10: eu: summary.en: the word 'саsinо' mixes Latin with Cyrillic or Greek letters that look alike; retype it"]),
    ("spam-full-width", replace(EU, "summary: {en: Hosts ITER.,", "summary: {en: Hosts ITER. ＣＡＳＩＮＯ.,"),
     ["data/members/eu.yaml:10: eu: summary.en: contains the spam string 'CASINO'; scraped text must be rewritten, not pasted"]),
    ("spam-chinese-zero-width", replace(EU, "zh: ITER东道方。}", 'zh: "ITER东道方。六\\u200b合彩"}'),
     ["data/members/eu.yaml:10: eu: summary.zh: contains the spam string '六合彩'; scraped text must be rewritten, not pasted"]),
    ("homograph", replace(EU, "summary: {en: Hosts ITER.,", "summary: {en: Hosts ІTER.,"),
     ["data/members/eu.yaml:10: eu: summary.en: the word 'ІTER' mixes Latin with Cyrillic or Greek letters that look alike; retype it"]),
    ("mojibake", replace(EU, "summary: {en: Hosts ITER.,", "summary: {en: Hosts ITER â€” since 2005.,"),
     ["data/members/eu.yaml:10: eu: summary.en: looks like mojibake (text decoded with the wrong encoding) (perhaps: 'Hosts ITER — since 2005.'); retype the characters"]),
]


def _fill():
    """Cases whose line numbers come from the fixture files themselves."""
    culham = (FIXTURES / "good" / "data" / "sites" / "culham.yaml").read_text(encoding="utf-8").splitlines()
    lat = next(i for i, line in enumerate(culham, 1) if line.startswith("latitude: "))
    ussr = (FIXTURES / "good" / "data" / "members" / "ussr.yaml").read_text(encoding="utf-8").splitlines()
    role = next(i for i, line in enumerate(ussr, 1) if line.startswith("role: "))
    src = (FIXTURES / "good" / "data" / "sources" / "src-a.yaml").read_text(encoding="utf-8").splitlines()
    title = next(i for i, line in enumerate(src, 1) if line.startswith("title: "))
    expected = {
        "latitude-nan": [f"data/sites/culham.yaml:{lat}: culham: latitude: must be a finite number (not .nan or .inf)"],
        "member-predecessor-cycle": [
            f"data/members/russia.yaml:{_line('members/russia.yaml', 'predecessor: ')}: russia: predecessor: "
            "the predecessors form a cycle (russia -> ussr -> russia); a record cannot descend from itself"],
        "title-too-long": [f"data/sources/src-a.yaml:{title}: src-a: title: is {len(src[title - 1]) - len('title: ') + 500} characters long; at most 500 are allowed here"],
    }
    del role
    return [(name, mutation, expected.get(name, want)) for name, mutation, want in CASES]


def _line(rel: str, start: str) -> int:
    lines = (FIXTURES / "good" / "data" / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("FUSION_ATLAS_TODAY", "2026-12-05")
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copy(ROOT / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    (tmp_path / "docs" / "members").mkdir(parents=True)
    (tmp_path / "docs" / "members" / "index.md").write_text("# Members\n", encoding="utf-8")
    (tmp_path / "docs" / "timeline.md").write_text("# Timeline\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name, mutation, expected", _fill(), ids=[c[0] for c in CASES])
def test_hostile_input_is_refused_with_its_exact_message(project, name, mutation, expected):
    mutation(project)
    assert [str(p) for p in check(project, blocks=BLOCKS)] == expected


def test_the_corpus_is_large():
    assert len(CASES) >= 100


# --------------------------------------------------------------------------
# Defence in depth: what the lint would refuse is also inert if it reached a page
# --------------------------------------------------------------------------

PROSE_ATTACKS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "reference-javascript": "[click][x]\n\n[x]: javascript:alert(1)",
    "inline-javascript-upper": "[click](JAVASCRIPT:alert(1))",
    "entity-javascript": "[click](jav&#x61;script:alert(1))",
    "data-url": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "attr-list-onclick": 'Text\n{: onclick="alert(1)" }',
    "attr-list-style": 'Text\n{: style="background:url(https://evil.example/x)" }',
    "html-after-code-span": "See `x` <b onmouseover=alert(1)>y</b>",
    "reference-image": "![map][m]\n\n[m]: https://evil.example/x.png",
    "image-upper-https": "![map](HTTPS://evil.example/x.png)",
    "image-protocol-relative": "![map](//evil.example/x.png)",
    "style-tag": "<style>body{background:url(https://evil.example/x)}</style>",
    "form": '<form action="https://evil.example"><input name=q></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base": '<base href="https://evil.example/">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "comment-smuggle": "<!-- </div><script>alert(1)</script> -->",
    "unclosed-div": "<div>\n\nrest of the page",
    "heading-markup": "## Title <img src=x onerror=alert(1)>",
}

def _live_markup(html: str) -> list[str]:
    """Every tag, attribute or URL in ``html`` that could run, load or restyle something."""
    from html.parser import HTMLParser

    from macros.render.prose import ATTRIBUTES, TAGS

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in TAGS | {"div"}:
                found.append(f"<{tag}>")
            for name, value in attrs:
                value = (value or "").strip().lower()
                if tag == "div" and (name, value) == ("class", "prose"):
                    continue
                if name not in ATTRIBUTES.get(tag, ()):
                    found.append(f"{tag}[{name}]")
                elif name in ("href", "src") and ":" in value.split("/")[0] and not value.startswith(("http:", "https:", "mailto:")):
                    found.append(f"{tag}[{name}={value}]")
                elif name == "src" and (":" in value or value.startswith("//")):
                    found.append(f"{tag}[src={value}]")

        handle_startendtag = handle_starttag

    Parser(convert_charrefs=True).feed(html)
    return found


@pytest.mark.parametrize("name", sorted(PROSE_ATTACKS))
def test_prose_attacks_render_inert(name):
    from macros.render import prose
    from macros.render.text import md

    for directory_urls in (True, False):
        out = prose.render(f"Intro.\n\n{PROSE_ATTACKS[name]}\n\nEnd.\n", "devices", "jet", directory_urls, escape=md)
        assert _live_markup(out) == [], out
        assert out.count("<div") == out.count("</div>")  # a page's structure cannot be broken out of
        assert "End." in out


@pytest.mark.parametrize("name", sorted(PROSE_ATTACKS))
def test_prose_attacks_are_named_by_the_lint(name):
    from macros.core.lint import lint_prose

    assert lint_prose(f"Intro.\n\n{PROSE_ATTACKS[name]}\n", "prose/devices/jet.md", "jet", "en"), name


def test_generated_pages_never_overwrite_or_delete_a_tracked_file(tmp_path):
    from macros.publish import stubs as pages

    atlas = load_atlas(FIXTURES / "good")
    docs = tmp_path / "docs"
    hand = docs / "devices" / "jet.md"
    hand.parent.mkdir(parents=True)
    hand.write_text("# Hand-written\n", encoding="utf-8")
    stale_hand = docs / "devices" / "gone.md"
    stale_hand.write_text("# Also hand-written\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        pages.prepare(atlas, docs)
    assert [str(p) for p in exc.value.problems] == [
        "docs/devices/jet.md:1: jet: id: a generated page would overwrite this hand-written file; rename the record"]
    assert hand.read_text(encoding="utf-8") == "# Hand-written\n"
    hand.unlink()
    pages.prepare(atlas, docs)  # now it may write its pages; it deletes only its own stale ones
    assert stale_hand.read_text(encoding="utf-8") == "# Also hand-written\n"
    generated = docs / "devices" / "old.md"
    generated.write_text(pages.MARKER + "devices/old.yaml\n---\n", encoding="utf-8")
    pages.prepare(atlas, docs)
    assert not generated.exists() and stale_hand.exists()


def test_csv_cells_cannot_become_spreadsheet_formulas():
    from macros.publish.opendata import kind_csv

    rows = [{"id": "x", "summary": "=HYPERLINK(\"https://evil.example\",\"click\")", "note": "+1", "who": "@SUM(A1)",
             "minus": "-2+3", "tab": "\tx", "value": -2.5, "fine": "Fusion = energy"}]
    out = kind_csv(rows)
    assert out.splitlines()[1] == "x,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\",'+1,'@SUM(A1),'-2+3,'\tx,-2.5,Fusion = energy"


def test_a_newline_cannot_add_a_line_to_the_search_dictionary():
    from macros.publish.search import jieba_user_dict

    atlas = load_atlas(FIXTURES / "good")
    lines = jieba_user_dict(atlas).splitlines()
    assert lines and all(len(line.split(" ")) == 2 for line in lines)


# --------------------------------------------------------------------------
# Random corruptions of real records never make the checker raise
# --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

SNIPPETS = ["[", "]", "{", "}", ": ", "- ", "&a ", "*a", "!!python/name:os.system", "<<: ", ".nan", ".inf", "-.inf",
            "1e309", "\t", "\n", "  ", "'", '"', "\\", "#", "\ufeff", "\u202e", "\u200b", "\x00", "\x85", "---\n", "...\n",
            "? ", "|", ">", "%YAML 1.1\n", "~", "null", "true", "0x1F", "2023-02-30", "{{ config }}", "<script>", "💥"]
REAL = sorted((ROOT / "data" / "devices").glob("[!_]*.yaml"))[:6] + sorted((ROOT / "data" / "members").glob("[!_]*.yaml"))[:3]


@st.composite
def corrupted(draw):
    path = draw(st.sampled_from(REAL))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "random"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "duplicate":
            text = text[:at] + text[at:at + draw(st.integers(1, 80))] + text[at:]
        else:
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
    return path, text


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "prose", root / "prose")
    shutil.copy(ROOT / ".yamllint.yaml", root / ".yamllint.yaml")
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=corrupted())
def test_random_corruptions_of_real_records_never_raise(real_copy, case):
    from yamllint.config import YamlLintConfig

    from macros.core.lint import style_problems

    path, text = case
    target = real_copy / "data" / path.parent.name / path.name
    try:
        load_atlas(real_copy, texts={target: text}, index=False)
    except DataError as exc:
        for p in exc.problems:
            assert p.file and p.line >= 1 and p.message and "Traceback" not in p.message
    config = YamlLintConfig(content=(ROOT / ".yamllint.yaml").read_text(encoding="utf-8"))
    style_problems(text, config, str(target))


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_in_a_record_file_never_raise(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("bytes")
    shutil.copytree(FIXTURES / "good", root, dirs_exist_ok=True)
    (root / "data" / "sources" / "noise.yaml").write_bytes(data)
    for p in check(root, style=False):
        assert p.file and p.line >= 1 and p.message


TOKENS = ["a", "word", " ", "\n", "\n\n", "#", "## ", "###### ", "=", "-", "---", "===", "*", "_", "`", "[", "]", "(", ")",
          "![", "](", "]: ", "http://x.org", "https://x.org/a.png", "//x.org", "javascript:", "JavaScript:", "data:",
          "mailto:a@b.c", "../devices/jet.md", "|", "|---|", ":", "<", ">", "&", "&#x61;", "{", "}", "{: ", ".cls", "#id",
          "onclick=", "\"", "'", "    ", "> ", "1. ", "- ", "+ ", "\\", "<b>", "<!--", "-->"]


@settings(max_examples=1500, deadline=None)
@given(parts=st.lists(st.sampled_from(TOKENS), max_size=40))
def test_the_sanitiser_fast_path_skips_only_texts_it_leaves_alone(parts):
    """``may_remove`` False means the sanitiser removes nothing: checked by converting anyway."""
    from macros.core.sanitise import may_remove, removed

    text = "".join(parts)
    if not may_remove(text):
        assert removed(text, fast=False) == [], text

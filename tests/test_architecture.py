"""The package's layers, read from the modules' own imports (those inside functions too).

core -> render -> publish -> site: each layer imports only the layers below it,
the import graph has no cycle, only the site adapter imports MkDocs and its
plugins, and no module assigns another module's globals.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "macros"
LAYERS = ["core", "render", "publish", "site"]  # bottom to top; macros/__init__ and cli sit above all
TOP = {"macros", "macros.cli"}
HOST = ("mkdocs", "material", "mkdocs_static_i18n", "properdocs", "mkdocs_macros", "livereload")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, node.lineno))
            # "from . import charts" imports the module macros.render.charts
            out += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return out


MODULES = _modules()


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _internal(target: str) -> str | None:
    """The module of the package that ``target`` names (a module or a name in one), or None."""
    while target:
        if target in MODULES:
            return target
        target = target.rpartition(".")[0]
    return None


def _layer(module: str) -> int:
    if module in TOP:
        return len(LAYERS)
    return LAYERS.index(module.split(".")[1])


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for target, _line in _imports(name, path):
            inner = _internal(target)
            if inner and inner != name and not (target != inner and inner == name.rpartition(".")[0]):
                graph[name].add(inner)
    return graph


def test_every_module_is_in_a_layer():
    loose = [m for m in MODULES if m not in TOP and m.split(".")[1] not in LAYERS]
    assert loose == [], f"modules outside the layers {LAYERS}: {loose}"


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for name, path in MODULES.items():
        for target, line in _imports(name, path):
            inner = _internal(target)
            if inner and inner not in TOP and inner != name and _layer(inner) > _layer(name):
                wrong.append(f"{_where(path)}:{line}: {name} imports {inner}, a higher layer")
    assert wrong == []


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    # Package __init__ files re-export nothing: importing "macros.render" is the package itself.
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt in TOP or nxt.count(".") == 1 and MODULES[nxt].name == "__init__.py":
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif not state.get(nxt):
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])
    assert cycles == []


def test_only_the_site_adapter_imports_mkdocs():
    wrong = []
    for name, path in MODULES.items():
        if name.startswith("macros.site."):
            continue
        for target, line in _imports(name, path):
            if target.split(".")[0] in HOST:
                wrong.append(f"{_where(path)}:{line}: {target}")
    assert wrong == []


def _resolve(name: str, path: Path, node: ast.ImportFrom) -> str:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def test_no_module_assigns_another_modules_globals():
    wrong = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = set()  # local names bound to modules of the package
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = _resolve(name, path, node)
                bound |= {a.asname or a.name for a in node.names if f"{module}.{a.name}" in MODULES}
            elif isinstance(node, ast.Import):
                bound |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("macros")}
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in bound:
                    wrong.append(f"{_where(path)}:{node.lineno}: {target.value.id}.{target.attr} = ...")
    assert wrong == []


@pytest.mark.parametrize("bad, check, message", [
    ("from ..site import adapter\n", "test_each_layer_imports_only_the_layers_below_it", "a higher layer"),
    ("import mkdocs.config\n", "test_only_the_site_adapter_imports_mkdocs", "mkdocs.config"),
    ("from ..render import charts\ncharts.CACHE_DIR = None\n", "test_no_module_assigns_another_modules_globals", "charts.CACHE_DIR"),
])
def test_the_checks_can_fail(tmp_path, monkeypatch, bad, check, message):
    """A core module importing the adapter or MkDocs, or setting another module's global, is caught."""
    probe = tmp_path / "probe.py"
    probe.write_text(bad, encoding="utf-8")
    monkeypatch.setitem(MODULES, "macros.core.probe", probe)
    with pytest.raises(AssertionError, match=message):
        globals()[check]()


def test_a_cycle_is_caught(tmp_path, monkeypatch):
    (tmp_path / "pa.py").write_text("from . import pb\n", encoding="utf-8")
    (tmp_path / "pb.py").write_text("def f():\n    from .pa import f\n", encoding="utf-8")  # hidden in a function
    monkeypatch.setitem(MODULES, "macros.core.pa", tmp_path / "pa.py")
    monkeypatch.setitem(MODULES, "macros.core.pb", tmp_path / "pb.py")
    with pytest.raises(AssertionError, match="macros.core.pa -> macros.core.pb -> macros.core.pa"):
        test_the_import_graph_has_no_cycle()


def test_every_module_is_tracked_not_ignored():
    """A .gitignore rule (``site/`` once matched ``macros/site/``) must not hide code."""
    import subprocess

    paths = [str(p.relative_to(ROOT)) for p in sorted(PACKAGE.rglob("*.py"))]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == []
    packages = {p.parent for p in PACKAGE.rglob("*.py") if "vendor" not in p.parts}
    assert sorted(str(p.relative_to(ROOT)) for p in packages if not (p / "__init__.py").is_file()) == []

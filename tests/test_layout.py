"""House rules of the package layout (docs/architecture.md, "Layout"): one job per module
(no module over ~500 lines), no import cycle between modules or packages, and imports run
down the layers only. Imports inside functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "plugins" / "mediamon"
MAX_LINES = 500

# Lower number = lower layer. A module may import from its own layer or a lower one.
LAYERS = {
    "util": 0,
    "config": 1,
    "records": 2, "ports": 2,
    "acquire": 3,
    "enrich": 4, "extract": 4,
    "analytics": 5, "store": 5,
    "report": 6, "alerts": 6,
    "staging": 7, "planning": 7, "quality": 7, "articles": 7, "replay": 7, "enrichment": 7, "runcalendar": 7, "runtime": 7,
    "topicsync": 7,
    "pagepool": 7, "fetching": 7,
    "stages": 8,
    "cli": 9,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """mediamon modules imported anywhere in ``path`` (module level and inside functions),
    resolved to the most specific known module (``from mediamon.acquire import http`` is
    ``mediamon.acquire.http``)."""
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = pkg.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            if not t.startswith("mediamon"):
                continue
            while t and t not in known:
                t = t.rsplit(".", 1)[0] if "." in t else ""
            if t and t != name:
                out.add(t)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: imports(p, m, known) for m, p in mods.items()}


def layer(mod: str) -> int | None:
    parts = mod.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_no_module_over_500_lines():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_package_has_an_init():
    """A directory without ``__init__.py`` is a namespace package: ``packages.find`` leaves it
    out of the wheel."""
    dirs = {p.parent for p in PKG.rglob("*.py")}
    assert sorted(str(d.relative_to(PKG)) for d in dirs if not (d / "__init__.py").is_file()) == []


def test_every_module_has_a_layer():
    assert [m for m in modules() if m != "mediamon" and layer(m) is None] == []


def test_imports_run_down_the_layers():
    up = sorted((m, d) for m, deps in graph().items() for d in deps
                if layer(m) is not None and layer(d) is not None and layer(d) > layer(m))
    assert up == []


def _cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        # iterative Tarjan, so a deep graph cannot hit the recursion limit
        work = [(v, iter(sorted(g.get(v, ()))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g.get(w, ())))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_between_modules():
    # a package's __init__ re-exporting its submodules is not a cycle unless a submodule
    # imports the package back: keep both edges and look for cycles
    assert _cycles(graph()) == []


def test_no_import_cycle_between_packages():
    pkg_graph: dict[str, set[str]] = {}
    for m, deps in graph().items():
        a = ".".join(m.split(".")[:2])
        for d in deps:
            b = ".".join(d.split(".")[:2])
            if a != b:
                pkg_graph.setdefault(a, set()).add(b)
    assert _cycles(pkg_graph) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []

"""Every import runs downward or sideways, never up, and no modules import each other in a circle.

The layers, bottom to top (a module may import its own layer or a lower one):

    leaves        resvoice/__init__, errors, yamlfile, demo, percentile, call_metadata,
                  terminal, twilio_rest (the twilio SDK's client, for transfers and texts)
    audio, language         codecs and framing; words <-> values (parsers, speakable forms)
    restaurant              the data file's model and loader
    storage                 the Storage protocol and its backends (rows of restaurant's models)
    retrieval               embedders and hybrid search over storage's keyword and vector hits
    agent                   one call, text in, events out
    voice, sms, book        speech around one agent session; text senders behind the
                            agent's Messenger; the staff's book (changes under the agent's rules)
    insights                stats and evaluation over stored calls
    runtime, config,        settings, the Runtime that opens storage and providers, and
    seeding                 seeding (a restaurant's data into storage, with an embedder)
    replay, server, tui     front ends, each handed a Runtime (server and tui never import
                            each other)
    commands, cli           the commands, composing all of the above

Two places differ from the first sketch in issue 15, to match what the code does and should do:
storage sits below retrieval (storage imports nothing of retrieval; hybrid search reads
storage's hits), and runtime and config sit below the front ends (every front end is handed
the Runtime that owns the providers' lifetimes, item 6), with the commands above them all.

The graph is built with `ast` from every module under resvoice/: `import a.b`, `from a import b`
(an edge to `a.b` when that is a module, else to `a`), relative imports, and imports inside
functions or under `if TYPE_CHECKING:` alike (a lazy import is still a dependency). Every module
must have a layer: a new top-level package or module fails here until it is placed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "resvoice"

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "resvoice",
        "resvoice.errors",
        "resvoice.yamlfile",
        "resvoice.demo",
        "resvoice.percentile",
        "resvoice.call_metadata",
        "resvoice.terminal",
        "resvoice.twilio_rest",
    ),
    ("resvoice.audio", "resvoice.language"),
    ("resvoice.restaurant",),
    ("resvoice.storage",),
    ("resvoice.retrieval",),
    ("resvoice.agent",),
    ("resvoice.voice", "resvoice.sms", "resvoice.book"),
    ("resvoice.insights",),
    ("resvoice.runtime", "resvoice.config", "resvoice.seeding"),
    ("resvoice.replay", "resvoice.server", "resvoice.tui"),
    ("resvoice.commands", "resvoice.cli"),
)
"""Prefixes of dotted module names; the longest matching prefix places a module."""

NEVER = {("resvoice.server", "resvoice.tui"), ("resvoice.tui", "resvoice.server")}
"""Pairs in one layer that must still not import each other: the two front ends."""

KNOWN_VIOLATIONS: frozenset[str] = frozenset()
"""Imports against the order that are tolerated for now: none. A new one fails the test."""


def test_every_module_has_a_layer() -> None:
    graph = import_graph(PACKAGE)
    assert [name for name in sorted(graph) if layer_of(name, LAYERS) is None] == []


def test_no_import_runs_upward_or_in_a_circle() -> None:
    found = set(violations(import_graph(PACKAGE), LAYERS, NEVER))
    new = sorted(found - KNOWN_VIOLATIONS)
    fixed = sorted(KNOWN_VIOLATIONS - found)
    assert not new, "imports against the layer order:\n  " + "\n  ".join(new)
    assert not fixed, "fixed, so drop from KNOWN_VIOLATIONS:\n  " + "\n  ".join(fixed)


def test_the_check_catches_an_upward_import_a_sibling_front_end_and_a_cycle(
    tmp_path: Path,
) -> None:
    tree = {
        "__init__.py": "",
        "errors.py": "",
        "config.py": "",
        "cli.py": "from resvoice import errors\n",
        "agent/__init__.py": "",
        "agent/session.py": "from resvoice.voice import session as voice_session\n",
        "agent/a.py": "from . import b\n",
        "agent/b.py": "def f():\n    from resvoice.agent.c import g\n",
        "agent/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    import resvoice.agent.a\n",
        "voice/__init__.py": "",
        "voice/session.py": "from ..agent.session import x\nimport resvoice.config\n",
        "server/__init__.py": "",
        "server/app.py": "from resvoice.tui.app import TalkApp\n",
        "tui/__init__.py": "",
        "tui/app.py": "",
        "mystery.py": "",
    }
    for name, text in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path)
    assert "resvoice.agent.b" in graph["resvoice.agent.a"]  # `from . import b` is the module
    layers = (
        ("resvoice", "resvoice.errors"),
        ("resvoice.agent",),
        ("resvoice.voice", "resvoice.sms", "resvoice.book"),
        ("resvoice.server", "resvoice.tui"),
        ("resvoice.cli", "resvoice.config"),
    )
    assert sorted(violations(graph, layers, NEVER)) == [
        "cycle: resvoice.agent.a -> resvoice.agent.b -> resvoice.agent.c -> resvoice.agent.a",
        "cycle: resvoice.agent.session -> resvoice.voice.session -> resvoice.agent.session",
        "resvoice.agent.session -> resvoice.voice.session (agent below voice)",
        "resvoice.server.app -> resvoice.tui.app (server and tui never import each other)",
        "resvoice.voice.session -> resvoice.config (voice below config)",
    ]
    assert [name for name in graph if layer_of(name, layers) is None] == ["resvoice.mystery"]


# -- the checker --


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module name -> the package's modules it imports (anywhere in the file)."""
    modules = {_module_name(package, path): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        targets = {
            target
            for target in _imports(ast.parse(path.read_text()), name, is_package, modules)
            if target != name
        }
        graph[name] = targets
    return graph


def layer_of(module: str, layers: Iterable[Iterable[str]]) -> int | None:
    """The layer of the longest prefix placing `module`, or None when none does."""
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(layers):
        for prefix in prefixes:
            if _places(prefix, module) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def _places(prefix: str, module: str) -> bool:
    """`resvoice.voice` places resvoice.voice and everything under it; the bare package name
    places only resvoice/__init__.py (else it would place every module)."""
    return module == prefix or ("." in prefix and module.startswith(f"{prefix}."))


def violations(
    graph: Mapping[str, set[str]],
    layers: tuple[tuple[str, ...], ...],
    never: set[tuple[str, str]],
) -> Iterator[str]:
    """One readable line per upward or forbidden edge, and one per import cycle."""
    for source in sorted(graph):
        for target in sorted(graph[source]):
            low, high = layer_of(source, layers), layer_of(target, layers)
            if low is None or high is None:
                continue  # reported by the unmapped-module check
            if high > low:
                yield f"{source} -> {target} ({_area(source)} below {_area(target)})"
            elif (_group(source, layers), _group(target, layers)) in never:
                yield (
                    f"{source} -> {target} "
                    f"({_area(source)} and {_area(target)} never import each other)"
                )
    for cycle in cycles(graph):
        yield "cycle: " + " -> ".join([*cycle, cycle[0]])


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component of more than one module (Tarjan),
    rotated to start at its smallest name."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_cycle_in(component, graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _cycle_in(component: set[str], graph: Mapping[str, set[str]]) -> list[str]:
    """A shortest cycle through the component's smallest module, by breadth-first search."""
    start = min(component)
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return path[::-1]
                if target not in parents:
                    parents[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in component {sorted(component)}")


def _imports(
    tree: ast.Module, name: str, is_package: bool, modules: Mapping[str, Path]
) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known(alias.name, modules)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, is_package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base


def _known(module: str, modules: Mapping[str, Path]) -> Iterator[str]:
    if module in modules:
        yield module


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    parts = name.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def _module_name(package: Path, path: Path) -> str:
    parts = ["resvoice", *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _area(module: str) -> str:
    """The part a reader knows the module by: `voice` for resvoice.voice.stt.whisper."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "resvoice"


def _group(module: str, layers: tuple[tuple[str, ...], ...]) -> str:
    """The prefix that placed the module (for the never-import pairs)."""
    matches = [p for ps in layers for p in ps if _places(p, module)]
    return max(matches, key=len)

"""The layers of STYLE.md 1, held by reading the source: only caseload/store/ speaks SQL or touches
a connection's rows, and rules/ import nothing of ours but other rules and the vocabularies."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import caseload

PACKAGE = Path(caseload.__file__).parent

# SQL as the store writes it: upper-case keywords in a string literal
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|UNIQUE)"
    r"|ALTER\s+TABLE|DROP\s+(TABLE|INDEX)|(LEFT\s+|INNER\s+)?JOIN\s+\w+\s+\w+\s+ON|WHERE\s+\w+(\.\w+)?\s*(=|IN\b|IS\b)"
    r"|ORDER\s+BY|GROUP\s+BY|BEGIN\s+IMMEDIATE|PRAGMA)\b",
    re.DOTALL,
)
ROW_CALLS = {"insert", "insert_many", "all", "one", "values", "scalar", "execute", "executemany"}
ALLOWED_IN_RULES = ("caseload.rules", "caseload.vocab")


def _modules(under: Path):
    for path in sorted(under.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def sql_outside_store(package: Path) -> list[str]:
    """Where a module outside store/ holds SQL text or calls the row API of a connection."""
    store = package / "store"
    problems = []
    for path, tree in _modules(package):
        if store in path.parents:
            continue
        where = path.relative_to(package.parent)
        docstrings = _docstrings(tree)  # prose may name SQL; f-string parts are read whole below
        docstrings |= {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if SQL.search(node.value):
                    problems.append(f"{where}:{node.lineno}: SQL {node.value[:60]!r}")
            elif isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if SQL.search(text):
                    problems.append(f"{where}:{node.lineno}: SQL {text[:60]!r}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ROW_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"rows", "connection", "conn", "cursor", "session"}
            ):
                problems.append(f"{where}:{node.lineno}: {node.func.value.id}.{node.func.attr}(…)")
    return problems


def rules_imports(package: Path) -> list[str]:
    """Imports of caseload modules by rules/ other than rules/ and vocab (at any depth)."""
    problems = []
    for path, tree in _modules(package / "rules"):
        where = path.relative_to(package.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
                if node.module == "caseload":
                    names = [f"caseload.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom):  # relative: caseload.rules.<…> stays inside
                names = [] if node.level == 1 else ["caseload (relative, outside rules)"]
            else:
                continue
            for name in names:
                ours = name == "caseload" or name.startswith("caseload.")
                if ours and not any(name == a or name.startswith(a + ".") for a in ALLOWED_IN_RULES):
                    problems.append(f"{where}:{node.lineno}: imports {name}")
    return problems


def test_only_the_store_speaks_sql():
    assert sql_outside_store(PACKAGE) == []


def test_rules_import_only_rules_and_vocabularies():
    assert rules_imports(PACKAGE) == []


def test_the_checks_see_what_they_look_for(tmp_path):
    """The scans find SQL, a row call and a forbidden import when there is one (the checks can fail)."""
    package = tmp_path / "caseload"
    (package / "services").mkdir(parents=True)
    (package / "store").mkdir()
    (package / "rules").mkdir()
    (package / "services" / "x.py").write_text(
        'def f(rows, g):\n    rows.insert("goal", {})\n    return rows.all(f"SELECT id FROM goal WHERE id = {g}")\n'
    )
    (package / "store" / "y.py").write_text('def f(rows):\n    return rows.all("SELECT id FROM goal")\n')
    (package / "rules" / "z.py").write_text(
        "from caseload.errors import CaseloadError\nfrom caseload import vocab, clock\nfrom caseload.rules.months import Month\n"
    )
    found = sql_outside_store(package)
    assert sorted(problem.split(": ", 1)[1][:10] for problem in found) == [
        "SQL 'SELEC",
        "rows.all(…",
        "rows.inser",
    ]
    assert all(problem.startswith("caseload/services/x.py") for problem in found)
    assert rules_imports(package) == [
        "caseload/rules/z.py:1: imports caseload.errors",
        "caseload/rules/z.py:2: imports caseload.clock",
    ]


def store_import_graph(package: Path) -> dict[str, set[str]]:
    """Which store modules each store module imports, at any depth (inside functions too)."""
    graph: dict[str, set[str]] = {}
    for path, tree in _modules(package / "store"):
        if "migrations" in path.parts:
            continue
        name = "caseload.store." + path.stem if path.stem != "__init__" else "caseload.store"
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("caseload.store"):
                if node.module == "caseload.store":
                    imported |= {f"caseload.store.{alias.name}" for alias in node.names}
                else:
                    imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("caseload.store.")}
        graph[name] = imported - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every module that can reach itself, with the path it takes."""
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append(path + [start])
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    return found


def test_the_store_has_no_import_cycle():
    """Opening a database does not import the migrations (they run from outside: store.open_database),
    and the connection code both need lives in store/connection.py."""
    graph = store_import_graph(PACKAGE)
    assert "caseload.store.migrate" not in graph["caseload.store.db"]
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c", "a"],
        ["b", "c", "a", "b"],
        ["c", "a", "b", "c"],
    ]

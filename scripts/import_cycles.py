"""Count capas's import cycles and in-function imports, from the source (AST only, nothing imported).

Usage: python scripts/import_cycles.py [--list] [--exclude PREFIX ...]

A module-level `import a.b.c` or `from a.b import c` is an edge to `a.b.c` (or `a.b`, when `c`
is a name in it) and to every parent package, since importing a submodule runs the parents'
`__init__` (except the importer's own parents, which have always begun initialising before it
runs; a name read from a package, own parent included, is an edge to it).
Reported:

- the strongly connected components of the module-level graph (each is a set of modules that
  import one another: an import cycle), and the number of modules in them;
- in-function imports of capas modules (imports of optional third-party packages stay in
  functions on purpose and are not counted), and how many of them close a cycle (the imported module reaches the
  importing one through module-level imports: moving it to the top would create a cycle).
"""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "capas"


def module_name(path):
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def collect():
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        modules[module_name(path)] = path
    return modules


def targets(node, current, is_package, modules):
    out = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = current.split(".") if is_package else current.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        names = []
        for alias in node.names:
            sub = f"{mod}.{alias.name}"
            names.append(sub if sub in modules else mod)
    for name in names:
        if not name.startswith("capas"):
            continue
        parts = name.split(".")
        if name in modules:
            out.append(name)  # the module whose body must have run (names are read from it)
        for i in range(1, len(parts)):
            prefix = ".".join(parts[:i])
            # Parents run first, but the importer reads nothing from them; a module's own parents
            # have always begun initialising before it runs.
            if prefix in modules and not current.startswith(prefix + "."):
                out.append(prefix)
    return out


def capas_import(node):
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] == "capas" for a in node.names)
    return node.level > 0 or (node.module or "").split(".")[0] == "capas"


def _imports(node, in_function=False):
    """(import node, inside a function?) for every import under `node` (TYPE_CHECKING blocks skipped)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _imports(child, True)
        elif not (isinstance(child, ast.If) and _is_type_checking(child.test)):
            yield from _imports(child, in_function)


def analyse(modules):
    top, inner = {}, []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        is_package = path.name == "__init__.py"
        edges = set()
        for node, in_function in _imports(tree):
            found = [t for t in targets(node, name, is_package, modules) if t != name]
            if not in_function:
                edges.update(found)
            elif capas_import(node):
                inner.append((name, node.lineno, found))
        top[name] = edges
    return top, inner


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def sccs(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            strong(v)
    return out


def reaches(graph, start, goal):
    seen, todo = set(), [start]
    while todo:
        v = todo.pop()
        if v == goal:
            return True
        if v in seen:
            continue
        seen.add(v)
        todo.extend(graph.get(v, ()))
    return False


def main(argv):
    exclude = [a for i, a in enumerate(argv) if i and argv[i - 1] == "--exclude"]
    modules = collect()
    top, inner = analyse(modules)
    comps = sccs(top)
    # Cycles not through the top-level `capas` package (importing any submodule runs capas/__init__).
    closing = [(m, line, t) for m, line, t in inner if any(reaches(top, x, m) for x in t)]
    shown = [(m, line, t) for m, line, t in inner if not any(m.startswith(e) for e in exclude)]
    shown_closing = [x for x in closing if x in shown]
    print(f"modules: {len(modules)}")
    print(
        f"import cycles (strongly connected components of module-level imports): {len(comps)}, "
        f"modules in them: {sum(len(c) for c in comps)}"
    )
    print(f"in-function imports: {len(shown)}; of them closing a module-level cycle: {len(shown_closing)}")
    if "--list" in argv:
        for comp in comps:
            print("SCC", len(comp), comp[:8], "..." if len(comp) > 8 else "")
        for m, line, t in shown:
            flag = "CYCLE" if (m, line, t) in shown_closing else "free "
            print(flag, f"{m}:{line}", t[-1] if t else "?")


if __name__ == "__main__":
    main(sys.argv)

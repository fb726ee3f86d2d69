"""Imports sit at the top of their modules unless a real import cycle keeps them in a function (and
then a comment says which); layer code writes untracked state only through `Layer._set_untracked`.

"""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _import_cycles():
    spec = importlib.util.spec_from_file_location("import_cycles", ROOT / "scripts" / "import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_in_function_imports_of_capas_each_close_a_cycle_and_say_so():
    ic = _import_cycles()
    modules = ic.collect()
    top, inner = ic.analyse(modules)
    free, silent = [], []
    for module, line, targets in inner:
        if not any(ic.reaches(top, t, module) for t in targets):
            free.append(f"{module}:{line}")
            continue
        source = modules[module].read_text().split("\n")
        if "in-function" not in source[line - 1] and "in-function" not in source[line - 2]:
            silent.append(f"{module}:{line}")
    assert not free, f"in-function imports that could move to the top (no import cycle): {free}"
    assert not silent, f"in-function imports without a comment naming their cycle: {silent}"


# The import cycles that remain (strongly connected groups of modules); fewer is welcome, more is not.
KNOWN_CYCLES = (
    {
        "capas.data._batching",
        "capas.data._files",
        "capas.data._sampling",
        "capas.data._sources",
        "capas.data._transforms",
        "capas.data.dataset",
    },  # Dataset methods and the transforms build each other
)


def test_the_module_graph_has_no_new_import_cycles():
    ic = _import_cycles()
    top, _ = ic.analyse(ic.collect())
    new = [c for c in ic.sccs(top) if not any(set(c) <= known for known in KNOWN_CYCLES)]
    assert not new, f"new import cycles: {new}"


def test_layer_code_writes_untracked_state_through_the_idiom():
    pattern = re.compile(r"__dict__\[[^]]+\]\s*=(?!=)|object\.__setattr__\(|__dict__\.(update|setdefault)\(")
    offenders = []
    for folder in ("layers", "models", "saving", "callbacks", "metrics", "optimizers", "trainers"):
        for path in sorted((ROOT / "capas" / "keras" / folder).rglob("*.py")):
            for number, text in enumerate(path.read_text().split("\n"), 1):
                if pattern.search(text):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {text.strip()}")
    assert not offenders, offenders


def test_set_untracked_bypasses_tracking():
    from capas.keras import layers

    layer = layers.Dense(2)
    sub = layers.Dense(1)
    layer._set_untracked(_note=[sub])
    assert layer._note[0] is sub
    assert sub not in layer._direct_sublayers()
    layer.note = [sub]  # the tracked way, for contrast
    assert sub in layer._direct_sublayers()


def test_registration_is_by_decorator_not_by_namespace_scan():
    offenders = []
    for path in sorted((ROOT / "capas").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "register_builtins",
                "_register_builtins",
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders

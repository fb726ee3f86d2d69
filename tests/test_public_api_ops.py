"""Snapshot of the public names of the tf-style surface: capas (top level, submodules
excluded) and the namespaces capas.math, nn, random, linalg, dtypes.

An API change must be a deliberate diff of tests/api/ops_names.txt. To accept
a change, regenerate the list with:

    .venv/bin/python tests/test_public_api_ops.py
"""

import importlib
import sys
import pathlib
import types

NAMESPACES = ["capas", "capas.dtypes", "capas.linalg", "capas.math", "capas.nn", "capas.random"]
SNAPSHOT = pathlib.Path(__file__).parent / "api" / "ops_names.txt"


def current_names():
    names = []
    for module_name in NAMESPACES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if name.startswith("_") or isinstance(value, types.ModuleType):
                continue
            names.append(f"{module_name}.{name}")
    return sorted(names)


def test_public_names_match_the_snapshot():
    expected = [line for line in SNAPSHOT.read_text().splitlines() if line.strip()]
    current = current_names()
    added = sorted(set(current) - set(expected))
    removed = sorted(set(expected) - set(current))
    assert not added and not removed, (
        f"Public ops API changed. Added: {added}. Removed: {removed}. If this is deliberate, run "
        "`.venv/bin/python tests/test_public_api_ops.py` and commit tests/api/ops_names.txt."
    )


def test_every_public_capas_function_has_a_docstring():
    missing = []
    for full in current_names():
        module_name, name = full.rsplit(".", 1)
        value = getattr(importlib.import_module(module_name), name)
        ours = str(getattr(value, "__module__", "")).startswith("capas")
        if ours and callable(value) and not (getattr(value, "__doc__", None) or "").strip():
            missing.append(full)
    assert not missing, f"Public functions without a docstring: {missing}"


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text("\n".join(current_names()) + "\n")
    print(f"wrote {SNAPSHOT}")

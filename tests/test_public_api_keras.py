"""Snapshot of the public names of capas.keras and its subpackages (and capas.data).

An API change must be a deliberate diff of tests/api/keras_names.txt. To accept
a change, regenerate the list with:

    .venv/bin/python tests/test_public_api_keras.py
"""

import importlib
import pathlib
import types

NAMESPACES = [
    "capas.data",
    "capas.keras",
    "capas.keras.activations",
    "capas.keras.backend",
    "capas.keras.callbacks",
    "capas.keras.config",
    "capas.keras.constraints",
    "capas.keras.datasets",
    "capas.keras.dtype_policies",
    "capas.keras.export",
    "capas.keras.initializers",
    "capas.keras.layers",
    "capas.keras.legacy.saving",
    "capas.keras.losses",
    "capas.keras.metrics",
    "capas.keras.mixed_precision",
    "capas.keras.models",
    "capas.keras.ops",
    "capas.keras.optimizers",
    "capas.keras.optimizers.schedules",
    "capas.keras.quantizers",
    "capas.keras.random",
    "capas.keras.regularizers",
    "capas.keras.saving",
    "capas.keras.tree",
    "capas.keras.utils",
    "capas.keras.wrappers",
]
SNAPSHOT = pathlib.Path(__file__).parent / "api" / "keras_names.txt"


def current_names():
    names = []
    for module_name in NAMESPACES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if name.startswith("_") or isinstance(value, types.ModuleType) or name == "annotations":
                continue
            names.append(f"{module_name}.{name}")
    return sorted(names)


def test_public_names_match_the_snapshot():
    expected = [line for line in SNAPSHOT.read_text().splitlines() if line.strip()]
    current = current_names()
    added = sorted(set(current) - set(expected))
    removed = sorted(set(expected) - set(current))
    assert not added and not removed, (
        f"Public keras API changed. Added: {added}. Removed: {removed}. If this is deliberate, run "
        "`.venv/bin/python tests/test_public_api_keras.py` and commit tests/api/keras_names.txt."
    )


def test_keras_names_that_tutorials_use_exist():
    for full in [
        "capas.keras.Input",
        "capas.keras.Model",
        "capas.keras.Sequential",
        "capas.keras.layers.Dense",
        "capas.keras.layers.Conv2D",
        "capas.keras.layers.LSTM",
        "capas.keras.optimizers.Adam",
        "capas.keras.losses.SparseCategoricalCrossentropy",
        "capas.keras.metrics.AUC",
        "capas.keras.callbacks.ModelCheckpoint",
        "capas.keras.models.load_model",
        "capas.keras.utils.to_categorical",
        "capas.keras.datasets.mnist",
    ]:
        module_name, name = full.rsplit(".", 1)
        assert hasattr(importlib.import_module(module_name), name), full


if __name__ == "__main__":
    SNAPSHOT.write_text("\n".join(current_names()) + "\n")
    print(f"wrote {SNAPSHOT}")

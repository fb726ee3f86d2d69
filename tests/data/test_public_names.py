"""Snapshot of the public names of capas.data and capas.data.experimental.

An API change must be a deliberate diff of tests/data/data_names.txt. To accept a
change, regenerate it: `python tests/data/test_public_names.py`.
"""

import importlib
import pathlib
import types

NAMESPACES = ["capas.data", "capas.data.experimental"]
SNAPSHOT = pathlib.Path(__file__).parent / "data_names.txt"
DATASET_METHODS = [
    "apply",
    "as_numpy_iterator",
    "batch",
    "bucket_by_sequence_length",
    "cache",
    "cardinality",
    "choose_from_datasets",
    "concatenate",
    "counter",
    "element_spec",
    "enumerate",
    "filter",
    "flat_map",
    "from_generator",
    "from_tensor_slices",
    "from_tensors",
    "get_single_element",
    "group_by_window",
    "ignore_errors",
    "interleave",
    "list_files",
    "map",
    "options",
    "padded_batch",
    "prefetch",
    "ragged_batch",
    "range",
    "reduce",
    "rejection_resample",
    "repeat",
    "sample_from_datasets",
    "scan",
    "shard",
    "shuffle",
    "skip",
    "snapshot",
    "take",
    "take_while",
    "unbatch",
    "unique",
    "window",
    "with_options",
    "zip",
]


def current_names():
    names = []
    for module_name in NAMESPACES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if not name.startswith("_") and not isinstance(value, types.ModuleType):
                names.append(f"{module_name}.{name}")
    return sorted(names)


def test_public_names_match_the_snapshot():
    expected = [line for line in SNAPSHOT.read_text().splitlines() if line.strip()]
    current = current_names()
    assert current == expected, (
        f"capas.data API changed. Added: {sorted(set(current) - set(expected))}. Removed: "
        f"{sorted(set(expected) - set(current))}. If deliberate, run `python tests/data/test_public_names.py`."
    )


def test_dataset_has_tf_data_methods():
    from capas.data import Dataset

    missing = [m for m in DATASET_METHODS if not hasattr(Dataset, m)]
    assert not missing, f"tf.data.Dataset methods missing from capas: {missing}"


if __name__ == "__main__":
    SNAPSHOT.write_text("\n".join(current_names()) + "\n")

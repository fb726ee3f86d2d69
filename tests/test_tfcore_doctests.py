"""The `Example:` sections of the tfcore modules run as doctests."""

import doctest
import importlib

import pytest

MODULES = [
    "capas.module",
    "capas.errors",
    "capas.ops.strings",
    "capas.ops.tensor_array",
    "capas.ops.py_function",
    "capas.ops.control_flow",
    "capas.ops.indexing",
    "capas.random.generator",
    "capas.strings.string_ops",
    "capas.ragged.ragged_tensor",
    "capas.sparse.sparse_tensor",
    "capas.io.gfile",
    "capas.io.io_ops",
    "capas.io.decode_csv",
    "capas.train.checkpoint",
    "capas.train.checkpoint_management",
    "capas.saved_model.saved_model",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0

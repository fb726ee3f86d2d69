"""The Example sections of the capas.data docstrings run and print what they claim."""

import doctest
import importlib

import pytest

MODULES = [
    "capas.data.dataset",
    "capas.data._sources",
    "capas.data._transforms",
    "capas.data._batching",
    "capas.data._sampling",
    "capas.data._files",
    "capas.data._cache",
    "capas.data._iterator",
    "capas.data._options",
    "capas.data.readers",
    "capas.data.tfrecord",
    "capas.data.experimental._csv",
    "capas.data.experimental._cardinality",
    "capas.data.experimental._transformations",
    "capas.io._tfrecord",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

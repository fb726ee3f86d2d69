"""The Example sections of the rnn, attention and preprocessing docstrings run and print what they claim;
examples/lstm_text.py trains (its loss goes down)."""

import doctest
import importlib
import importlib.util
import pathlib

import pytest

MODULES = [
    "capas.keras.layers.rnn.rnn",
    "capas.keras.layers.rnn.lstm",
    "capas.keras.layers.rnn.gru",
    "capas.keras.layers.rnn.simple_rnn",
    "capas.keras.layers.rnn.stacked_rnn_cells",
    "capas.keras.layers.rnn.bidirectional",
    "capas.keras.layers.rnn.time_distributed",
    "capas.keras.layers.rnn.conv_lstm1d",
    "capas.keras.layers.rnn.conv_lstm2d",
    "capas.keras.layers.rnn.conv_lstm3d",
    "capas.keras.layers.attention.attention",
    "capas.keras.layers.attention.additive_attention",
    "capas.keras.layers.attention.multi_head_attention",
    "capas.keras.layers.attention.grouped_query_attention",
    "capas.keras.layers.preprocessing.rescaling",
    "capas.keras.layers.preprocessing.center_crop",
    "capas.keras.layers.preprocessing.resizing",
    "capas.keras.layers.preprocessing.random_flip",
    "capas.keras.layers.preprocessing.random_rotation",
    "capas.keras.layers.preprocessing.random_zoom",
    "capas.keras.layers.preprocessing.random_translation",
    "capas.keras.layers.preprocessing.random_contrast",
    "capas.keras.layers.preprocessing.discretization",
    "capas.keras.layers.preprocessing.category_encoding",
    "capas.keras.layers.preprocessing.hashing",
    "capas.keras.layers.preprocessing.string_lookup",
    "capas.keras.layers.preprocessing.integer_lookup",
    "capas.keras.layers.preprocessing.text_vectorization",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_lstm_text_example_trains():
    path = pathlib.Path(__file__).resolve().parents[4] / "examples" / "lstm_text.py"
    spec = importlib.util.spec_from_file_location("lstm_text_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    losses = module.main(epochs=3).history["loss"]
    assert losses[-1] < 0.7 * losses[0]

"""model_to_dot and plot_model: the graph text, and a clear message when Graphviz is missing."""

import shutil

import pytest

from capas import keras

pydot = pytest.importorskip("pydot")


def _functional():
    inputs = keras.Input((4,), name="x")
    a = keras.layers.Dense(3, name="left")(inputs)
    b = keras.layers.Dense(3, name="right")(inputs)
    out = keras.layers.Add(name="sum")([a, b])
    return keras.Model(inputs, out, name="two_branch")


def _edges(dot):
    names = {
        n.get_name(): n.get_attributes()["label"].strip('"').split("\\n")[0]
        for n in dot.get_nodes()
        if "label" in n.get_attributes()
    }
    return sorted((names[e.get_source()], names[e.get_destination()]) for e in dot.get_edges())


def test_functional_graph_has_one_edge_per_connection():
    dot = keras.utils.model_to_dot(_functional())
    assert _edges(dot) == [
        ("left (Dense)", "sum (Add)"),
        ("right (Dense)", "sum (Add)"),
        ("x (InputLayer)", "left (Dense)"),
        ("x (InputLayer)", "right (Dense)"),
    ]


def test_sequential_graph_is_a_chain_with_shapes():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, name="a"), keras.layers.Dense(1, name="b")])
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert _edges(dot) == [("a (Dense)", "b (Dense)")]
    assert "Output shape: (None, 1)" in dot.to_string()


def test_plot_model_writes_dot_text(tmp_path):
    path = tmp_path / "model.dot"
    keras.utils.plot_model(_functional(), to_file=str(path), show_layer_names=True)
    text = path.read_text()
    assert text.startswith("digraph") and "left (Dense)" in text


@pytest.mark.skipif(shutil.which("dot") is not None, reason="Graphviz is installed here")
def test_plot_model_png_without_graphviz_says_how_to_fix(tmp_path):
    with pytest.raises(ImportError, match=r"Graphviz's `dot` program.*to_file='model.dot'"):
        keras.utils.plot_model(_functional(), to_file=str(tmp_path / "model.png"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_plot_model_png_with_graphviz(tmp_path):
    path = tmp_path / "model.png"
    keras.utils.plot_model(_functional(), to_file=str(path))
    assert path.read_bytes()[:4] == b"\x89PNG"

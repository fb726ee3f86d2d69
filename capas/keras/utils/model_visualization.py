"""`keras.utils.model_to_dot` and `plot_model`: a model's layer graph for Graphviz (pydot).

pydot is optional (`pip install pydot`); rendering to an image also needs the
Graphviz `dot` program. A `.dot` file needs only pydot.
"""

import shutil

from capas.keras.utils import summary_utils


def _pydot():
    try:
        import pydot
    except ImportError:
        raise ImportError(
            "You must install pydot (`pip install pydot`) for model_to_dot / plot_model to work."
        ) from None
    return pydot


def _inbound_layers(layer, model):
    """The layers feeding `layer` inside `model` (functional models); None when the model has no graph."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return None
    kept = {id(n) for n in nodes}
    found = []
    for node in getattr(layer, "_inbound_nodes", []):
        if id(node) not in kept:
            continue
        for t in node.input_tensors:
            history = getattr(t, "_keras_history", None)
            if history is not None and history[0] not in found:
                found.append(history[0])
    return found


def _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable):
    class_name = type(layer).__name__
    lines = [f"{layer.name} ({class_name})" if show_layer_names else class_name]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        lines.append(f"Activation: {getattr(activation, '__name__', type(activation).__name__)}")
    if show_dtype:
        lines.append(f"dtype: {getattr(layer, 'dtype', '?')}")
    if show_shapes:
        lines.append(f"Output shape: {summary_utils._shape_text(layer)}")
    if show_trainable:
        lines.append(f"Trainable: {'Y' if getattr(layer, 'trainable', True) else 'N'}")
    return "\\n".join(lines)


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    subgraph=False,
    show_layer_activations=False,
    show_trainable=False,
    **kwargs,
):
    """A `pydot.Dot` graph of `model`: one box per layer, one arrow per connection.

    Args:
        model: a built Sequential or functional model.
        show_shapes: add each layer's output shape.
        show_dtype: add each layer's dtype.
        show_layer_names: label boxes "name (Class)" (else "Class").
        rankdir: "TB" (vertical) or "LR" (horizontal).
        expand_nested: accepted; nested models are drawn as one box.
        dpi: image resolution.
        subgraph: return a `pydot.Cluster` instead of a `pydot.Dot`.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: add whether each layer is trainable.

    Returns:
        A `pydot.Dot` (or `pydot.Cluster`).

    Example:

    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    >>> "d (Dense)" in keras.utils.model_to_dot(model).to_string()
    True
    """
    pydot = _pydot()
    if not getattr(model, "built", True) or not hasattr(model, "layers"):
        raise ValueError(
            f"model_to_dot: {getattr(model, 'name', model)!r} is not built; call it on data or give "
            "it an Input first, so that its layers and shapes are known."
        )
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name, label=model.name)
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set_node_defaults(shape="record")
    layers = list(model.layers)
    for layer in layers:
        label = _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable)
        dot.add_node(pydot.Node(str(id(layer)), label=label))
    for k, layer in enumerate(layers):
        inbound = _inbound_layers(layer, model)
        if inbound is None:
            inbound = [layers[k - 1]] if k else []
        for source in inbound:
            if source in layers:
                dot.add_edge(pydot.Edge(str(id(source)), str(id(layer))))
    return dot


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    **kwargs,
):
    """Draw `model` to `to_file` (png, svg, pdf, ... through Graphviz; `.dot` needs only pydot).

    Args:
        model: a built model.
        to_file: the output file; its extension picks the format.
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
        show_layer_activations, show_trainable: as in `model_to_dot`.

    Returns:
        None (capas does not display images inline).

    Raises:
        ImportError: pydot is missing, or Graphviz's `dot` program is (for formats other than .dot).

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.dot")
    >>> keras.utils.plot_model(model, to_file=path)
    >>> os.path.getsize(path) > 0
    True
    """
    to_file = str(to_file)
    extension = to_file.rsplit(".", 1)[-1].lower() if "." in to_file else "png"
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    if extension in ("dot", "gv"):
        with open(to_file, "w", encoding="utf-8") as f:
            f.write(dot.to_string())
        return
    if shutil.which("dot") is None:
        raise ImportError(
            f"plot_model: writing {to_file!r} needs Graphviz's `dot` program, which is not installed (see "
            "https://graphviz.gitlab.io/download/, e.g. `apt-get install graphviz`). Without it, save the graph "
            "as text with to_file='model.dot', or use keras.utils.model_to_dot(model)."
        )
    dot.write(to_file, format=extension)
    return

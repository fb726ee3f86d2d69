"""`model.summary()`: the table Keras 3 prints, drawn with the same box characters."""

import shutil
import re

import numpy as np

from capas.keras import _io_utils as io_utils


def _count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _fmt_bytes(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.2f} {unit}"
        n /= 1024.0
    return f"{n:.2f} GB"


def _shape_text(layer):
    nodes = getattr(layer, "_inbound_nodes", None)
    if nodes:
        outputs = nodes[-1].outputs
        return _shapes(outputs)
    return "?"


def _shapes(outputs):
    if isinstance(outputs, (list, tuple)):
        return ", ".join(_shapes(o) for o in outputs) if len(outputs) != 1 else _shapes(outputs[0])
    if isinstance(outputs, dict):
        return "{" + ", ".join(f"{k}: {_shapes(v)}" for k, v in outputs.items()) + "}"
    shape = getattr(outputs, "shape", None)
    return str(tuple(shape)) if shape is not None else "?"


def _connected_to(layer, model):
    nodes = [n for n in getattr(layer, "_inbound_nodes", []) if n in getattr(model, "_nodes", [])]
    parts = []
    for node in nodes:
        for t in node.input_tensors:
            if t._keras_history is not None:
                src, index, tensor_index = t._keras_history
                parts.append(f"{src.name}[{index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def _wrap(text, width):
    """Lines of at most `width` characters, broken after ", " where possible (as Keras's rich tables wrap)."""
    lines, current = [], ""
    for part in text.split(", "):
        candidate = f"{current}, {part}" if current else part
        if len(candidate) > width and current:
            lines.append(current + ",")
            current = part
        else:
            current = candidate
    lines.append(current)
    return lines


def _dtype_bytes(weights):
    return int(sum(int(np.prod(w.shape)) * w.element_size() for w in weights))


def layer_index_bounds(layers, layer_range):
    """`[first, last + 1]` of the layers whose names match `layer_range`'s two patterns (as Keras)."""
    if layer_range is None:
        return 0, len(layers)
    if (
        not isinstance(layer_range, (list, tuple))
        or len(layer_range) != 2
        or not all(isinstance(p, str) for p in layer_range)
    ):
        raise ValueError(
            f"summary(): layer_range must be a list or tuple of 2 layer names (or regex patterns), "
            f"received {layer_range!r}."
        )
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"summary(): layer_range {list(layer_range)} does not match the layer names of the model "
            f"({[layer.name for layer in layers]})."
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _widths_from_positions(positions, line_length, columns):
    if len(positions) != columns:
        raise ValueError(
            f"summary(): positions needs {columns} values (the right edge of each column), received {list(positions)}."
        )
    edges = [int(line_length * p) if all(q <= 1 for q in positions) else int(p) for p in positions]
    if any(b <= a for a, b in zip([0] + edges, edges)):
        raise ValueError(f"summary(): positions must increase, received {list(positions)}.")
    return [max(4, b - a - 3) for a, b in zip([0] + edges, edges)]


def print_summary(
    model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False, layer_range=None
):
    """Print the Keras 3 summary table of `model` through `print_fn` (default print).

    `positions` are the right edges of the columns (fractions of `line_length`, or absolute
    characters); `layer_range` two names or regex patterns bounding the layers shown.
    """
    print_fn = print_fn or io_utils.print_msg
    is_graph = hasattr(model, "_nodes") and any(
        len(n.input_tensors) > 1 or len(getattr(n.layer, "_inbound_nodes", [])) > 1 for n in model._nodes
    )
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if is_graph:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    line_length = line_length or min(max(shutil.get_terminal_size((98, 20)).columns, 80), 115 if is_graph else 98)
    if is_graph:
        ratios = [0.3, 0.22, 0.12, 0.36]
    else:
        ratios = [0.45, 0.35, 0.2]
    if show_trainable:
        ratios = [r * 0.9 for r in ratios] + [0.1]
    widths = [max(8, int(line_length * r)) - 3 for r in ratios]
    if positions is not None:
        widths = _widths_from_positions(positions, line_length, len(headers))
    first, last = layer_index_bounds(model.layers, layer_range)

    rows = []

    def add_rows(layer, depth):
        name = f"{'   ' * depth}{layer.name} ({type(layer).__name__})"
        params = _count(layer.weights) if hasattr(layer, "weights") else 0
        row = [name, _shape_text(layer), f"{params:,}"]
        if is_graph:
            row.append(_connected_to(layer, model))
        if show_trainable:
            row.append("Y" if getattr(layer, "trainable", True) else "N")
        rows.append(row)
        if expand_nested and hasattr(layer, "layers") and layer is not model:
            for sub in layer.layers:
                add_rows(sub, depth + 1)

    for layer in model.layers[first:last]:
        add_rows(layer, 0)

    def border(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def cells(values, aligns):
        lines = []
        columns = [_wrap(str(v), w) for v, w in zip(values, widths)]
        height = max(len(c) for c in columns)
        for i in range(height):
            parts = []
            for c, w, a in zip(columns, widths, aligns):
                text = str(c[i]) if i < len(c) else ""
                if len(text) > w:
                    text = text[: w - 1] + "…"
                parts.append(" " + (text.rjust(w) if a == "r" else text.ljust(w)) + " ")
            lines.append(parts)
        return lines

    aligns = ["l", "l", "r"] + (["l"] if is_graph else []) + (["c"] if show_trainable else [])
    print_fn(f'Model: "{model.name}"')
    print_fn(border("┏", "┳", "┓", "━"))
    for parts in cells(headers, aligns):
        print_fn("┃" + "┃".join(parts) + "┃")
    print_fn(border("┡", "╇", "┩", "━"))
    for i, row in enumerate(rows):
        for parts in cells(row, aligns):
            print_fn("│" + "│".join(parts) + "│")
        if i < len(rows) - 1:
            print_fn(border("├", "┼", "┤", "─"))
    print_fn(border("└", "┴", "┘", "─"))
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    total = _count(trainable) + _count(non_trainable)
    total_bytes = _dtype_bytes(trainable) + _dtype_bytes(non_trainable)
    print_fn(f" Total params: {total:,} ({_fmt_bytes(total_bytes)})")
    print_fn(f" Trainable params: {_count(trainable):,} ({_fmt_bytes(_dtype_bytes(trainable))})")
    print_fn(f" Non-trainable params: {_count(non_trainable):,} ({_fmt_bytes(_dtype_bytes(non_trainable))})")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "variables", None):
        opt_vars = [v for v in optimizer.variables if hasattr(v, "shape")]
        print_fn(f" Optimizer params: {_count(opt_vars):,} ({_fmt_bytes(_dtype_bytes(opt_vars))})")

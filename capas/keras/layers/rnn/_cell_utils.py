"""Shared pieces of the built-in cells and their layers: argument checks, config, properties."""

from capas.keras import activations, constraints, initializers, regularizers

_SERIALIZERS = {
    "activation": activations.serialize,
    "recurrent_activation": activations.serialize,
    "kernel_initializer": initializers.serialize,
    "recurrent_initializer": initializers.serialize,
    "bias_initializer": initializers.serialize,
    "kernel_regularizer": regularizers.serialize,
    "recurrent_regularizer": regularizers.serialize,
    "bias_regularizer": regularizers.serialize,
    "kernel_constraint": constraints.serialize,
    "recurrent_constraint": constraints.serialize,
    "bias_constraint": constraints.serialize,
}


def check_units(layer, units):
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': `units` must be a positive integer, received {units!r}."
        )


def set_cell_args(
    cell,
    units,
    activation,
    recurrent_activation,
    use_bias,
    kernel_initializer,
    recurrent_initializer,
    bias_initializer,
    kernel_regularizer,
    recurrent_regularizer,
    bias_regularizer,
    kernel_constraint,
    recurrent_constraint,
    bias_constraint,
    dropout,
    recurrent_dropout,
    seed,
):
    """Resolve and store the arguments every built-in cell shares."""
    check_units(cell, units)
    cell.units = units
    cell.activation = activations.get(activation)
    if recurrent_activation is not None:
        cell.recurrent_activation = activations.get(recurrent_activation)
    cell.use_bias = use_bias
    cell.kernel_initializer = initializers.get(kernel_initializer)
    cell.recurrent_initializer = initializers.get(recurrent_initializer)
    cell.bias_initializer = initializers.get(bias_initializer)
    cell.kernel_regularizer = regularizers.get(kernel_regularizer)
    cell.recurrent_regularizer = regularizers.get(recurrent_regularizer)
    cell.bias_regularizer = regularizers.get(bias_regularizer)
    cell.kernel_constraint = constraints.get(kernel_constraint)
    cell.recurrent_constraint = constraints.get(recurrent_constraint)
    cell.bias_constraint = constraints.get(bias_constraint)
    cell.dropout = min(1.0, max(0.0, float(dropout)))
    cell.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
    cell.seed = seed


def serialize_args(obj, names):
    """`{name: serialized value}` for the cell arguments `names` of `obj`."""
    out = {}
    for name in names:
        value = getattr(obj, name)
        fn = _SERIALIZERS.get(name)
        out[name] = fn(value) if fn is not None and value is not None else value
    return out


def cell_property(name):
    """A read-only property of an RNN layer that forwards to its cell."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


def is_activation(fn, name):
    return fn is getattr(activations, name)


def serialize_regularizer(regularizer):
    return regularizers.serialize(regularizer) if regularizer is not None else None


def cell_layer_config(layer, config, names):
    """The config of an RNN layer built around its own cell: the cell's arguments, flattened in."""
    del config["cell"]
    config.update(serialize_args(layer.cell, names))
    config["activity_regularizer"] = serialize_regularizer(layer._activity_regularizer)
    return config


def expose_cell_args(cls, names):
    """Give the layer class read-only properties forwarding `names` to its cell (`layer.units`)."""
    for name in names:
        setattr(cls, name, cell_property(name))

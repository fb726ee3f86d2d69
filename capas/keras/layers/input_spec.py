"""`InputSpec`: what a layer accepts, and the error text when an input does not fit."""

from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class InputSpec:
    """Constraints on one input of a layer: dtype, ndim, min/max ndim, axes sizes.

    Args:
        dtype: expected dtype, or None.
        shape: full expected shape (None for free dims), or None.
        ndim, max_ndim, min_ndim: rank constraints.
        axes: dict mapping an axis (negative allowed) to its required size.
        allow_last_axis_squeeze: accepted for compatibility.
        name: the input's name, used in error messages.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def get_config(self):
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return f"InputSpec({', '.join(parts)})"


def assert_input_compatibility(input_spec, inputs, layer):
    """Raise a ValueError naming `layer` when `inputs` break `input_spec`."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    if len(specs) != len(flat) and len(specs) > 1:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects {len(specs)} input(s), "
            f"but it received {len(flat)} input tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or x is None:
            continue
        shape = tuple(x.shape)
        rank = len(shape)
        where = f"Input {index} of layer '{layer.name}' ({type(layer).__name__})"
        if spec.ndim is not None and rank != spec.ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected ndim={spec.ndim}, "
                f"found ndim={rank}. Full shape received: {shape}."
            )
        if spec.max_ndim is not None and rank > spec.max_ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected max_ndim={spec.max_ndim}, "
                f"found ndim={rank}. Full shape received: {shape}."
            )
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected min_ndim={spec.min_ndim}, "
                f"found ndim={rank}. Full shape received: {shape}."
            )
        for axis, value in spec.axes.items():
            if value is None:
                continue
            if -rank <= axis < rank and shape[axis] is not None and shape[axis] != value:
                raise ValueError(
                    f"{where} is incompatible with the layer: expected axis {axis} of the input "
                    f"shape to have value {value}, but received input with shape {shape}. "
                    f"The layer was built for {value} features on that axis; feed inputs with "
                    f"{value} features or create a new layer."
                )
        if spec.shape is not None:
            for expected, got in zip(spec.shape, shape):
                if expected is not None and got is not None and expected != got:
                    raise ValueError(
                        f"{where} is incompatible with the layer: expected shape={spec.shape}, found shape={shape}."
                    )

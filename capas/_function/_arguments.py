"""Arguments of a `tf.function` call: `input_signature` checks, numpy arrays, TensorSpec examples."""

import numpy as np
import torch

from capas._function import _signature
from capas.ops._convert import convert_to_tensor, dtype_name
from capas.ops.strings import StringTensor, string
from capas.ops.tensor_spec import TensorSpec


def check_input_signature(name, input_signature):
    """The trace key an `input_signature` stands for; TypeError if it holds anything but TensorSpecs."""
    for spec in _leaves(input_signature):
        if not isinstance(spec, TensorSpec):
            raise TypeError(
                f"tf.function({name}): input_signature must hold only tf.TensorSpec objects "
                f"(possibly nested in lists, tuples or dicts); received {spec!r}."
            )
    return _signature.spec_key(input_signature)


def cast_to_signature(name, signature, input_signature, args, kwargs):
    """The call's arguments as tensors of the signature (positionally), or TF's TypeError."""

    def error(why):
        names = list(signature.parameters)
        specs = ", ".join(
            f"{names[i] if i < len(names) else f'arg{i}'}: {_signature.spec_repr(s)}"
            for i, s in enumerate(input_signature)
        )
        return TypeError(
            f"Binding inputs to tf.function failed due to `{why}`. Received args: {args!r} and kwargs: "
            f"{kwargs!r} for signature: ({specs})."
        )

    def cast(spec, value):
        if isinstance(spec, (list, tuple)):
            if not isinstance(value, (list, tuple)) or len(value) != len(spec):
                raise error(f"Can not cast {value!r} to {spec!r}")
            return type(spec)(cast(s, v) for s, v in zip(spec, value))
        if isinstance(spec, dict):
            if not isinstance(value, dict) or set(value) != set(spec):
                raise error(f"Can not cast {value!r} to {spec!r}")
            return {k: cast(spec[k], value[k]) for k in spec}
        tensor = value
        if spec.dtype is string:
            try:  # a tensor of another dtype fails the compatibility check below, as in TF
                tensor = value if isinstance(value, (StringTensor, torch.Tensor)) else StringTensor(value)
            except TypeError:
                raise error(f"Cannot convert {value!r} to EagerTensor of dtype string") from None
        elif not isinstance(value, torch.Tensor):
            try:
                tensor = convert_to_tensor(value, dtype=spec.dtype)
            except (TypeError, ValueError, RuntimeError):
                raise error(f"Cannot convert {value!r} to EagerTensor of dtype {dtype_name(spec.dtype)}") from None
        if not spec.is_compatible_with(tensor):
            found = _signature.TensorKey(
                string if isinstance(tensor, StringTensor) else tensor.dtype, None, tuple(tensor.shape)
            )
            raise error(f"Can not cast {found} to {_signature.spec_repr(spec)}")
        return tensor

    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        raise error(str(exc)) from None
    values = tuple(bound.arguments.values())
    if len(values) != len(input_signature):
        raise error("missing required arguments")
    return tuple(cast(spec, v) for spec, v in zip(input_signature, values)), {}


def has_arrays(value):
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (list, tuple)):
        return any(has_arrays(v) for v in value)
    if isinstance(value, dict):
        return any(has_arrays(v) for v in value.values())
    return False


def arrays_to_tensors(value):
    """numpy arrays become tensors, as TF treats them (the rest of the structure is kept)."""
    if isinstance(value, np.ndarray):
        return convert_to_tensor(value)
    if isinstance(value, list):
        return [arrays_to_tensors(v) for v in value]
    if isinstance(value, tuple):
        items = [arrays_to_tensors(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: arrays_to_tensors(v) for k, v in value.items()}
    return value


def example_values(value):
    """An example tensor for each TensorSpec (None dims become 2): tracing needs real values."""
    if isinstance(value, TensorSpec):
        dims = value.shape.as_list() if value.shape.rank is not None else []
        shape = [2 if d is None else d for d in dims]
        if value.dtype is string:
            return StringTensor(np.full(shape, b"", dtype=object))
        return torch.zeros(shape, dtype=value.dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(example_values(v) for v in value)
    if isinstance(value, dict):
        return {k: example_values(v) for k, v in value.items()}
    return value


def spec_keys(value):
    """The structure with each TensorSpec replaced by an object whose trace key is the spec's."""
    if isinstance(value, TensorSpec):
        return _KeyOnly(_signature.spec_key(value))
    if isinstance(value, (list, tuple)):
        return type(value)(spec_keys(v) for v in value)
    if isinstance(value, dict):
        return {k: spec_keys(v) for k, v in value.items()}
    return value


class _KeyOnly:
    def __init__(self, key):
        self.key = key

    def __tf_tracing_type__(self, context):
        return self.key


def _leaves(signature):
    if isinstance(signature, (list, tuple)):
        return [leaf for s in signature for leaf in _leaves(s)]
    if isinstance(signature, dict):
        return [leaf for s in signature.values() for leaf in _leaves(s)]
    return [signature]

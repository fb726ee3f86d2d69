"""`ConcreteFunction`: one trace of a `tf.function`, callable with tensors of its traced types."""

import torch

from capas._function import _signature
from capas.ops.strings import StringTensor
from capas.ops.tensor_spec import TensorSpec
from capas.errors import InvalidArgumentError


class ConcreteFunction:
    """One trace of a `Function` (as `get_concrete_function` returns it).

    Call it with the tensor arguments of the trace, positionally or by name;
    the Python values it was traced with are fixed and cannot be passed again.
    """

    def __init__(self, function, entry, args, kwargs):
        self._function = function
        self._entry = entry
        bound = function._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        self._values = dict(bound.arguments)
        self._tensor_params = [name for name, v in self._values.items() if _holds_tensors(v)]
        self.structured_outputs = entry.structured_outputs

    @property
    def structured_input_signature(self):
        """`(args, kwargs)`: a TensorSpec for each tensor argument, the value of each Python one."""
        keys = self._entry.key[1] if isinstance(self._entry.key, tuple) else ()
        specs = []
        for (name, value), key in zip(self._values.items(), keys):
            specs.append(_as_spec(key, value, name))
        return tuple(specs), {}

    def __call__(self, *args, **kwargs):
        if len(args) > len(self._tensor_params):
            raise TypeError(
                f"{self._function.__name__}: this concrete function takes {len(self._tensor_params)} tensor "
                f"argument(s) ({', '.join(self._tensor_params)}); received {len(args)} positional arguments."
            )
        given = dict(zip(self._tensor_params, args))
        for name, value in kwargs.items():
            if name not in self._tensor_params:
                fixed = self._values.get(name, "<no such argument>")
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast {value!r} to Literal[{fixed!r}]`. "
                    f"Received args: {args!r} and kwargs: {kwargs!r}. {self._function.__name__} was traced with "
                    f"{name}={fixed!r}; trace again (get_concrete_function) for another value."
                )
            given[name] = value
        values = dict(self._values)
        values.update(given)
        call_args = tuple(values.values())
        tensors = []
        key = _signature.make_key(call_args, tensors)
        if not _signature.accepts(self._entry.key, key):
            raise _mismatch(self._function.__name__, self._entry.key, key)
        return self._function._run(self._entry, key, call_args, {}, tensors)

    def __repr__(self):
        return f"<ConcreteFunction {self._function.__name__}{self.structured_input_signature[0]}>"


def _holds_tensors(value):
    if isinstance(value, (torch.Tensor, StringTensor)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_tensors(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_tensors(v) for v in value.values())
    return False


def _as_spec(key, value, name):
    if isinstance(key, _signature.TensorKey):
        return TensorSpec(key.shape, key.dtype, name=name)
    return value


def _mismatch(name, traced, received):
    # TF raises InvalidArgumentError (also a ValueError in capas).
    return InvalidArgumentError(
        None,
        None,
        f"ConcreteFunction {name} was traced for inputs {_describe(traced)}; received {_describe(received)}. "
        "Call the tf.function itself (it traces again for new types) or pass tensors of the traced dtype and shape.",
    )


def _describe(key):
    if isinstance(key, tuple) and len(key) == 2 and key[0] in (tuple, list):
        return "(" + ", ".join(_describe(k) for k in key[1]) + ")"
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], type):
        return repr(key[1])
    return repr(key)

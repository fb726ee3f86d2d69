"""Dtype policies: the dtype of a layer's variables and of its computations.

`'float32'` (default), `'float64'`, `'bfloat16'`..., and the mixed policies
`'mixed_float16'` / `'mixed_bfloat16'` (float32 variables, lower-precision
compute through `torch.autocast`), as `keras.mixed_precision` defines them.
"""

import torch

from capas.ops._convert import as_torch_dtype, dtype_name
from capas.keras.saving.object_registration import register_builtin

_GLOBAL = {"policy": None}


@register_builtin("layers")
class DTypePolicy:
    """A named pair (variable dtype, compute dtype)."""

    def __init__(self, name="float32"):
        if isinstance(name, DTypePolicy):
            name = name.name
        name = str(name) if not isinstance(name, torch.dtype) else dtype_name(name)
        if name.startswith("mixed_"):
            compute = name[len("mixed_") :]
            if compute not in ("float16", "bfloat16"):
                raise ValueError(f"Unknown mixed precision policy '{name}'; use 'mixed_float16' or 'mixed_bfloat16'.")
            self.variable_dtype = "float32"
            self.compute_dtype = compute
        else:
            self.variable_dtype = self.compute_dtype = dtype_name(as_torch_dtype(name))
        self.name = name
        self._mixed = name.startswith("mixed_")

    @property
    def is_mixed(self):
        return self._mixed

    def autocast_context(self):
        if not self.is_mixed:
            return None
        device = "cuda" if torch.cuda.is_available() else "cpu"
        return torch.autocast(device_type=device, dtype=as_torch_dtype(self.compute_dtype))

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


@register_builtin("layers")
class FloatDTypePolicy(DTypePolicy):
    """Keras's older name for a `DTypePolicy` of float dtypes; it behaves as `DTypePolicy`.

    Example:

    >>> from capas import keras
    >>> keras.FloatDTypePolicy("mixed_float16") == keras.DTypePolicy("mixed_float16")
    True
    """


def serialize_policy(policy):
    """Keras 3's dict for a policy: `{"module": "keras", "class_name": "DTypePolicy", "config": {"name": ...}}`."""
    return {
        "module": "keras",
        "class_name": type(policy).__name__,
        "config": policy.get_config(),
        "registered_name": None,
    }


def resolve_policy(dtype):
    if dtype is None:
        return _GLOBAL["policy"] or DTypePolicy("float32")
    if isinstance(dtype, DTypePolicy):
        return dtype
    if isinstance(dtype, dict):
        return DTypePolicy(dtype.get("config", {}).get("name", "float32"))
    return DTypePolicy(dtype)


def set_global_policy(policy):
    """`keras.mixed_precision.set_global_policy('mixed_bfloat16')`."""
    _GLOBAL["policy"] = None if policy is None else resolve_policy(policy)


def global_policy():
    return _GLOBAL["policy"] or DTypePolicy("float32")

"""`Layer`: the Keras layer contract, as a `torch.nn.Module`.

A layer holds state (variables) and computation (`call`). `build(input_shape)`
runs once, at the first call, inside the layer's name scope, so variables
created there are named `'layer/kernel:0'`. Everything a Keras user relies on
lives here: `add_weight`, tracking of raw Variables and sublayers assigned as
attributes (also inside lists and dicts), `weights` in Keras 3 order,
`trainable` freezing, `add_loss`/`losses`, `get_config`, and the functional
API's symbolic calls.

Because a layer is a module (DESIGN.md, decision 3), `parameters()`,
`state_dict()`, `.to(device)` and `torch.compile` work on it.

Differs from Keras: `layer.training` is torch's module flag; Keras code reads
the `training` call argument instead, which capas passes exactly as Keras does.
"""

import contextlib
import copy
import functools
import inspect
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from capas.distribute import sharding as _sharding
from capas import tape as _tape
from capas.keras import constraints, initializers, regularizers
from capas.keras.layers import _remat, _symbolic
from capas.keras.layers._dtype_policy import DTypePolicy, resolve_policy, serialize_policy
from capas.keras.layers._symbolic import KerasTensor
from capas.keras.layers.input_spec import assert_input_compatibility
from capas.keras.metrics.metric import Metric
from capas.keras.saving.object_registration import register_builtin
from capas.keras.utils import naming
from capas.ops._convert import as_torch_dtype, convert_to_tensor
from capas.ops import strings as _strings
from capas.variables import Variable, name_scope

# The types of the public API's hints. A shape is a tuple of ints, `None` where unknown (the batch
# dimension); lists and `torch.Size` are accepted too. A dtype is a name ('float32'), a torch dtype,
# a `DTypePolicy` or its name ('mixed_float16'); None means the global policy.
Shape = tuple[int | None, ...]
ShapeLike = Shape | list[int | None] | torch.Size
DTypeLike = str | torch.dtype | DTypePolicy | None

_ctx = threading.local()
_structure_version = [0]


def _bump_structure():
    _structure_version[0] += 1


class _TrackedList(list):
    """A list attribute of a layer; layers and variables put in it are tracked."""


class _TrackedDict(dict):
    """A dict attribute of a layer; layers and variables put in it are tracked."""


def _is_trackable(value):
    return isinstance(value, (torch.nn.Module, Variable))


class _CallSignature:
    """What a `call` method accepts, computed once per class."""

    def __init__(self, fn):
        params = inspect.signature(fn).parameters
        self.has_training = "training" in params
        self.has_mask = "mask" in params
        self.var_kwargs = any(p.kind == p.VAR_KEYWORD for p in params.values())
        positional = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        self.first_arg = positional[0].name if positional else None


_SIGNATURES = {}  # class -> (call signature, build signature); classes live as long as the process


def _signature(cls):
    sig = _SIGNATURES.get(cls)
    if sig is None:
        sig = _SIGNATURES[cls] = (_CallSignature(cls.call), inspect.signature(cls.build))
        sig[0].custom_mask = cls.compute_mask is not Layer.compute_mask
    return sig


_FULL = ("float32", "float64")


def _flag_kwargs(kwargs):
    """Whether every keyword argument is a flag (`training=False`, `mask=None`): nothing symbolic in them."""
    for value in kwargs.values():
        if value is not None and value.__class__ is not bool:
            return False
    return True


def _is_half(value):
    if not isinstance(value, torch.Tensor):
        return False
    dtype = value.dtype  # by identity: `in` would call torch.dtype's `==`, a Python function under capas
    return dtype is torch.float16 or dtype is torch.bfloat16


def _half_input(first):
    """Whether a layer's first input holds float16/bfloat16 tensors (cheap: no copies)."""
    if isinstance(first, torch.Tensor):
        return _is_half(first)
    if isinstance(first, (list, tuple)):
        return any(_is_half(t) for t in first)
    return False


@register_builtin("layers")
class Layer(torch.nn.Module):
    """The base class of all layers.

    Subclasses create weights in `__init__` (when sizes are known) or in
    `build(input_shape)` (called once, at the first call), and compute in
    `call(inputs, training=None, mask=None)`.

    Args:
        trainable: whether the layer's weights are trained.
        name: the layer's name; default: the class name in snake_case, made
            unique (`'lineal_v1'`, `'lineal_v1_1'`).
        dtype: the dtype of the layer's weights and computations ('float32'),
            or a mixed precision policy name ('mixed_float16', 'mixed_bfloat16').
        activity_regularizer: a regularizer applied to the layer's output and
            added to `losses`.

    Call arguments:
        inputs: a tensor (or numpy array, converted) or a nested structure.
        training: Python bool; forwarded to `call` when it accepts it, and to
            every sublayer called inside.
        mask: an optional mask, forwarded to `call` when it accepts it.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> class Lineal(layers.Layer):
    ...     def __init__(self, units=32):
    ...         super().__init__()
    ...         self.units = units
    ...     def build(self, input_shape):
    ...         self.a = self.add_weight(shape=(input_shape[-1], self.units), name="a")
    ...     def call(self, inputs):
    ...         return tf.matmul(inputs, self.a)
    >>> Lineal(4)(tf.ones((2, 3))).shape
    torch.Size([2, 4])
    """

    _remat_mode = None  # a RematMode when constructed inside keras.RematScope (layers/_remat.py)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _marking_built(cls.__dict__["build"])

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        torch.nn.Module.__init__(self)
        self._set_untracked(
            _keras_init_done=False,
            _inbound_nodes=[],
            _losses=[],
            _containers={},
            built=False,
            _trainable=True,
            _flat_cache=(-1, None),
            _constructor_args=(args, kwargs),
        )
        return self

    def _set_untracked(self, **values):
        """Set plain attributes that tracking must not see: caches, recorded shapes, flags, back-references.

        `self.x = value` on a layer tracks what it holds (a variable becomes a
        weight, a layer a sublayer, a list of them a tracked container) and goes
        through torch's `Module.__setattr__`. `self._set_untracked(x=value)`
        stores `value` as it is, in the instance dict: the one idiom for layer
        (and model) state that is neither a weight nor a sublayer, used by
        capas's own code wherever it must bypass tracking.

        Example:

        >>> from capas.keras import layers
        >>> layer = layers.Dense(2)
        >>> layer._set_untracked(_note=[layers.Dense(1)])  # a list of layers, yet not a sublayer
        >>> len(layer._note), len(layer._direct_sublayers())
        (1, 0)
        """
        vars(self).update(values)

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype: DTypeLike = None,
        activity_regularizer: str | Callable[[torch.Tensor], torch.Tensor] | None = None,
        input_shape: ShapeLike | None = None,
        input_dim: int | None = None,
        batch_input_shape: ShapeLike | None = None,
        batch_size: int | None = None,
        autocast: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("input_length", None)
        if "weights" in kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() does not take `weights` (Keras 3 refuses it too). Build the "
                "layer, then call layer.set_weights([...]) with the values."
            )
        unknown = set(kwargs) - {"dynamic", "build_config", "compile_config"}
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected keyword argument(s) "
                f"{sorted(unknown)}. Layer accepts: trainable, name, dtype, activity_regularizer, "
                "input_shape, input_dim, batch_size."
            )
        if name is None:
            name = naming.uniquify(naming.to_snake_case(type(self).__name__))
        elif not isinstance(name, str):
            raise TypeError(f"Layer name must be a string, received {type(name).__name__}: {name!r}.")
        own = vars(self)
        self._set_untracked(name=name)
        self._set_dtype_policy(dtype)
        self._set_untracked(
            _trainable=bool(trainable),
            supports_masking=own.get("supports_masking", False),
            input_spec=own.get("input_spec", None),
            _activity_regularizer=None,
        )
        if activity_regularizer is not None:
            self._set_untracked(_activity_regularizer=regularizers.get(activity_regularizer))
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._set_untracked(_batch_input_shape=tuple(batch_input_shape))
        elif input_shape is not None:
            self._set_untracked(_batch_input_shape=(batch_size,) + tuple(input_shape))
        remat_mode = _remat.current_mode()
        if remat_mode is not None:  # a layer built inside keras.RematScope keeps its mode, as in Keras
            self._set_untracked(_remat_mode=remat_mode)
        self._set_untracked(_keras_init_done=True)

    # ------------------------------------------------------------------ dtype
    def _set_dtype_policy(self, dtype):
        self._set_untracked(_dtype_policy=resolve_policy(dtype))

    @property
    def dtype_policy(self) -> DTypePolicy:
        return self._dtype_policy

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights, as a string ('float32')."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    # --------------------------------------------------------------- tracking
    def __setattr__(self, name, value):
        if name == "training" and value.__class__ is bool:
            # torch's mode flag, which `train()`/`eval()` set on every module (`predict`, `evaluate` and
            # `train_on_batch` switch it twice per call): nothing here tracks a bool.
            self._set_untracked(training=value)
            return
        if isinstance(value, Variable):
            _bump_structure()
            params = self.__dict__.get("_parameters")
            if params is not None and name not in params and any(p is value for p in params.values()):
                # Already tracked (add_weight registered it under its own name).
                for store in (self._modules, self._buffers):
                    store.pop(name, None)
                self._set_untracked(**{name: value})
                return
        elif isinstance(value, (list, tuple)) and not isinstance(value, _TrackedList) and not name.startswith("__"):
            if (not value and isinstance(value, list)) or any(_is_trackable(v) for v in value):
                if isinstance(value, tuple) and not hasattr(value, "_fields"):
                    value = tuple(value)
                    self._containers[name] = value
                else:
                    value = _TrackedList(value) if isinstance(value, list) else value
                    self._containers[name] = value
                _bump_structure()
        elif isinstance(value, dict) and not isinstance(value, _TrackedDict) and not name.startswith("_"):
            if not value or any(_is_trackable(v) for v in value.values()):
                value = _TrackedDict(value)
                self._containers[name] = value
                _bump_structure()
        elif isinstance(value, (torch.nn.Module, Metric)):
            _bump_structure()  # a Metric attribute joins the model's metrics (Keras 3 tracks it)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        self._containers.pop(name, None)
        _bump_structure()
        super().__delattr__(name)

    def _sync_containers(self):
        """Register layers/variables held in list or dict attributes with torch."""
        if not self._containers:
            return
        stale = [k for k in self._modules if "." in k] + [k for k in self._parameters if "." in k]
        for key in stale:
            self._modules.pop(key, None)
            self._parameters.pop(key, None)
        for attr, container in self._containers.items():
            items = container.items() if isinstance(container, dict) else enumerate(container)
            for key, value in items:
                if isinstance(value, Variable):
                    if not any(p is value for p in self._parameters.values()):
                        self._parameters[f"{attr}.{key}"] = value
                elif isinstance(value, torch.nn.Module):
                    self._modules[f"{attr}.{key}"] = value

    def _direct_sublayers(self):
        self._sync_containers()
        seen = set()
        out = []
        for module in self._modules.values():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                out.append(module)
        return out

    def _flatten_layers(self, include_self=True):
        """All layers of the tree, depth first, each once (cached)."""
        version, cached = self._flat_cache
        if version != _structure_version[0] or cached is None:
            seen = set()
            cached = []

            def visit(layer):
                if id(layer) in seen:
                    return
                seen.add(id(layer))
                cached.append(layer)
                if isinstance(layer, Layer):
                    for child in layer._direct_sublayers():
                        visit(child)
                else:
                    for child in layer.children():
                        visit(child)

            visit(self)
            self._set_untracked(_flat_cache=(_structure_version[0], cached))
        return cached if include_self else cached[1:]

    def _own_variables(self):
        self._sync_containers()
        seen = set()
        out = []
        for p in self._parameters.values():
            if p is not None and id(p) not in seen:
                seen.add(id(p))
                out.append(p)
        return out

    @property
    def _layers(self):
        return [m for m in self._direct_sublayers()]

    # ---------------------------------------------------------------- weights
    def _collect(self, want):
        """Variables of the tree in Keras 3 order: own first, then sublayers."""
        out = []
        seen = set()
        frozen = not self._trainable

        def add(v, layer_trainable):
            if id(v) in seen:
                return
            trainable = layer_trainable and _is_trainable(v)
            if want == "all" or (want == "trainable") == trainable:
                seen.add(id(v))
                out.append(v)

        def visit(layer, layer_trainable):
            if isinstance(layer, Layer):
                layer_trainable = layer_trainable and layer._trainable
                for v in layer._own_variables():
                    add(v, layer_trainable)
                for child in layer._direct_sublayers():
                    visit(child, layer_trainable)
            else:  # a plain torch module used as a layer
                for p in layer.parameters():
                    if want == "all" or (want == "trainable") == (layer_trainable and p.requires_grad):
                        if id(p) not in seen:
                            seen.add(id(p))
                            out.append(p)

        visit(self, not frozen)
        return out

    @property
    def weights(self) -> list[Variable]:
        """All variables (trainable first within each layer? no: Keras 3 creation order)."""
        return self._collect("all")

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self._trainable:
            return []
        return self._collect("trainable")

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return self._collect("non_trainable")

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    @property
    def trainable_variables(self) -> list[Variable]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.non_trainable_weights

    def state_tensors(self):
        """Every variable and buffer of the tree (for snapshots)."""
        return list(self.parameters()) + list(self.buffers())

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        for layer in self._flatten_layers():
            if isinstance(layer, Layer):
                layer._set_untracked(_trainable=value)
                for v in layer._own_variables():
                    intent = v.__dict__.get("_trainable_intent", v.requires_grad)
                    v._trainable_intent = intent
                    if v.is_floating_point():
                        v.requires_grad_(bool(value and intent))
            else:
                layer.requires_grad_(value)

    def add_weight(
        self,
        shape: ShapeLike | None = None,
        initializer: str | Callable[..., torch.Tensor] | None = None,
        dtype: DTypeLike = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: str | Callable[[torch.Tensor], torch.Tensor] | None = None,
        constraint: str | Callable[[torch.Tensor], torch.Tensor] | None = None,
        aggregation: str = "none",
        overwrite_with_gradient: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ) -> Variable:
        """Create a variable, track it, and return it.

        Args:
            shape: the variable's shape (tuple of ints; `()` for a scalar).
            initializer: a name ('random_normal', 'zeros', 'glorot_uniform'...),
                an initializer object or a callable `(shape, dtype) -> tensor`.
                Default: 'glorot_uniform' for floats, 'zeros' otherwise.
            dtype: defaults to the layer's variable dtype.
            trainable: whether the variable is trained.
            regularizer: a regularizer whose penalty joins `losses`.
            constraint: a function applied to the variable after each update.
            name: the variable's short name.

        Returns:
            The new `Variable`.
        """
        if shape is None:
            shape = ()
        try:
            shape = tuple(int(d) for d in shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}).add_weight(name={name!r}) needs a shape of "
                f"integers; received shape={shape!r}. If a dimension comes from the input, create "
                "the weight in build(input_shape)."
            ) from None
        if any(d < 0 for d in shape):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}).add_weight(name={name!r}) received a "
                f"negative dimension in shape={shape}. Every dimension must be >= 0."
            )
        dtype = as_torch_dtype(dtype) or as_torch_dtype(self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
        init = initializers.get(initializer)
        with _symbolic.real_mode() if _symbolic.in_symbolic_call() else contextlib.nullcontext():
            with torch.no_grad():
                value = init(shape, dtype=dtype)
            value = convert_to_tensor(value, dtype=dtype)
            if tuple(value.shape) != shape:
                raise ValueError(
                    f"Layer '{self.name}': initializer {initializer!r} returned shape "
                    f"{tuple(value.shape)}, expected {shape}."
                )
            device = self._weights_device() or _default_device()
            if value.device != device:
                value = value.to(device)
            if True:  # variables made outside build() carry no layer scope, as in TF 2
                variable = Variable(
                    value,
                    trainable=trainable,
                    name=name or "variable",
                    dtype=dtype,
                    regularizer=regularizers.get(regularizer),
                    constraint=constraints.get(constraint),
                    _owned=type(init).__module__.startswith("capas.keras.initializers."),  # a fresh tensor
                )
        key = name or "variable"
        base = key
        i = 1
        while (
            key in self._parameters
            or key in self._modules
            or (key in self.__dict__ and not isinstance(self.__dict__[key], Variable))
            or hasattr(type(self), key)
        ):
            key = f"{base}_{i}"
            i += 1
        self.register_parameter(key, variable)
        _bump_structure()
        return variable

    add_variable = add_weight

    def _weights_device(self):
        for p in self.parameters():
            return p.device
        return None

    # ------------------------------------------------------------------ build
    def build(self, input_shape: ShapeLike | list[ShapeLike] | None = None) -> None:
        """Create the layer's weights; called once with the first input's shape."""
        self.built = True

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        if not self._keras_init_done:
            _raise_super_not_called(self)
        _, build_sig = _signature(type(self))
        shapes = _build_shapes(build_sig, args, kwargs)
        with name_scope(self.name):
            with _symbolic.real_mode() if _symbolic.in_symbolic_call() else torch.no_grad():
                self.build(*shapes)
        self.built = True
        self._post_build()

    def _post_build(self):
        """Hook run once after build (e.g. set input_spec)."""

    def build_from_config(self, config: dict[str, Any] | None) -> None:
        shape = config.get("input_shape") if config else None
        if shape is not None and not self.built:
            _, build_sig = _signature(type(self))
            self.build(shape)
            self.built = True
            self._post_build()

    def get_build_config(self) -> dict[str, Any] | None:
        shape = getattr(self, "_build_input_shape", None)
        if shape is None:
            return None
        return {"input_shape": shape}

    # ------------------------------------------------------------------- call
    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation; the default returns the inputs."""
        return inputs

    def forward(self, *args, **kwargs):
        return self(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self.__dict__.get("_keras_init_done", False):
            _raise_super_not_called(self)
        plain_tensor = len(args) == 1 and args[0].__class__ is torch.Tensor  # the common call, checked first
        if (
            args
            and not plain_tensor
            and _symbolic.any_symbolic(args)
            or kwargs
            and not _flag_kwargs(kwargs)
            and _symbolic.any_symbolic(kwargs)
        ):
            return self._symbolic_call(args, kwargs)
        if plain_tensor and not kwargs:  # inside a model's or layer's call: the short path (`_call_plain`)
            return self._call_plain(args[0])
        if args:
            first = args[0]
            if not isinstance(first, torch.Tensor):
                args = (_to_tensors(first, self),) + args[1:]
        return self._call_at_depth(args, kwargs)

    def _call_at_depth(self, args, kwargs):
        """The rest of `__call__` once its arguments are real tensors: the top-level path outside any
        layer's call, else this layer's own.

        A functional model calls it directly for a plain tensor its graph hands a layer that keeps
        `Layer.__call__` (`Functional.call`): the checks before it cannot apply there (the layer
        was initialised and called symbolically to build the graph).
        """
        if not _ctx.__dict__.get("depth"):  # also `model.call(x)` called directly
            return self._top_level_call(args, kwargs)
        if _sharding._FORWARD[0] and "_capas_fsdp_unit" in self.__dict__:  # FSDPStrategy: FSDP2 gathers this unit
            return self.__dict__["_capas_fsdp_unit"].call(self._inner_call, args, kwargs)
        return self._inner_call(args, kwargs)

    def _call_plain(self, x):
        """`_call_at_depth((x,), {})` for one plain tensor and no keyword arguments: a functional or
        sequential model's graph hands each layer its input this way, and `__call__` takes it for
        `layer(x)`.

        The same call with less Python per layer (it runs once per layer and batch): under a
        model's call the depth is already set and the training flag is the model's, so neither
        changes here. A layer that needs more (not built, an `input_spec`, remat, a mixed or
        float32-in-half policy, an activity regularizer, an FSDP unit, no enclosing call) takes
        the full path, `_inner_call`.
        """
        policy = self._dtype_policy
        dtype = x.dtype
        if (
            not _ctx.__dict__.get("depth")
            or not self.__dict__.get("built")
            or self.input_spec is not None
            or self._remat_mode is not None
            or self._activity_regularizer is not None
            or policy.is_mixed
            or ((dtype is torch.float16 or dtype is torch.bfloat16) and policy.compute_dtype in _FULL)
            or _sharding._FORWARD[0]
        ):
            return self._call_at_depth((x,), {})
        call_sig = _signature(type(self))[0]
        training = _ctx.__dict__.get("training")
        mask = getattr(x, "_keras_mask", None)
        kwargs = {}
        if training is not None and call_sig.has_training:
            kwargs["training"] = training
        if mask is not None and call_sig.has_mask:
            kwargs["mask"] = mask
        stack = _scope_stack()
        stack.append(self.name)
        try:
            outputs = self.call(x, **kwargs) if kwargs else self.call(x)
        except Exception as exc:
            _annotate(exc, self, (x,), kwargs)
            raise
        finally:
            stack.pop()
        if call_sig.custom_mask or (mask is not None and self.supports_masking):
            out_mask = self.compute_mask(x, mask)
            if out_mask is not None:
                _attach_masks(outputs, out_mask)
        return outputs

    def _inference_fn(self):
        """This layer's inference forward pass as one function of a plain tensor, or None.

        `predict` and `evaluate` run a model that is a chain of such layers as these functions
        alone (`capas.keras.models._inference_chain`): the same kernels without `__call__`'s
        Python. None (the default) keeps the layer, and its model, on the general path. A layer
        whose inference pass returns its input may return `inference_identity`.
        """
        return None

    def _calls_plainly(self, cls):
        """Whether this layer's call is `cls.call` (not replaced on the instance either) and nothing
        that `__call__` adds applies to it: built, float32, no input spec, remat, activity
        regularizer, FSDP unit or custom mask."""
        policy = self._dtype_policy
        cls_of = type(self)
        return bool(
            cls_of.call is cls.call
            and cls_of.__call__ is Layer.__call__
            and "call" not in self.__dict__  # `layer.call = f` on the instance: `__call__` runs f
            and self.__dict__.get("built")
            and self.input_spec is None
            and self._remat_mode is None
            and self._activity_regularizer is None
            and not policy.is_mixed
            and policy.compute_dtype == "float32"
            and "_capas_fsdp_unit" not in self.__dict__
            and not _signature(cls_of)[0].custom_mask
        )

    def _own_call_fn(self, cls):
        """`_inference_fn` of a layer whose inference pass is its `call` as it stands: that bound
        method (with `training=False` when the call takes it, as a model's `predict` hands it
        down), or None where `_calls_plainly(cls)` does not hold."""
        if not self._calls_plainly(cls):
            return None
        if _signature(type(self))[0].has_training:
            return functools.partial(self.call, training=False)
        return self.call

    def _clear_call_losses(self):
        """Drop the `add_loss` terms of this layer and its sublayers, as each top-level call does."""
        for layer in self._flatten_layers():
            losses = layer.__dict__.get("_losses")
            if losses:
                losses.clear()

    def _top_level_call(self, args, kwargs):
        inner = self._inner_call
        if _sharding._UNITS or _sharding._PENDING:  # tf.distribute.FSDPStrategy: FSDP2 gathers the variables
            inner = _sharding.top_level(self, inner)
        self._clear_call_losses()
        if torch.is_grad_enabled() and not _tape.is_recording():
            with torch.no_grad():
                return inner(args, kwargs)
        if _tape._state.__dict__.get("tapes"):
            _tape.note_layer_call(self)  # its trainable weights are "accessed" (watched_variables)
        return inner(args, kwargs)

    def _inner_call(self, args, kwargs):
        call_sig = _signature(type(self))[0]
        if not self.built:
            self._maybe_build(args, kwargs)
            if args:
                self._set_untracked(_build_input_shape=_shape_of(args[0]))
        if self.input_spec is not None and args:
            assert_input_compatibility(self.input_spec, args[0], self)
        outer_training = getattr(_ctx, "training", None)
        training = kwargs.get("training", None)
        if training is None:
            training = outer_training
            if call_sig.has_training and training is not None:
                kwargs["training"] = training
        elif not call_sig.has_training and not call_sig.var_kwargs:
            kwargs.pop("training")
        mask = kwargs.get("mask")
        if mask is None and args:
            mask = getattr(args[0], "_keras_mask", None)
        if call_sig.has_mask:
            if mask is not None:
                kwargs["mask"] = mask
        elif "mask" in kwargs and not call_sig.var_kwargs:
            kwargs.pop("mask")
        _ctx.depth = getattr(_ctx, "depth", 0) + 1
        _ctx.training = training
        stack = _scope_stack()
        stack.append(self.name)
        try:
            call = self.call if self._remat_mode is None else _remat.layer_call(self, args, kwargs, self._call_state())
            if self._dtype_policy.is_mixed:
                with self._dtype_policy.autocast_context():
                    outputs = call(*args, **kwargs)
            elif args and _half_input(args[0]) and self._dtype_policy.compute_dtype in _FULL:
                # A float32 layer in a mixed model (the float32 softmax output layer):
                # Keras casts its inputs to float32 and computes in float32.
                outputs = self._full_precision_call(args, kwargs)
            else:
                outputs = call(*args, **kwargs)
        except Exception as exc:
            _annotate(exc, self, args, kwargs)
            raise
        finally:
            stack.pop()
            _ctx.depth -= 1
            _ctx.training = outer_training
        if self._activity_regularizer is not None and isinstance(outputs, torch.Tensor):
            self.add_loss(self._activity_regularizer(outputs) / outputs.shape[0])
        if call_sig.custom_mask or (mask is not None and self.supports_masking):
            out_mask = self.compute_mask(args[0] if args else None, mask)
            if out_mask is not None:
                _attach_masks(outputs, out_mask)
        return outputs

    @staticmethod
    def _call_state():
        """A context factory that restores the current call depth and training flag (for remat's recomputation)."""
        depth, training = _ctx.depth, getattr(_ctx, "training", None)

        @contextlib.contextmanager
        def restore():
            saved = (_ctx.depth, getattr(_ctx, "training", None))
            _ctx.depth, _ctx.training = depth, training
            try:
                yield
            finally:
                _ctx.depth, _ctx.training = saved

        return restore

    def _full_precision_call(self, args, kwargs):
        dtype = getattr(torch, self._dtype_policy.compute_dtype)
        first = args[0]
        if isinstance(first, torch.Tensor):
            first = first.to(dtype)
        else:
            first = type(first)(t.to(dtype) if _is_half(t) else t for t in first)
        device = first.device.type if isinstance(first, torch.Tensor) else "cpu"
        with torch.autocast(device_type=device, enabled=False):
            return self.call(first, *args[1:], **kwargs)

    def _symbolic_call(self, args, kwargs):
        if not self.built:
            shapes_args = _symbolic.map_structure(_kt_to_shape_holder, args)
            self._maybe_build(shapes_args, {})
            self._set_untracked(_build_input_shape=_shape_of(args[0]) if args else None)

        def run(*a, **k):
            return self._inner_symbolic(a, k)

        try:
            outputs = _symbolic.compute_output_spec(run, args, kwargs, owner=self)
        except Exception as exc:
            _annotate(exc, self, args, kwargs)
            raise
        _symbolic.Node(self, args, kwargs, outputs)
        return outputs

    def _inner_symbolic(self, args, kwargs):
        depth = getattr(_ctx, "depth", 0)
        _ctx.depth = depth + 1 if depth > 0 else 1
        try:
            return self._inner_call(args, kwargs)
        finally:
            _ctx.depth = depth

    def compute_mask(self, inputs: Any, previous_mask: torch.Tensor | None = None) -> torch.Tensor | None:
        if not self.supports_masking:
            return None
        return previous_mask

    def compute_output_shape(self, input_shape: ShapeLike | list[ShapeLike]) -> Any:
        """The output shape for `input_shape`, inferred by a fake-tensor run."""
        if isinstance(input_shape, (list, tuple)) and input_shape and isinstance(input_shape[0], (list, tuple)):
            x = [KerasTensor(s) for s in input_shape]
        else:
            x = KerasTensor(input_shape)
        out = _symbolic.compute_output_spec(lambda t: self._inner_symbolic((t,), {}), (x,), {}, owner=self)
        return _symbolic.map_structure(lambda t: t.shape, out)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        return _symbolic.compute_output_spec(lambda *a, **k: self._inner_symbolic(a, k), args, kwargs, owner=self)

    # ----------------------------------------------------------------- losses
    def add_metric(self, *args: Any, **kwargs: Any) -> None:
        """Gone in Keras 3 (tf.keras 2 had it): raises NotImplementedError, as TF 2.21 does."""
        raise NotImplementedError(
            f"Layer '{self.name}' ({type(self).__name__}): `add_metric()` was removed in Keras 3. Pass the "
            "metric to `Model.compile(metrics=[...])`, or create a metric tracker in __init__/build and call "
            "its `update_state()` (and list it in the model's `metrics` property)."
        )

    def add_loss(self, loss: torch.Tensor | float) -> None:
        """Add a scalar loss; `losses` returns it until the next top-level call."""
        if _symbolic.in_symbolic_call():
            return
        if not isinstance(loss, torch.Tensor):
            loss = convert_to_tensor(loss, dtype="float32")
        self._losses.append(loss)

    @property
    def losses(self) -> list[torch.Tensor]:
        """add_loss losses and weight-regularization penalties of the whole tree."""
        version = _structure_version[0]
        cache = self.__dict__.get("_losses_cache")
        if cache is None or cache[0] != version:
            keras_layers = [layer for layer in self._flatten_layers() if isinstance(layer, Layer)]
            regularized = [v for v in self.weights if getattr(v, "regularizer", None) is not None]
            cache = (version, keras_layers, regularized)
            self._set_untracked(_losses_cache=cache)
        _, keras_layers, regularized = cache
        out = []
        for layer in keras_layers:
            if layer._losses:
                out.extend(layer._losses)
        if regularized:
            recording = _tape.is_recording() or not torch.is_grad_enabled()
            with contextlib.nullcontext() if recording else torch.no_grad():
                out.extend(v.regularizer(v) for v in regularized)
        return out

    # ---------------------------------------------------------------- weights
    def get_weights(self) -> list[np.ndarray]:
        """The values of `weights` as numpy arrays."""
        if _sharding._UNITS:  # FSDPStrategy: gather the sharded weights first (a collective)
            _sharding.readable(self)
        return [v.detach().cpu().numpy().copy() for v in self.weights]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Assign numpy arrays to `weights`, in order; all shapes are checked first."""
        if _sharding._UNITS:  # FSDPStrategy: written into gathered copies, then into the shards (a collective)
            _sharding.readable(self)
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}).set_weights() expected a list of "
                f"{len(params)} arrays (one per weight), received {len(weights)}."
            )
        values = []
        for p, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(p.shape):
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}).set_weights(): weight "
                    f"'{getattr(p, 'path', '?')}' has shape {tuple(p.shape)}, received an array of "
                    f"shape {tuple(w.shape)}."
                )
            values.append(w)
        with torch.no_grad():
            for p, w in zip(params, values):
                p.copy_(torch.as_tensor(w, dtype=p.dtype))

    def count_params(self) -> int:
        """Total number of scalars in `weights`."""
        if not self.built and not self.weights:
            raise ValueError(
                f"Layer '{self.name}' is not built yet, so its parameters are unknown. "
                "Call it on data (or build(input_shape)) first."
            )
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # ----------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as a JSON-friendly dict."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": serialize_policy(self._dtype_policy)}
        if getattr(self, "_batch_input_shape", None) is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        if type(self).get_config is Layer.get_config:
            auto = _auto_config(self)
            if auto is not None:
                config.update(auto)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Layer":
        config = dict(config)
        return cls(**config)

    # ---------------------------------------------------------------- helpers
    @property
    def input(self) -> Any:
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called on symbolic inputs, so it has no input.")
        tensors = nodes[0].input_tensors
        return tensors[0] if len(tensors) == 1 else tensors

    @property
    def output(self) -> Any:
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called on symbolic inputs, so it has no output.")
        return nodes[0].outputs

    @property
    def path(self) -> str:
        return self.name

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __reduce__(self):
        raise TypeError(
            f"Layer '{self.name}' cannot be pickled directly; use model.save('m.keras') or "
            "torch.save(layer.state_dict(), path)."
        )

    def __deepcopy__(self, memo):
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key in ("_flat_cache",):
                new._set_untracked(**{key: (-1, None)})
            elif key == "_inbound_nodes":
                new._set_untracked(**{key: []})
            else:
                new._set_untracked(**{key: copy.deepcopy(value, memo)})
        new._set_untracked(name=self.name)
        return new


def _marking_built(build):
    """Wrap a subclass's `build` so a direct `layer.build(shape)` leaves the layer built.

    Without this, a later first call would build again and re-create (re-initialize)
    the weights: "build, then set_weights" would silently lose the weights.
    """
    if getattr(build, "_capas_marks_built", False):
        return build

    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        result = build(self, *args, **kwargs)
        self._set_untracked(built=True)
        return result

    wrapper._capas_marks_built = True
    return wrapper


def _default_device():
    """Where new variables go: torch's default device if set, else CUDA when available (as Keras on torch)."""
    device = torch.get_default_device()
    if device.type == "cpu" and torch.cuda.is_available():
        return torch.device("cuda")
    return device


def _is_trainable(v):
    return bool(v.__dict__.get("_trainable_intent", v.requires_grad))


from capas.variables import _scope_stack  # noqa: E402  (the variable name scopes, pushed per call)


def inference_identity(x):
    """`Layer._inference_fn` of a layer whose inference pass returns its input (left out of the chain)."""
    return x


def _raise_super_not_called(layer):
    raise RuntimeError(
        f"Layer {type(layer).__name__} was not initialised: its __init__ must call "
        f"super().__init__() (e.g. `super({type(layer).__name__}, self).__init__()`) before use."
    )


class _ShapeHolder:
    def __init__(self, shape):
        self.shape = shape


def _kt_to_shape_holder(t):
    return _ShapeHolder(t.shape) if _symbolic.is_keras_tensor(t) else t


def _shape_of(x):
    if isinstance(x, (list, tuple)):
        return [_shape_of(t) for t in x]
    if isinstance(x, dict):
        return {k: _shape_of(v) for k, v in x.items()}
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else None


def _attach_masks(outputs, masks):
    """Set `_keras_mask` on an output tensor, or on each of a list/tuple of outputs from the list of
    masks compute_mask returned for them (keras-io's TemporalSplit: ops.split of inputs and mask)."""
    if isinstance(outputs, torch.Tensor):
        pairs = [(outputs, masks)]
    elif isinstance(outputs, (list, tuple)) and isinstance(masks, (list, tuple)) and len(masks) == len(outputs):
        pairs = zip(outputs, masks)
    else:
        return
    for tensor, m in pairs:
        if m is not None and isinstance(tensor, torch.Tensor):
            try:
                tensor._keras_mask = m
            except (AttributeError, RuntimeError):
                pass


def _build_shapes(build_sig, args, kwargs):
    params = [p for p in build_sig.parameters.values() if p.name != "self"]
    if not params:
        return ()
    first_key = params[0].name[:-6] if params[0].name.endswith("_shape") else params[0].name
    # A build taking several shapes gets them by name when the call passed keywords only
    # (mha(query=x, value=c, key=c) -> build(query_shape, value_shape, key_shape)), as Keras.
    if len(params) == 1 or (not args and first_key not in kwargs):
        first = args[0] if args else next(iter(kwargs.values()), None)
        return (_shape_of(first),)
    shapes = []
    for i, p in enumerate(params):
        if i < len(args):
            shapes.append(_shape_of(args[i]))
        else:
            key = p.name[:-6] if p.name.endswith("_shape") else p.name
            if key in kwargs:
                shapes.append(_shape_of(kwargs[key]))
            elif p.default is not inspect.Parameter.empty:
                break
            else:
                shapes.append(None)
    return tuple(shapes)


def _to_tensors(x, layer):
    if isinstance(x, torch.Tensor) or _symbolic.is_keras_tensor(x):
        return x
    if isinstance(x, dict):
        return {k: _to_tensors(v, layer) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and x and not isinstance(x[0], (int, float, bool)):
        if all(
            isinstance(v, (torch.Tensor, np.ndarray, list, tuple, dict, _strings.StringTensor))
            or _symbolic.is_keras_tensor(v)
            for v in x
        ):
            return (
                type(x)(_to_tensors(v, layer) for v in x)
                if not isinstance(x, list)
                else [_to_tensors(v, layer) for v in x]
            )
    if x is None:
        return x
    try:
        if isinstance(x, (str, bytes)):  # tfcore: tf.constant(text) makes a tf.string input; a bare str is none
            raise TypeError("a Python string; wrap text with tf.constant to make a tf.string tensor")
        t = convert_to_tensor(x)
    except TypeError as exc:
        raise TypeError(
            f"Layer '{layer.name}' ({type(layer).__name__}) received an input it cannot use: "
            f"{type(x).__name__}. Pass a tensor, a numpy array or a (nested) list of numbers. ({exc})"
        ) from None
    if t.dtype == torch.float64:
        t = t.to(torch.float32)
    device = layer._weights_device()
    if device is not None and t.device != device:
        t = t.to(device)
    return t


def _describe(value):
    if isinstance(value, torch.Tensor) or _symbolic.is_keras_tensor(value):
        return f"{type(value).__name__.replace('Variable', 'tf.Variable')} shape={tuple(value.shape)}, dtype={_symbolic.symbolic_dtype_name(value.dtype)}"
    if isinstance(value, _strings.StringTensor):  # shape only, as for tensors (a batch of text can be long)
        return f"StringTensor shape={tuple(value.shape)}, dtype=string"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{k}': {_describe(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _annotate(exc, layer, args, kwargs):
    """Add the layer's name and argument shapes to an exception leaving `call`."""
    if getattr(exc, "_capas_annotated", False):
        return
    try:
        exc._capas_annotated = True
    except AttributeError:
        return
    lines = [f"  • {k}={_describe(v)}" for k, v in zip(_arg_names(layer), args)]
    lines += [f"  • {k}={_describe(v)}" for k, v in kwargs.items()]
    note = (
        f"Exception encountered when calling {type(layer).__name__} '{layer.name}'.\n"
        f"Arguments received by {type(layer).__name__}.call():\n" + "\n".join(lines)
    )
    if exc.args and isinstance(exc.args[0], str) and len(exc.args) == 1 and type(exc).__str__ is BaseException.__str__:
        try:
            exc.args = (f"{exc.args[0]}\n\n{note}",)
            return
        except Exception:  # noqa: BLE001 - some exception types forbid it
            pass
    if hasattr(exc, "add_note"):
        exc.add_note(note)


def _arg_names(layer):
    try:
        params = list(inspect.signature(type(layer).call).parameters)
        return [p for p in params if p != "self"]
    except (TypeError, ValueError):
        return ["inputs"]


def _auto_config(layer):
    """Constructor arguments captured at creation, for layers without get_config."""
    args, kwargs = layer.__dict__.get("_constructor_args", ((), {}))
    try:
        sig = inspect.signature(type(layer).__init__)
        bound = sig.bind_partial(None, *args, **kwargs)
    except (TypeError, ValueError):
        return None
    out = {}
    for key, value in bound.arguments.items():
        if key in ("self", "name", "trainable", "dtype"):
            continue
        param = sig.parameters[key]
        if param.kind == param.VAR_KEYWORD:
            for k, v in value.items():
                if _jsonable(v):
                    out[k] = v
            continue
        if param.kind == param.VAR_POSITIONAL:
            continue
        if _jsonable(value):
            out[key] = value
        else:
            return None
    return out


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _jsonable(v) for k, v in value.items())
    return False

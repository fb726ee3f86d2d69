"""`keras.distribution`: Keras 3's distribution API on torchrun processes.

Keras 3 spells distributed training as a global distribution:

    keras.distribution.set_distribution(keras.distribution.DataParallel())
    # or ModelParallel(layout_map=...) to shard the variables
    model = make_model(); model.compile(...); model.fit(dataset)

In capas one device is one torchrun process (`list_devices()` lists one
device per process). `DataParallel` is `tf.distribute.MirroredStrategy`
(variables replicated, gradients all-reduced by DDP); `ModelParallel` is
`tf.distribute.FSDPStrategy` (variables, gradients and optimizer state
sharded by FSDP2, one unit per layer). Its `LayoutMap` is honoured where
FSDP2 can: a variable whose layout names a mesh axis at one dimension is
sharded along that dimension (`Shard(dim)`) over all processes; a variable
the map does not match, or maps to `None`s, stays replicated (as in Keras 3);
a layout capas cannot honour (two sharded axes, a mesh axis smaller than the
job, a sharded non-trainable variable) raises (docs/distributed.md).
"""

import collections.abc
import re

from capas.distribute import process_group
from capas.distribute import sharding as _sharding
from capas.distribute.strategy import FSDPStrategy
from capas.distribute.strategy import MirroredStrategy

_GLOBAL = {"distribution": None}


def list_devices(device_type=None):
    """The devices of the job: one per torchrun process (`'cpu:0'`, ... or `'cuda:0'`, ...).

    Example:

    >>> from capas import keras
    >>> keras.distribution.list_devices()
    ['cpu:0']
    """
    import torch

    kind = (device_type or ("cuda" if torch.cuda.is_available() else "cpu")).lower()
    if kind == "gpu":
        kind = "cuda"
    process_group.initialize()
    return [f"{kind}:{i}" for i in range(process_group.world_size())]


def get_device_count(device_type=None):
    """The number of devices of the job (one per process)."""
    return len(list_devices(device_type))


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Join the job's processes (torchrun's environment defines them; the arguments are checked against it)."""
    process_group.initialize()
    if num_processes is not None and int(num_processes) != process_group.world_size():
        raise ValueError(
            f"keras.distribution.initialize(num_processes={num_processes}) but torchrun started "
            f"{process_group.world_size()} processes. Start the job with torchrun --nproc_per_node/--nnodes."
        )
    if process_id is not None and int(process_id) != process_group.rank():
        raise ValueError(
            f"keras.distribution.initialize(process_id={process_id}) but this process has rank "
            f"{process_group.rank()} in torchrun's group."
        )


class DeviceMesh:
    """A named grid of devices (`shape`, `axis_names`, `devices`), as Keras 3 defines it.

    Example:

    >>> from capas import keras
    >>> mesh = keras.distribution.DeviceMesh((1,), ("batch",))
    >>> mesh.shape, mesh.axis_names
    ((1,), ['batch'])
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(f"Shape and axis_names cannot be empty. Received: shape={shape}, axis_names={axis_names}")
        if len(shape) != len(axis_names):
            raise ValueError(
                f"Shape and axis_names should have same size. Received: shape={shape}, axis_names={axis_names}"
            )
        devices = list_devices() if devices is None else list(devices)
        count = 1
        for d in shape:
            count *= int(d)
        if count != len(devices):
            raise ValueError(
                f"Shape does not match the number of devices. Received: shape={tuple(shape)}; "
                f"devices.shape=({len(devices)},)"
            )
        self._shape = tuple(int(d) for d in shape)
        self._axis_names = list(axis_names)
        self._devices = devices

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    def __repr__(self):
        return f"<DeviceMesh shape={self._shape}, axis_names={self._axis_names}>"


class TensorLayout:
    """How a tensor's axes map to mesh axes (`None` for a replicated axis)."""

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate()

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError(f"Cannot override device mesh value. Existing value is {self._device_mesh}")
        self._device_mesh = device_mesh
        self._validate()

    def _validate(self):
        if self._device_mesh is None:
            return
        unknown = {a for a in self._axes if a is not None} - set(self._device_mesh.axis_names)
        if unknown:
            raise ValueError(
                f"Invalid axis names for Layout. Valid axis names: {self._device_mesh.axis_names}, Got {self._axes}"
            )

    def __repr__(self):
        return f"<TensorLayout axes={self._axes}>"


class LayoutMap(collections.abc.MutableMapping):
    """Variable path (a regular expression) -> `TensorLayout`, as in Keras 3.

    Example:

    >>> from capas import keras
    >>> layout_map = keras.distribution.LayoutMap(keras.distribution.DeviceMesh((1,), ("model",)))
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> layout_map["dense_1/kernel"].axes
    (None, 'model')
    """

    def __init__(self, device_mesh):
        self._layout_map = collections.OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key):
        if key in self._layout_map:
            return self._layout_map[key]
        matches = [pattern for pattern in self._layout_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple layout specification keys: {matches}. Please make sure each "
                "tensor/variable path only matches at most one layout specification key in the LayoutMap."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if key in self._layout_map:
            raise ValueError(
                f"{key} already exist in the LayoutMap with value {self._layout_map[key]}. Please "
                "make sure to not use duplicated keys."
            )
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(axes=layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError(f"{layout} should be a TensorLayout type, got {type(layout)}")
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key):
        return self._layout_map.pop(key)

    def __len__(self):
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self):
        return self._device_mesh


class Distribution:
    """The base of `DataParallel` and `ModelParallel`: a mesh, and the strategy that runs it."""

    _strategy_class = None

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name or (device_mesh.axis_names[0] if device_mesh is not None else None)
        self._auto_shard_dataset = auto_shard_dataset
        self._strategy = self._strategy_class()

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @property
    def num_processes(self):
        return process_group.world_size()

    @property
    def process_id(self):
        return process_group.rank()

    @property
    def is_multi_process(self):
        return process_group.world_size() > 1

    def scope(self):
        """Variables made in the block are distributed (replicated, or sharded by `ModelParallel`)."""
        return self._strategy.scope()

    def get_data_layout(self, data_shape):
        return TensorLayout((self._batch_dim_name,) + (None,) * (len(data_shape) - 1), self._device_mesh)

    def get_variable_layout(self, variable):
        return TensorLayout((None,) * len(variable.shape), self._device_mesh)

    def get_tensor_layout(self, path):
        return None

    def distribute_dataset(self, dataset):
        """The dataset unchanged: `fit` splits every global batch across the processes."""
        return dataset

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self._device_mesh}>"


class DataParallel(Distribution):
    """Replicated variables, global batches split across the processes (`MirroredStrategy`).

    Example:

    >>> from capas import keras
    >>> keras.distribution.DataParallel().device_mesh.shape
    (1,)
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        self._strategy_class = MirroredStrategy
        if device_mesh is not None and devices is not None:
            raise ValueError("DataParallel takes `device_mesh` or `devices`, not both.")
        if device_mesh is None:
            devices = list_devices() if devices is None else list(devices)
            device_mesh = DeviceMesh((len(devices),), ("batch",), devices)
        elif not isinstance(device_mesh, DeviceMesh):
            raise ValueError(
                f"Expect `mesh` to be an instance of `DeviceMesh`. Received: mesh={device_mesh} "
                f"(of type {type(device_mesh)})"
            )
        super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)


class ModelParallel(Distribution):
    """Sharded variables: FSDP2 shards the variables its `LayoutMap` shards, over all processes (`FSDPStrategy`).

    Args:
        layout_map: a `LayoutMap` (required, as in Keras 3); its mesh defines
            the devices. A trainable variable whose layout names a mesh axis at
            one dimension is sharded along that dimension over all processes
            (FSDP2's `Shard(dim)`); unmatched variables and all-`None` layouts
            stay replicated, as in Keras 3. Layouts FSDP2 cannot honour raise a
            `ValueError` when the model is sharded (its first call or `fit`).
        batch_dim_name: the mesh axis of the batch (default: the first).
        auto_shard_dataset: accepted; `fit` splits every global batch.

    Example:

    >>> from capas import keras
    >>> mesh = keras.distribution.DeviceMesh((1,), ("model",))
    >>> keras.distribution.ModelParallel(layout_map=keras.distribution.LayoutMap(mesh)).batch_dim_name
    'model'
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, **kwargs):
        self._strategy_class = FSDPStrategy
        kwargs.pop("device_mesh", None)
        if kwargs:
            raise TypeError(f"ModelParallel() got unexpected keyword argument(s) {sorted(kwargs)}.")
        if layout_map is None:
            raise ValueError("You must specify a layout_map argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(f"Argument `layout_map` must be a `LayoutMap` instance. Received: layout_map={layout_map}")
        self._layout_map = layout_map
        super().__init__(layout_map.device_mesh, batch_dim_name, auto_shard_dataset)

    def get_variable_layout(self, variable):
        layout = self._layout_map[getattr(variable, "path", "")]
        return layout if layout is not None else super().get_variable_layout(variable)

    def _shard_dim(self, variable, shardable=True):
        """The dimension FSDP2 shards `variable` along (None: replicated), from its layout; refuses the rest.

        capas honours a layout that shards at most one dimension along a mesh axis spanning all the
        processes (FSDP2's `Shard(dim)`); a layout it cannot honour raises instead of being ignored.
        """
        layout = self.get_variable_layout(variable)
        path = getattr(variable, "path", None) or getattr(variable, "name", "?")
        shape = tuple(variable.shape)
        named = [(dim, axis) for dim, axis in enumerate(layout.axes) if axis is not None]
        if len(layout.axes) != len(shape):
            raise ValueError(
                f"LayoutMap: the layout {layout.axes} of variable '{path}' has {len(layout.axes)} axes, but the "
                f"variable has shape {shape} ({len(shape)} axes). Give one entry (a mesh axis name or None) per axis."
            )
        if not named:
            return None  # replicated, as Keras 3 does for this layout (and for variables the map does not match)
        if not shardable:
            raise ValueError(
                f"LayoutMap: the layout {layout.axes} shards variable '{path}' (shape {shape}), but capas shards "
                "only trainable floating variables without a constraint (FSDP2 reduces their gradients); this one "
                "stays replicated. Map it to a layout of None entries, or change the pattern so it does not match."
            )
        if len(named) > 1:
            raise ValueError(
                f"LayoutMap: the layout {layout.axes} of variable '{path}' shards {len(named)} axes, but capas "
                "shards a variable along one axis (FSDP2's Shard(dim)). Name one mesh axis and use None for the others."
            )
        dim, axis = named[0]
        mesh = layout.device_mesh or self.device_mesh
        size = mesh.shape[mesh.axis_names.index(axis)]
        world = process_group.world_size()
        if size != world:
            raise ValueError(
                f"LayoutMap: the layout {layout.axes} of variable '{path}' shards it over mesh axis '{axis}' of "
                f"{size} devices, but capas shards over all {world} processes (one device each). Use a mesh axis of "
                f"all the devices, e.g. DeviceMesh(({world},), ['{axis}'])."
            )
        if dim > 0 and shape[dim] % world:
            raise ValueError(
                f"LayoutMap: the layout {layout.axes} shards axis {dim} of variable '{path}' (shape {shape}) over "
                f"{world} processes, which do not divide {shape[dim]}; FSDP2 shards axes other than the first "
                "evenly only. Shard the first axis, or an axis that the number of processes divides."
            )
        return dim


def distribute_tensor(tensor, layout):
    """The tensor unchanged: each process holds its own values (one device per process)."""
    return tensor


def distribution():
    """The distribution set by `set_distribution` (None by default)."""
    return _GLOBAL["distribution"]


def set_distribution(value):
    """Make `value` the program's distribution: `fit` then runs data parallel, or sharded for `ModelParallel`."""
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(f"set_distribution() expects a keras.distribution.Distribution, received {value!r}.")
    _GLOBAL["distribution"] = value
    model_parallel = isinstance(value, ModelParallel)
    _sharding._INTENT["sharded"] = model_parallel
    _sharding._INTENT["placement"] = value._shard_dim if model_parallel else None
    _sharding._INTENT["strategy"] = value._strategy if model_parallel else None

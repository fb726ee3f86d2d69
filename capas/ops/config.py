"""`tf.config`: the few settings that mean something on PyTorch (the rest are accepted no-ops)."""

import collections
import types

import torch

from capas._function.decorator import functions_run_eagerly as functions_run_eagerly
from capas._function.decorator import run_functions_eagerly as run_functions_eagerly

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])


def list_physical_devices(device_type=None):
    """The CPU and the visible CUDA GPUs, as `PhysicalDevice(name, device_type)`."""
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if torch.cuda.is_available():
        devices += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(torch.cuda.device_count())]
    if device_type is None:
        return devices
    return [d for d in devices if d.device_type == str(device_type).upper()]


LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
LogicalDeviceConfiguration = collections.namedtuple(
    "LogicalDeviceConfiguration",
    ["memory_limit", "experimental_priority", "experimental_device_ordinal"],
    defaults=[None, None, 0],
)

_state = {
    "jit": "",
    "optimizer_options": {"disable_model_pruning": False, "disable_meta_optimizer": False},
    "synchronous": True,
    "device_policy": "silent",
    "visible": None,  # None: every physical device
    "soft_placement": True,
    "memory_growth": {},
    "inter_op": 0,
    "intra_op": 0,
}


def list_logical_devices(device_type=None):
    """The visible devices as `LogicalDevice('/device:CPU:0', 'CPU')`, ... (one per physical device)."""
    return [
        LogicalDevice(d.name.replace("/physical_device:", "/device:"), d.device_type)
        for d in get_visible_devices(device_type)
    ]


def get_visible_devices(device_type=None):
    """The physical devices `set_visible_devices` left visible (all of them by default)."""
    devices = _state["visible"] if _state["visible"] is not None else list_physical_devices()
    if device_type is None:
        return list(devices)
    return [d for d in devices if d.device_type == str(device_type).upper()]


def set_visible_devices(devices, device_type=None):
    """Remember which devices `get_visible_devices` lists; PyTorch still sees every GPU.

    To hide GPUs from PyTorch itself, set `CUDA_VISIBLE_DEVICES` before the process starts
    (docs/differences.md). The CPU always stays visible, as in TF.
    """
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices)
    physical = list_physical_devices()
    for d in devices:
        if d not in physical:
            raise ValueError(f"tf.config.set_visible_devices: unknown device {d!r}; pick from {physical}.")
    if device_type is not None:
        kind = str(device_type).upper()
        keep = [d for d in get_visible_devices() if d.device_type != kind]
        devices = keep + [d for d in devices if d.device_type == kind]
    if not any(d.device_type == "CPU" for d in devices):
        devices = [physical[0]] + devices
    _state["visible"] = devices


def get_logical_device_configuration(device):
    """None: capas splits no device into logical devices (as TF before any is configured)."""
    _check_physical(device, "get_logical_device_configuration")
    return None


def set_logical_device_configuration(device, logical_devices):
    """Raise: PyTorch cannot split one device into several logical ones (virtual GPUs or CPUs)."""
    raise NotImplementedError(
        "tf.config.set_logical_device_configuration: capas cannot split a device into logical devices "
        "(PyTorch has no virtual devices). To cap GPU memory use "
        "torch.cuda.set_per_process_memory_fraction(fraction, device)."
    )


def _check_physical(device, op):
    if not isinstance(device, PhysicalDevice):
        raise ValueError(
            f"tf.config.{op}: expected a PhysicalDevice from tf.config.list_physical_devices(); got {device!r}."
        )


def set_soft_device_placement(enabled):
    """Remember the flag (True by default); capas places ops where their inputs are either way."""
    _state["soft_placement"] = bool(enabled)


def get_soft_device_placement():
    """What `set_soft_device_placement` last set (True by default, as TF)."""
    return _state["soft_placement"]


def set_memory_growth(device, enable):
    """Remember the flag for a GPU (PyTorch's caching allocator grows on demand anyway).

    As TF, a CPU raises ValueError: 'Cannot set memory growth on non-GPU and non-Pluggable devices'.
    """
    _check_physical(device, "experimental.set_memory_growth")
    if device.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    _state["memory_growth"][device] = bool(enable)


def get_memory_growth(device):
    """The memory-growth flag of a GPU (False until set); a device never set raises KeyError for a CPU, as TF."""
    _check_physical(device, "experimental.get_memory_growth")
    if device.device_type != "GPU":
        raise KeyError(repr(device))
    return _state["memory_growth"].get(device, False)


def _cuda_index(device):
    name = device.name if isinstance(device, (PhysicalDevice, LogicalDevice)) else str(device)
    text = name.upper().split("DEVICE:")[-1].lstrip("/")
    kind, _, index = text.rpartition(":")
    kind = kind.split(":")[-1]
    if kind not in ("CPU", "GPU"):
        raise ValueError(f"tf.config.experimental: expected a device name like 'GPU:0' or 'CPU:0'; got {device!r}.")
    return (int(index) if index else 0) if kind == "GPU" else None


def get_memory_info(device):
    """`{'current': bytes, 'peak': bytes}` allocated on a GPU; a CPU gives zeros, as TF 2.21 does."""
    index = _cuda_index(device)
    if index is None:
        return {"current": 0, "peak": 0}
    if not torch.cuda.is_available() or index >= torch.cuda.device_count():
        raise ValueError(
            f"tf.config.experimental.get_memory_info: no such GPU {device!r} (visible: {torch.cuda.device_count()})."
        )
    return {"current": torch.cuda.memory_allocated(index), "peak": torch.cuda.max_memory_allocated(index)}


def reset_memory_stats(device):
    """Reset a GPU's peak-memory counter (`torch.cuda.reset_peak_memory_stats`); nothing to reset on a CPU."""
    index = _cuda_index(device)
    if index is None:
        return None
    torch.cuda.reset_peak_memory_stats(index)
    return None


def get_device_details(device):
    """`{'device_name', 'compute_capability'}` for a GPU, `{}` for a CPU (as TF)."""
    _check_physical(device, "experimental.get_device_details")
    if device.device_type != "GPU":
        return {}
    index = int(device.name.rsplit(":", 1)[-1])
    return {
        "device_name": torch.cuda.get_device_name(index),
        "compute_capability": torch.cuda.get_device_capability(index),
    }


def enable_op_determinism():
    """Make ops deterministic: `torch.use_deterministic_algorithms(True)` (and cuDNN's deterministic mode).

    As in TF, ops without a deterministic kernel then raise instead of running.
    """
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def disable_op_determinism():
    """Undo `enable_op_determinism`."""
    torch.use_deterministic_algorithms(False)
    torch.backends.cudnn.deterministic = False


def enable_tensor_float_32_execution(enabled):
    """Allow (or forbid) TensorFloat-32 in CUDA matmuls and convolutions (TF's default: allowed)."""
    torch.backends.cuda.matmul.allow_tf32 = bool(enabled)
    torch.backends.cudnn.allow_tf32 = bool(enabled)


def tensor_float_32_execution_enabled():
    """Whether CUDA matmuls may use TensorFloat-32 (`torch.backends.cuda.matmul.allow_tf32`)."""
    return bool(torch.backends.cuda.matmul.allow_tf32)


def _set_inter_op(num_threads):
    _state["inter_op"] = int(num_threads)
    if num_threads > 0:
        try:
            torch.set_num_interop_threads(int(num_threads))
        except RuntimeError as exc:  # torch allows it only before the first parallel work, as TF
            raise RuntimeError(
                "tf.config.threading.set_inter_op_parallelism_threads must be called before any op runs in "
                f"parallel (PyTorch: {exc}). Call it at the start of the program."
            ) from exc


def _set_intra_op(num_threads):
    _state["intra_op"] = int(num_threads)
    if num_threads > 0:
        torch.set_num_threads(int(num_threads))


def _set_jit(enabled):
    """Remember the XLA auto-clustering switch (capas compiles per function: `tf.function(jit_compile=True)`)."""
    if enabled is True:
        enabled = "autoclustering"
    if enabled not in (False, "", "autoclustering"):
        raise ValueError(f"tf.config.optimizer.set_jit: expected a bool or 'autoclustering'; got {enabled!r}.")
    _state["jit"] = enabled or ""


def _set_optimizer_options(options):
    """Remember Grappler options (capas has no graph optimizer; `get_experimental_options` shows them)."""
    _state["optimizer_options"].update(dict(options))


optimizer = types.SimpleNamespace(
    set_jit=_set_jit,
    get_jit=lambda: _state["jit"],
    set_experimental_options=_set_optimizer_options,
    get_experimental_options=lambda: dict(_state["optimizer_options"]),
)
optimizer.__doc__ = "tf.config.optimizer: graph-optimizer switches, remembered (capas has no Grappler)."


def experimental_functions_run_eagerly():
    """The deprecated spelling of `tf.config.functions_run_eagerly()`."""
    return functions_run_eagerly()


def experimental_run_functions_eagerly(run_eagerly):
    """The deprecated spelling of `tf.config.run_functions_eagerly(run_eagerly)`."""
    return run_functions_eagerly(run_eagerly)


def _set_synchronous(enable):
    _state["synchronous"] = bool(enable)


def _set_device_policy(device_policy):
    if device_policy not in (None, "silent", "explicit", "warn", "silent_for_int32"):
        raise ValueError(f"tf.config.experimental.set_device_policy: unknown policy {device_policy!r}.")
    _state["device_policy"] = device_policy or "silent"


def _get_memory_usage(device):
    """Deprecated in TF: `get_memory_info(device)['current']`."""
    return get_memory_info(device)["current"]


threading = types.SimpleNamespace(
    set_inter_op_parallelism_threads=_set_inter_op,
    get_inter_op_parallelism_threads=lambda: _state["inter_op"],
    set_intra_op_parallelism_threads=_set_intra_op,
    get_intra_op_parallelism_threads=lambda: _state["intra_op"],
)
threading.__doc__ = (
    "tf.config.threading: thread pools map to torch.set_num_interop_threads / set_num_threads (0: the default)."
)

experimental = types.SimpleNamespace(
    set_memory_growth=set_memory_growth,
    get_memory_growth=get_memory_growth,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    set_visible_devices=set_visible_devices,
    get_visible_devices=get_visible_devices,
    get_memory_info=get_memory_info,
    reset_memory_stats=reset_memory_stats,
    get_device_details=get_device_details,
    enable_op_determinism=enable_op_determinism,
    disable_op_determinism=disable_op_determinism,
    enable_tensor_float_32_execution=enable_tensor_float_32_execution,
    tensor_float_32_execution_enabled=tensor_float_32_execution_enabled,
    get_memory_usage=_get_memory_usage,
    set_synchronous_execution=_set_synchronous,
    get_synchronous_execution=lambda: _state["synchronous"],
    set_device_policy=_set_device_policy,
    get_device_policy=lambda: _state["device_policy"],
    enable_mlir_bridge=lambda: None,
    disable_mlir_bridge=lambda: None,
    VirtualDeviceConfiguration=LogicalDeviceConfiguration,
    get_virtual_device_configuration=get_logical_device_configuration,
    set_virtual_device_configuration=set_logical_device_configuration,
)

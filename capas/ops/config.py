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


list_logical_devices = list_physical_devices


def set_visible_devices(devices, device_type=None):
    """Accepted for compatibility; use CUDA_VISIBLE_DEVICES to hide GPUs from PyTorch."""


def set_memory_growth(device, enable):
    """Accepted for compatibility: PyTorch's caching allocator already grows on demand."""


experimental = types.SimpleNamespace(
    set_memory_growth=set_memory_growth,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    set_visible_devices=set_visible_devices,
)

"""tf.print, tf.is_tensor, tf.executing_eagerly, tf.device, tf.config, and unknown names."""

import io
import subprocess
import sys

import numpy as np
import pytest
import torch

import capas as tf


def test_print_writes_values_to_the_stream():
    buf = io.StringIO()
    tf.print("loss:", tf.constant([1, 2, 3]), 7, output_stream=buf)
    assert buf.getvalue() == "loss: [1 2 3] 7\n"
    buf = io.StringIO()
    tf.print(tf.range(10), output_stream=buf)
    assert buf.getvalue() == "[0 1 2 ... 7 8 9]\n"


def test_print_defaults_to_stderr(capsys):
    tf.print(tf.constant(2.5))
    assert capsys.readouterr().err == "2.5\n"


def test_is_tensor_and_executing_eagerly():
    assert tf.is_tensor(tf.constant(1)) and tf.is_tensor(tf.Variable(1.0))
    assert not tf.is_tensor(np.zeros(2)) and not tf.is_tensor(1.0)
    assert tf.executing_eagerly() is True


@pytest.mark.parametrize("name", ["/CPU:0", "cpu", "/device:CPU:0", "/job:localhost/replica:0/task:0/device:CPU:0"])
def test_device_places_new_tensors(name):
    with tf.device(name):
        x = tf.zeros((2,))
    assert x.device.type == "cpu"


def test_gpu_device_falls_back_to_cpu_without_cuda():
    if torch.cuda.is_available():
        pytest.skip("a GPU is visible")
    with tf.device("/GPU:0"):
        assert tf.ones((1,)).device.type == "cpu"


def test_bad_device_name():
    with pytest.raises(ValueError, match="/GPU:0"):
        tf.device("/TPU:0")


def test_config_physical_devices_and_no_ops():
    cpus = tf.config.list_physical_devices("CPU")
    assert cpus and cpus[0].device_type == "CPU"
    # as TF 2.21 (recorded in tests/goldens/tfcore2: config_memory_growth_cpu_fails): GPUs only
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.set_memory_growth(cpus[0], True)


@pytest.mark.parametrize(
    "namespace,prefix",
    [
        (tf, "tf"),
        (tf.math, "tf.math"),
        (tf.nn, "tf.nn"),
        (tf.random, "tf.random"),
        (tf.linalg, "tf.linalg"),
        (tf.dtypes, "tf.dtypes"),
    ],
)
def test_unknown_op_raises_attribute_error_naming_it(namespace, prefix):
    with pytest.raises(AttributeError, match=rf"`{prefix}\.some_unknown_op` is not supported yet in capas"):
        namespace.some_unknown_op
    assert not hasattr(namespace, "some_unknown_op")


def test_unknown_op_error_suggests_close_names():
    with pytest.raises(AttributeError, match=r"tf\.math\.reduce_sum"):
        tf.math.reduce_summ
    with pytest.raises(AttributeError, match=r"tf\.matmul"):
        tf.matmull


def test_submodules_resolve_through_getattr():
    code = (
        "import capas\n"
        "assert capas.keras.__name__ == 'capas.keras'\n"
        "from capas import keras\n"
        "import capas.keras\n"
        "import capas.ops.math\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr

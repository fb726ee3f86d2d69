"""Data-parallel fit in real processes: torchrun, 2 ranks, gloo on the CPU.

Two ranks, each taking half of every global batch, must end with the same
weights as one process training on the whole batches.
"""

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).with_name("_ddp_script.py")


def _script():
    spec = importlib.util.spec_from_file_location("_ddp_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _torchrun(out_dir, shuffle):
    # One retry: on a loaded machine gloo's teardown has been seen to abort a process
    # ("terminate called without an active exception") after training finished.
    for _attempt in range(2):
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node",
            "2",
            "--master_addr",
            "127.0.0.1",
            "--master_port",
            str(_free_port()),
            str(SCRIPT),
            str(out_dir),
            "shuffle" if shuffle else "ordered",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if result.returncode == 0:
            return
    raise AssertionError(result.stdout[-3000:] + result.stderr[-3000:])


@pytest.mark.parametrize("shuffle", [False, True])
def test_two_ranks_equal_one_process_on_the_global_batches(tmp_path, shuffle):
    from capas import keras

    torch.manual_seed(0)
    reference, x, y = _script().model_and_data(keras)
    for i, w in enumerate(reference.get_weights()):
        np.save(tmp_path / f"w{i}.npy", w)
    _torchrun(tmp_path, shuffle)
    ranks = [np.load(tmp_path / f"rank{r}.npz") for r in range(2)]
    for i in range(4):  # every rank ends with the same weights
        np.testing.assert_array_equal(ranks[0][f"arr_{i}"], ranks[1][f"arr_{i}"])
    np.testing.assert_array_equal(ranks[0]["loss"], ranks[1]["loss"])
    if shuffle:
        return  # the single-process reference below replays the unshuffled order only
    reference.compile(keras.optimizers.SGD(0.1, momentum=0.9), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = reference.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    for i, w in enumerate(reference.get_weights()):
        np.testing.assert_allclose(ranks[0][f"arr_{i}"], w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ranks[0]["loss"], history.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(ranks[0]["acc"], history.history["accuracy"], atol=1e-6)


def test_global_batch_must_divide_by_world_size():
    from capas.keras.trainers.data_adapters import ArrayAdapter

    adapter = ArrayAdapter(np.zeros((10, 2), "float32"), np.zeros(10), batch_size=5)
    with pytest.raises(ValueError, match="divisible by 2"):
        adapter.shard(0, 2)

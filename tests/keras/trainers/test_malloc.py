"""fit and GradientTape keep freed CPU memory for reuse (glibc's malloc), unless the user opts out."""

import os
import subprocess
import sys
import textwrap

import pytest

from capas import _malloc

pytestmark = pytest.mark.skipif(_malloc._glibc() is None, reason="the C library is not glibc")

# 48 MiB: above glibc's largest adaptive mmap threshold (32 MiB), below capas's (64 MiB). With glibc's
# defaults each such block is a fresh mapping whose 12,288 pages fault on first touch; kept, none do.
_PROGRAM = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    import torch
    import capas as tf
    from capas import keras

    if sys.argv[1] == "fit":
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("sgd", "mse")
        model.fit(np.zeros((8, 3), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    else:
        with tf.GradientTape():
            pass

    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    block = 12 * 2**20  # floats
    for _ in range(3):  # the first blocks may fault in either case: the heap grows to hold two of them
        torch.empty(block).fill_(1.0)
    before = faults()
    for _ in range(5):
        torch.empty(block).fill_(1.0)
    print(faults() - before)
    """
)


def _faults_in_fresh_process(entry, opt_out):
    env = dict(os.environ)
    env.pop(_malloc._ENV, None)
    if opt_out:
        env[_malloc._ENV] = "0"
    out = subprocess.run(
        [sys.executable, "-c", _PROGRAM, entry], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return int(out.stdout.split()[-1])


@pytest.mark.parametrize("entry", ["fit", "tape"])
def test_freed_blocks_are_reused_without_page_faults(entry):
    assert _faults_in_fresh_process(entry, opt_out=False) < 1000


def test_opt_out_leaves_glibc_defaults():
    # Five fresh 48 MiB mappings: 5 * 12,288 page faults with glibc's own settings.
    assert _faults_in_fresh_process("fit", opt_out=True) > 5 * 10_000


def test_setting_is_made_once_and_reported():
    assert _malloc.retain_freed_memory() in (True, False)
    assert _malloc._state["done"]
    assert _malloc.retain_freed_memory() is _malloc._state["applied"]

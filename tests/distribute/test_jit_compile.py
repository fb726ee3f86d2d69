"""`compile(jit_compile=True)` in a distributed fit (torchrun, 2 ranks, gloo on the CPU).

The step is compiled (torch.compile of the forward and loss, AOTAutograd's
backward) and its gradients are reduced by DDP's hooks (MirroredStrategy) or
reduce-scattered by FSDP2 (FSDPStrategy): the weights equal a one-process
`jit_compile=True` run on the same global batches.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from tests.distribute._launch import one_process, torchrun

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).with_name("_jit_script.py")


def _results(folder, rank):
    with open(folder / f"results_rank{rank}.json") as f:
        return json.load(f)


def _weights(folder, rank):
    data = np.load(folder / f"weights_rank{rank}.npz")
    return [data[f"arr_{i}"] for i in range(len(data.files))]


@pytest.mark.parametrize("strategy", ["mirrored", "fsdp"])
def test_jit_compiled_distributed_fit_equals_one_process(tmp_path, strategy):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    one_process(SCRIPT, one, strategy)
    torchrun(SCRIPT, two, strategy)
    reference = _results(one, 0)
    assert reference["compiled_frames"] >= 1 and not reference["eager_warnings"]
    for r in range(2):
        ranks = _results(two, r)
        assert ranks["compiled_frames"] >= 1, "the distributed step was not compiled"
        assert not ranks["eager_warnings"], ranks["eager_warnings"]
        for key, values in reference["history"].items():
            np.testing.assert_allclose(ranks["history"][key], values, rtol=1e-5, atol=1e-6)
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)

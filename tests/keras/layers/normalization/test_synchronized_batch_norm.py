"""BatchNormalization(synchronized=True) under torch.distributed: statistics (and gradients) of the global batch."""

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

pytestmark = pytest.mark.slow


def _worker(rank, world, port, x, probe, out):
    from capas import GradientTape
    from capas.keras import layers

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        layer = layers.BatchNormalization(synchronized=True)
        shard = torch.tensor(x[rank::world]).requires_grad_()
        with GradientTape():
            y = layer(shard, training=True)
        (grad,) = torch.autograd.grad((y * torch.tensor(probe[rank::world])).sum(), [shard])
        out[rank] = (y.detach().numpy(), grad.numpy(), list(layer.get_weights()))
    finally:
        dist.destroy_process_group()


def test_synchronized_matches_one_process_on_the_whole_batch():
    from capas import GradientTape
    from capas.keras import layers

    rng = np.random.default_rng(0)
    x = (rng.standard_normal((8, 3)) * 2 + 1).astype("float32")
    probe = rng.standard_normal((8, 3)).astype("float32")
    out = mp.Manager().dict()
    port = 29500 + int(rng.integers(0, 1000))
    mp.spawn(_worker, args=(2, port, x, probe, out), nprocs=2, join=True)

    whole = torch.tensor(x).requires_grad_()
    layer = layers.BatchNormalization()
    with GradientTape():
        y = layer(whole, training=True)
    (grad,) = torch.autograd.grad((y * torch.tensor(probe)).sum(), [whole])
    for rank in range(2):
        y_rank, grad_rank, weights = out[rank]
        np.testing.assert_allclose(y_rank, y.detach().numpy()[rank::2], rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(grad_rank, grad.numpy()[rank::2], rtol=1e-4, atol=1e-5)
        for a, b in zip(weights, layer.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

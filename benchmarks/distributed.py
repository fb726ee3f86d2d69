"""Distributed fit: samples/s of 1 process against N processes (torchrun, one replica each).

    python -m benchmarks.distributed                      # seed and wide, 1 vs 2 processes, CPU (gloo)
    python -m benchmarks.distributed --nproc 1 2 4 --samples 15360
    python -m benchmarks.distributed --strategies mirrored fsdp   # DDP and FSDP2 (sharded) rows
    python -m benchmarks.distributed --device cuda --nproc 1 2 4 8   # GPUs: NCCL, one process per GPU

Each configuration runs in fresh processes started by torchrun; every rank times
`epochs` epochs of `fit` under a `MirroredStrategy` (DDP) or an `FSDPStrategy`
(FSDP2: variables, gradients and optimizer state sharded) — the batch is the
global batch, so N processes do the same work per step as one — after one
warm-up epoch, and rank 0 reports samples/s of the whole job and the
parameter elements each rank keeps between steps. On a CPU machine the
processes share its cores: use `--threads` so that N * threads fits the machine.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _worker(workload, samples, epochs, threads, out, strategy_name="mirrored"):
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    import capas as tf
    from capas import keras
    from benchmarks.frameworks import SPECS

    strategy = tf.distribute.FSDPStrategy() if strategy_name == "fsdp" else tf.distribute.MirroredStrategy()
    build, opt_name, batch = SPECS[workload]
    batch *= strategy.num_replicas_in_sync  # the per-replica batch of the one-process benchmark
    rng = np.random.default_rng(0)
    x = rng.random((samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, samples)
    with strategy.scope():
        model = build(keras)
        model.compile(
            getattr(keras.optimizers, opt_name)(1e-3),
            "sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
        )
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    seconds = time.perf_counter() - start
    from capas.distribute import sharding

    stored, full = sharding.local_numel(model)
    if strategy.cluster_resolver.task_id == 0:
        with open(out, "w") as f:
            json.dump(
                {"samples_per_s": samples * epochs / seconds, "global_batch": batch, "stored_fraction": stored / full},
                f,
            )
    if tf.distribute.is_distributed():
        torch.distributed.barrier()  # every rank is done before gloo's threads are torn down
        torch.distributed.destroy_process_group()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(workload, nproc, samples, epochs, threads, device, strategy="mirrored"):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "result.json")
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        if device == "cpu":
            env["CUDA_VISIBLE_DEVICES"] = ""
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node",
            str(nproc),
            "--master_addr",
            "127.0.0.1",
            "--master_port",
            str(_free_port()),
            "-m",
            "benchmarks.distributed",
            "--worker",
            workload,
            str(samples),
            str(epochs),
            str(threads),
            out,
            strategy,
        ]
        subprocess.run(cmd, check=True, env=env, cwd=ROOT, capture_output=True)
        with open(out) as f:
            return json.load(f)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["seed", "wide"], choices=["seed", "wide"])
    parser.add_argument("--nproc", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--samples", type=int, default=15360)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--strategies", nargs="+", default=["mirrored", "fsdp"], choices=["mirrored", "fsdp"])
    parser.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        workload, samples, epochs, threads, out, strategy = args.worker
        _worker(workload, int(samples), int(epochs), int(threads), out, strategy)
        return
    print(
        f"{'workload':<8} {'strategy':<8} {'processes':>9} {'global batch':>12} {'samples/s':>10} "
        f"{'speed-up':>8} {'params/rank':>11}"
    )
    for workload in args.workloads:
        base = None
        for strategy in args.strategies:
            for nproc in args.nproc:
                result = run(workload, nproc, args.samples, args.epochs, args.threads, args.device, strategy)
                base = base or result["samples_per_s"]  # speed-ups against 1 process of the first strategy
                print(
                    f"{workload:<8} {strategy:<8} {nproc:>9} {result['global_batch']:>12} "
                    f"{result['samples_per_s']:>10.0f} {result['samples_per_s'] / base:>7.2f}x "
                    f"{result['stored_fraction']:>10.0%}",
                    flush=True,
                )


if __name__ == "__main__":
    main()

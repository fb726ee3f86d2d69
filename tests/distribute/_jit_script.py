"""`compile(jit_compile=True)` under MirroredStrategy; run with torchrun (2 ranks) or plainly (one replica).

argv: out_dir, "mirrored" or "fsdp".
"""

import json
import os
import sys
import warnings

import numpy as np
import torch

import capas as tf
from capas import keras

out_dir, mode = sys.argv[1], sys.argv[2]
torch.set_num_threads(1)
torch.manual_seed(0)
strategy = tf.distribute.FSDPStrategy() if mode == "fsdp" else tf.distribute.MirroredStrategy()
rank = tf.distribute.rank()
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 6)).astype("float32")
y = (x[:, :3].sum(axis=1) > 0).astype("int64")
with strategy.scope():
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)])
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        metrics=["accuracy"],
        jit_compile=True,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
results = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        results["history"] = history.history
    except ValueError as exc:
        results["error"] = str(exc)
results["eager_warnings"] = [str(w.message) for w in caught if "jit_compile" in str(w.message)]
from torch._dynamo.utils import counters  # noqa: E402

results["compiled_frames"] = int(counters["stats"]["unique_graphs"])
np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump(results, f)
if tf.distribute.is_distributed():
    torch.distributed.barrier()  # both ranks are done before gloo's threads are torn down
    torch.distributed.destroy_process_group()

"""Models that test FSDPStrategy's units: tied weights, and a layer called twice in one forward pass.

argv: out_dir, kind, units. kind "tied": a subclassed model whose call reads a sublayer's kernel outside
that sublayer's call (units "layers": refused with a clear error; "model": trains as one process).
kind "shared": a functional model that calls one Dense layer twice (a unit gathered, and its gradients
reduce-scattered, once per call). Run with torchrun (2 ranks) or plainly (one replica, the reference).
"""

import json
import os
import sys

import numpy as np
import torch

import capas as tf
from capas import keras

out_dir, kind, units = sys.argv[1], sys.argv[2], sys.argv[3]
torch.set_num_threads(1)
torch.manual_seed(0)
strategy = tf.distribute.FSDPStrategy(units=units)
rng = np.random.default_rng(0)
x = rng.normal(size=(32, 8)).astype("float32")
y = rng.integers(0, 3, 32)


class Tied(keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = keras.layers.Dense(8, name="embed")
        self.mid = keras.layers.Dense(8, activation="tanh", name="mid")

    def call(self, inputs):
        # the embedding's kernel again, outside the embedding's call (as tied input/output embeddings)
        return tf.matmul(self.mid(self.embed(inputs)), self.embed.kernel, transpose_b=True)[:, :3]


with strategy.scope():
    if kind == "tied":
        model = Tied()
        model(x[:1])  # built in the scope: its variables are sharded
    else:
        shared = keras.layers.Dense(8, activation="tanh", name="shared")
        inputs = keras.Input((8,))
        model = keras.Model(inputs, keras.layers.Dense(3, name="out")(shared(shared(inputs))))
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
try:
    results = {"loss": model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]}
    np.savez(os.path.join(out_dir, f"weights_rank{tf.distribute.rank()}.npz"), *model.get_weights())
except RuntimeError as exc:
    results = {"error": str(exc)}
with open(os.path.join(out_dir, f"results_rank{tf.distribute.rank()}.json"), "w") as f:
    json.dump(results, f)
if tf.distribute.is_distributed():
    torch.distributed.barrier()
    torch.distributed.destroy_process_group()

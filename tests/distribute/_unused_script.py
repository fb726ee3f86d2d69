"""A model with a trainable variable that the loss does not use, trained with MirroredStrategy.

argv: out_dir, mode. "unused": fit and a strategy.run loop, the `spare` layer never used;
"varying": the first fit uses `spare`, the second does not (DDP was set up without looking for
unused variables: a clear error, or training with CAPAS_DDP_FIND_UNUSED_PARAMETERS=1).
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
strategy = tf.distribute.MirroredStrategy()
rank = tf.distribute.rank()


class TwoHeads(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = keras.layers.Dense(8, activation="relu")
        self.head = keras.layers.Dense(2)
        self.spare = keras.layers.Dense(2)  # trainable, but the loss may not use it
        self.use_spare = mode == "varying"

    def call(self, x):
        h = self.body(x)
        return self.head(h) + self.spare(h) if self.use_spare else self.head(h)


rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
with strategy.scope():
    model = TwoHeads()
    model.build((None, 4))
    model.compile(
        optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
results = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    results["fit"] = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history["loss"]
    if mode == "varying":
        model.use_spare = False
        try:
            results["second"] = model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0).history["loss"]
        except RuntimeError as exc:
            results["error"] = str(exc)
    else:
        loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
        optimizer = keras.optimizers.SGD(0.1)

        def step(batch):
            features, labels = batch
            with tf.GradientTape() as tape:
                loss = tf.nn.compute_average_loss(
                    loss_object(labels, model(features, training=True)), global_batch_size=16
                )
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        dataset = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((x, y)).batch(16))
        results["loop"] = [float(strategy.reduce("SUM", strategy.run(step, args=(b,)), axis=None)) for b in dataset]
results["warnings"] = sorted({str(w.message)[:60] for w in caught if "Gradients do not exist" in str(w.message)})
np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump(results, f)
if tf.distribute.is_distributed():
    torch.distributed.barrier()  # both ranks are done before gloo's threads are torn down
    torch.distributed.destroy_process_group()

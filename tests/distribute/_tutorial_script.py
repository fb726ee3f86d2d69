"""The "Distributed training with Keras" tutorial, with synthetic data and only imports changed.

Run with torchrun (2 ranks) or plainly (one replica); writes its results to argv[1].
"""

import json
import os
import sys

import numpy as np
import torch

import capas as tf
from capas import keras
from capas.distribute import replica
from tests.distribute._launch import record_exit_state

out_dir = sys.argv[1]
torch.set_num_threads(1)


record_exit_state(out_dir, group_alive=torch.distributed.is_initialized, ddp_wrappers=lambda: len(replica._WRAPPERS))
torch.manual_seed(0)

strategy = tf.distribute.MirroredStrategy()
rank = tf.distribute.cluster_resolver.TFConfigClusterResolver().task_id

BATCH_SIZE_PER_REPLICA = 16 // strategy.num_replicas_in_sync
BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync  # the global batch: 16

rng = np.random.default_rng(0)
x = rng.normal(size=(100, 8)).astype("float32")  # 100 rows: the last global batch is partial (4 rows)
y = (x[:, 0] + x[:, 1] > 0).astype("int64")
x_val, y_val = rng.normal(size=(40, 8)).astype("float32"), rng.integers(0, 2, 40)

train_dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100, seed=7).batch(BATCH_SIZE)
eval_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(BATCH_SIZE)

with strategy.scope():
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2),
        ]
    )
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(0.01),
        metrics=["accuracy"],
    )

val_rows = []
test_step = model.test_step


def counting_test_step(data):
    val_rows.append(int(data[0].shape[0]))
    return test_step(data)


model.test_step = counting_test_step
callbacks = [keras.callbacks.CSVLogger(os.path.join(out_dir, f"log_rank{rank}.csv"))]
history = model.fit(train_dataset, epochs=3, validation_data=eval_dataset, callbacks=callbacks, verbose=0)
eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
predict_rows = []
predict_step = model.predict_step


def counting_predict_step(data):
    predict_rows.append(int(data[0].shape[0]))
    return predict_step(data)


model.predict_step = counting_predict_step
predictions = model.predict(eval_dataset, verbose=0)

# Unseeded shuffles agree across ranks: each rank sees a disjoint part of every global batch.
seen = [
    int(v)
    for batch in strategy.experimental_distribute_dataset(tf.data.Dataset.range(24).shuffle(24).batch(8))
    for v in batch
]

# Other inputs of fit are split the same way: a generator and a torch DataLoader of global batches.
model.test_step = test_step


def generator():
    for start in range(0, 100, 16):
        yield x[start : start + 16], y[start : start + 16]


more = model.fit(generator(), epochs=1, verbose=0).history["loss"]
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y)), batch_size=BATCH_SIZE
)
more += model.fit(loader, epochs=1, verbose=0).history["loss"]

np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump(
        {
            "history": history.history,
            "evaluate": [eval_loss, eval_acc],
            "val_rows": val_rows,
            "seen": seen,
            "predict": predictions.tolist(),
            "predict_rows": predict_rows,
            "more": more,
            "replicas": strategy.num_replicas_in_sync,
        },
        f,
    )

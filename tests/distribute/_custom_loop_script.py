"""The "Custom training with tf.distribute.Strategy" tutorial, with synthetic data and only imports changed.

Run with torchrun (2 ranks) or plainly (one replica); writes its results to argv[1].
"""

import json
import os
import sys
import weakref

import numpy as np
import torch

import capas as tf
from capas import keras
from capas.distribute import replica
from tests.distribute._launch import record_exit_state

out_dir = sys.argv[1]
torch.set_num_threads(1)
WRAPPERS = []  # weak references to the DDP wrappers capas made (read at exit)


# By exit (after capas's own exit step) the DDP wrappers must be gone and the group left, before finalization.
record_exit_state(
    out_dir,
    group_alive=torch.distributed.is_initialized,
    wrappers_alive=lambda: sum(w() is not None for w in WRAPPERS),
)
torch.manual_seed(int(os.environ.get("RANK", "0")))  # different initial weights: the scope mirrors rank 0's

strategy = tf.distribute.MirroredStrategy()
BATCH_SIZE_PER_REPLICA = 12 // strategy.num_replicas_in_sync
GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync
EPOCHS = 2

rng = np.random.default_rng(1)
train_images = rng.normal(size=(60, 6)).astype("float32")
train_labels = (train_images[:, 0] > 0).astype("int64")
test_images, test_labels = train_images[:24], train_labels[:24]

train_dataset = (
    tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(60, seed=3).batch(GLOBAL_BATCH_SIZE)
)
test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)
train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)
test_dist_dataset = strategy.experimental_distribute_dataset(test_dataset)


def create_model():
    if os.environ.get("RANK") is None:
        torch.manual_seed(0)  # the one-process reference starts from rank 0's weights
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(1e-3)),
        ]
    )


with strategy.scope():
    loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

    def compute_loss(labels, predictions, model_losses):
        per_example_loss = loss_object(labels, predictions)
        loss = tf.nn.compute_average_loss(per_example_loss, global_batch_size=GLOBAL_BATCH_SIZE)
        if model_losses:
            loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
        return loss

    test_loss = keras.metrics.Mean(name="test_loss")
    train_accuracy = keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    test_accuracy = keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
    torch.manual_seed(0) if os.environ.get("RANK") is None else None
    model = create_model()
    optimizer = keras.optimizers.Adam(learning_rate=0.01)


def train_step(inputs):
    images, labels = inputs
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = compute_loss(labels, predictions, model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_accuracy.update_state(labels, predictions)
    return loss


def test_step(inputs):
    images, labels = inputs
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)
    test_loss.update_state(t_loss)
    test_accuracy.update_state(labels, predictions)


@tf.function
def distributed_train_step(dataset_inputs):
    per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)


@tf.function
def distributed_test_step(dataset_inputs):
    return strategy.run(test_step, args=(dataset_inputs,))


losses = []
for _epoch in range(EPOCHS):
    total_loss = 0.0
    num_batches = 0
    for x in train_dist_dataset:
        total_loss += distributed_train_step(x)
        num_batches += 1
    losses.append(float(total_loss / num_batches))
    for x in test_dist_dataset:
        distributed_test_step(x)
    train_accuracy.reset_state()
    test_loss.reset_state()
    test_accuracy.reset_state()

WRAPPERS.extend(weakref.ref(w) for w in replica._WRAPPERS.values())
# the custom loop's sum over replicas runs in DDP's own reducer: no Python comm hook on gloo's threads
comm_hooks = sum(len(w._comm_hooks) for w in replica._WRAPPERS.values())
rank = strategy.cluster_resolver.task_id
np.savez(os.path.join(out_dir, f"weights_rank{rank}.npz"), *model.get_weights())
with open(os.path.join(out_dir, f"results_rank{rank}.json"), "w") as f:
    json.dump({"losses": losses, "wrappers": len(WRAPPERS), "comm_hooks": comm_hooks}, f)

"""Custom training with tf.distribute.Strategy: per-replica steps, compute_average_loss, reduce.

Source: tensorflow/docs site/en/tutorials/distribute/custom_training.ipynb
Covers: MirroredStrategy (one replica here), GLOBAL_BATCH_SIZE, experimental_distribute_dataset,
a create_model with L2 kernel regularizers built inside strategy.scope(), a loss with
reduction='none' (the tutorial's tf.keras.losses.Reduction.NONE is gone in Keras 3),
tf.nn.compute_average_loss and tf.nn.scale_regularization_loss(tf.add_n(model.losses)),
metrics created in the scope, tf.train.Checkpoint(optimizer=, model=), train/test steps run by
strategy.run inside @tf.function and reduced with strategy.reduce(ReduceOp.SUM), epoch loops with
reset_state, checkpoint.save, restoring into a new model without the strategy, iterating with
iter/next, and a whole epoch inside a tf.function.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(93)
train_images = rng.integers(0, 256, (96, 28, 28)).astype("uint8")
train_labels = rng.integers(0, 10, 96).astype("uint8")
test_images = rng.integers(0, 256, (32, 28, 28)).astype("uint8")
test_labels = rng.integers(0, 10, 32).astype("uint8")
train_images = train_images[..., None]
test_images = test_images[..., None]
train_images = train_images / np.float32(255)
test_images = test_images / np.float32(255)
report("train_images.dtype", str(train_images.dtype))

strategy = tf.distribute.MirroredStrategy()
report("num_replicas_in_sync", strategy.num_replicas_in_sync)

BUFFER_SIZE = len(train_images)
BATCH_SIZE_PER_REPLICA = 32
GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync
EPOCHS = 2

train_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(GLOBAL_BATCH_SIZE)
test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)
train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)
test_dist_dataset = strategy.experimental_distribute_dataset(test_dataset)


def create_model():
    regularizer = tf.keras.regularizers.L2(1e-5)
    model = tf.keras.Sequential([
        tf.keras.layers.Conv2D(8, 3,
                               activation='relu',
                               kernel_regularizer=regularizer),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(16, 3,
                               activation='relu',
                               kernel_regularizer=regularizer),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(16,
                              activation='relu',
                              kernel_regularizer=regularizer),
        tf.keras.layers.Dense(10, kernel_regularizer=regularizer)
    ])

    return model


checkpoint_dir = os.path.join(tempfile.mkdtemp(), 'training_checkpoints')
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")

with strategy.scope():
    # Set reduction to 'none' so you can do the reduction yourself.
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True,
        reduction='none')

    def compute_loss(labels, predictions, model_losses):
        per_example_loss = loss_object(labels, predictions)
        loss = tf.nn.compute_average_loss(per_example_loss)
        if model_losses:
            loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
        return loss

with strategy.scope():
    test_loss = tf.keras.metrics.Mean(name='test_loss')
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
        name='train_accuracy')
    test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
        name='test_accuracy')

with strategy.scope():
    model = create_model()
    model.build((None, 28, 28, 1))
    init_weights(model, seed=9, scale=0.1)
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)
    checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)

per_example = loss_object(tf.constant([1, 2]), tf.constant([[0.1, 0.5, 0.2], [0.3, 0.1, 0.9]]))
report("per_example_loss", per_example, tol=1e-5)
report("compute_average_loss", tf.nn.compute_average_loss(per_example), tol=1e-6)
report("compute_average_loss_global", tf.nn.compute_average_loss(per_example, global_batch_size=4), tol=1e-6)


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
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses,
                           axis=None)


@tf.function
def distributed_test_step(dataset_inputs):
    return strategy.run(test_step, args=(dataset_inputs,))


for epoch in range(EPOCHS):
    # TRAIN LOOP
    total_loss = 0.0
    num_batches = 0
    for x in train_dist_dataset:
        total_loss += distributed_train_step(x)
        num_batches += 1
    train_loss = total_loss / num_batches

    # TEST LOOP
    for x in test_dist_dataset:
        distributed_test_step(x)

    checkpoint.save(checkpoint_prefix)

    report("epoch_%d" % epoch, [train_loss, train_accuracy.result() * 100, test_loss.result(),
                                test_accuracy.result() * 100], tol=1e-3)
    test_loss.reset_state()
    train_accuracy.reset_state()
    test_accuracy.reset_state()

report("latest_checkpoint", os.path.basename(tf.train.latest_checkpoint(checkpoint_dir)))
eval_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
    name='eval_accuracy')
new_model = create_model()
new_optimizer = tf.keras.optimizers.Adam()
test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)


@tf.function
def eval_step(images, labels):
    predictions = new_model(images, training=False)
    eval_accuracy(labels, predictions)


checkpoint = tf.train.Checkpoint(optimizer=new_optimizer, model=new_model)
checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))
for images, labels in test_dataset:
    eval_step(images, labels)
report("eval_accuracy_restored", eval_accuracy.result() * 100, tol=1e-4)
report("restored_weights_equal", bool(all(np.allclose(a, b) for a, b in
                                          zip(new_model.get_weights(), model.get_weights()))))

for _ in range(1):
    total_loss = 0.0
    num_batches = 0
    train_iter = iter(train_dist_dataset)

    for _ in range(2):
        total_loss += distributed_train_step(next(train_iter))
        num_batches += 1
    average_train_loss = total_loss / num_batches
    report("iter_next_loss", [average_train_loss, train_accuracy.result() * 100], tol=1e-3)
    train_accuracy.reset_state()


@tf.function
def distributed_train_epoch(dataset):
    total_loss = 0.0
    num_batches = 0
    for x in dataset:
        per_replica_losses = strategy.run(train_step, args=(x,))
        total_loss += strategy.reduce(
            tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)
        num_batches += 1
    return total_loss / tf.cast(num_batches, dtype=tf.float32)


for epoch in range(1):
    train_loss = distributed_train_epoch(train_dist_dataset)
    report("in_function_epoch", [train_loss, train_accuracy.result() * 100], tol=1e-3)
    train_accuracy.reset_state()
report("optimizer_iterations", int(optimizer.iterations.numpy()))

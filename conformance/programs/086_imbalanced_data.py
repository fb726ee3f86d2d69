"""Classification on imbalanced data: metrics, an initial output bias, class weights, oversampling.

Source: tensorflow/docs site/en/tutorials/structured_data/imbalanced_data.ipynb
Covers: a credit-card-shaped table with few positives, np.bincount, clipping standardized features,
the METRICS list (BinaryCrossentropy, MeanSquaredError as 'Brier score', TruePositives,
FalsePositives, TrueNegatives, FalseNegatives, BinaryAccuracy, Precision, Recall, AUC and
AUC(curve='PR')), make_model with Dense/Dropout/sigmoid and Constant output bias, evaluate with
metric names, np.log([pos/neg]) as initial bias, save_weights/load_weights (.weights.h5),
bias.assign, fit with validation_data and EarlyStopping(monitor='val_prc', mode='max',
restore_best_weights=True), class_weight, oversampling with tf.data (repeat,
sample_from_datasets, batch, prefetch) and steps_per_epoch. Dropout makes trained numbers
framework-specific, so after training only names, counts and shapes are compared.
"""
import os
import tempfile

import numpy as np
from _target import keras, report, tf

rng = np.random.default_rng(86)
n_total, n_features = 1200, 29
labels_all = (rng.uniform(size=n_total) < 0.05).astype("int64")
features_all = rng.normal(size=(n_total, n_features))
features_all[labels_all == 1, :5] += 1.5
neg, pos = np.bincount(labels_all)
total = neg + pos
report("counts", [int(neg), int(pos), int(total)])

train_features, val_features, test_features = features_all[:768], features_all[768:960], features_all[960:]
train_labels = labels_all[:768].reshape(-1, 1)
bool_train_labels = train_labels[:, 0] != 0
val_labels = labels_all[768:960].reshape(-1, 1)
test_labels = labels_all[960:].reshape(-1, 1)
mean, std = train_features.mean(0), train_features.std(0)
train_features = np.clip((train_features - mean) / std, -5, 5)
val_features = np.clip((val_features - mean) / std, -5, 5)
test_features = np.clip((test_features - mean) / std, -5, 5)
report("shapes", [train_labels.shape, train_features.shape, val_features.shape, test_features.shape])

METRICS = [
    keras.metrics.BinaryCrossentropy(name='cross entropy'),  # same as model's loss
    keras.metrics.MeanSquaredError(name='Brier score'),
    keras.metrics.TruePositives(name='tp'),
    keras.metrics.FalsePositives(name='fp'),
    keras.metrics.TrueNegatives(name='tn'),
    keras.metrics.FalseNegatives(name='fn'),
    keras.metrics.BinaryAccuracy(name='accuracy'),
    keras.metrics.Precision(name='precision'),
    keras.metrics.Recall(name='recall'),
    keras.metrics.AUC(name='auc'),
    keras.metrics.AUC(name='prc', curve='PR'),  # precision-recall curve
]

weight_rng = np.random.default_rng(0)
FIXED = [weight_rng.uniform(-0.3, 0.3, (n_features, 16)).astype("float32"),
         weight_rng.uniform(-0.1, 0.1, (16,)).astype("float32"),
         weight_rng.uniform(-0.3, 0.3, (16, 1)).astype("float32")]


def make_model(metrics=METRICS, output_bias=None):
    if output_bias is not None:
        output_bias = tf.keras.initializers.Constant(output_bias)
    model = keras.Sequential([
        keras.layers.Dense(
            16, activation='relu',
            input_shape=(train_features.shape[-1],)),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(1, activation='sigmoid',
                           bias_initializer=output_bias),
    ])

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=metrics)

    return model


EPOCHS = 6
BATCH_SIZE = 256


def early_stopping():
    return tf.keras.callbacks.EarlyStopping(
        monitor='val_prc',
        verbose=0,
        patience=10,
        mode='max',
        restore_best_weights=True)


model = make_model()
model.set_weights(FIXED + [np.zeros((1,), "float32")])
report("count_params", model.count_params())
preds = model.predict(train_features[:10], verbose=0)
report("predict[:10]", preds, tol=1e-4)
results = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)
report("metrics_names", model.metrics_names)
report("zero_bias_results", results, tol=1e-3)

initial_bias = np.log([pos / neg])
report("initial_bias", initial_bias, tol=1e-6)
model = make_model(output_bias=initial_bias)
report("bias_after_init", model.layers[-1].bias.numpy(), tol=1e-6)
model.set_weights(FIXED + [model.layers[-1].bias.numpy()])
report("predict_with_bias[:5]", model.predict(train_features[:5], verbose=0), tol=1e-4)
results = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)
report("careful_bias_results", results, tol=1e-3)
report("loss_str", "Loss: {:0.4f}".format(results[0]))

initial_weights = os.path.join(tempfile.mkdtemp(), 'initial.weights.h5')
model.save_weights(initial_weights)

model = make_model()
model.load_weights(initial_weights)
report("loaded_bias", model.layers[-1].bias.numpy(), tol=1e-6)
model.layers[-1].bias.assign([0.0])
zero_bias_history = model.fit(
    train_features,
    train_labels,
    batch_size=BATCH_SIZE,
    epochs=2,
    validation_data=(val_features, val_labels),
    verbose=0)
report("history_keys", sorted(zero_bias_history.history.keys()))
report("history_len", len(zero_bias_history.history["loss"]))

model = make_model()
model.load_weights(initial_weights)
baseline_history = model.fit(
    train_features,
    train_labels,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    callbacks=[early_stopping()],
    validation_data=(val_features, val_labels),
    verbose=0)
report("baseline_epochs", baseline_history.epoch)
train_predictions_baseline = model.predict(train_features, batch_size=BATCH_SIZE, verbose=0)
test_predictions_baseline = model.predict(test_features, batch_size=BATCH_SIZE, verbose=0)
report("test_predictions.shape", test_predictions_baseline.shape)
baseline_results = model.evaluate(test_features, test_labels,
                                  batch_size=BATCH_SIZE, verbose=0)
report("baseline_results_len", len(baseline_results))
report("metric_names_zip", [name for name, value in zip(model.metrics_names, baseline_results)])

weight_for_0 = (1 / neg) * (total / 2.0)
weight_for_1 = (1 / pos) * (total / 2.0)
class_weight = {0: weight_for_0, 1: weight_for_1}
report("class_weight", ['{:.2f}'.format(weight_for_0), '{:.2f}'.format(weight_for_1)])

weighted_model = make_model()
weighted_model.load_weights(initial_weights)
weighted_history = weighted_model.fit(
    train_features,
    train_labels,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    callbacks=[early_stopping()],
    validation_data=(val_features, val_labels),
    # The class weights go here
    class_weight=class_weight,
    verbose=0)
report("weighted_keys", sorted(weighted_history.history.keys()))

pos_features = train_features[bool_train_labels]
neg_features = train_features[~bool_train_labels]
pos_labels = train_labels[bool_train_labels]
neg_labels = train_labels[~bool_train_labels]
report("pos_neg_shapes", [pos_features.shape, neg_features.shape, pos_labels.shape])

BUFFER_SIZE = 100000


def make_ds(features, labels):
    ds = tf.data.Dataset.from_tensor_slices((features, labels))  # .cache()
    ds = ds.shuffle(BUFFER_SIZE).repeat()
    return ds


pos_ds = make_ds(pos_features, pos_labels)
neg_ds = make_ds(neg_features, neg_labels)
for features, label in pos_ds.take(1):
    report("pos_example", [features.shape, features.dtype, label.numpy()])

resampled_ds = tf.data.Dataset.sample_from_datasets([pos_ds, neg_ds], weights=[0.5, 0.5])
resampled_ds = resampled_ds.batch(BATCH_SIZE).prefetch(2)
for features, label in resampled_ds.take(1):
    m = label.numpy().mean()
    report("resampled_mean_near_half", bool(0.35 < m < 0.65))
    report("resampled_batch", [features.shape, label.shape, label.dtype])

resampled_steps_per_epoch = int(np.ceil(2.0 * neg / BATCH_SIZE))
report("resampled_steps_per_epoch", resampled_steps_per_epoch)

resampled_model = make_model()
resampled_model.load_weights(initial_weights)
output_layer = resampled_model.layers[-1]
output_layer.bias.assign([0])
val_ds = tf.data.Dataset.from_tensor_slices((val_features, val_labels)).cache()
val_ds = val_ds.batch(BATCH_SIZE).prefetch(2)
resampled_history = resampled_model.fit(
    resampled_ds,
    epochs=2,
    steps_per_epoch=resampled_steps_per_epoch,
    callbacks=[early_stopping()],
    validation_data=val_ds,
    verbose=0)
report("resampled_epochs", resampled_history.epoch)
report("resampled_iterations", int(resampled_model.optimizer.iterations.numpy()))

"""Metrics and losses used standalone: update_state / result / reset_state and loss reductions.

Source: keras-team/keras-io guides/training_with_built_in_methods.py ("Many built-in
metrics", "Custom losses") and tensorflow/docs site/en/tutorials/customization/custom_training_walkthrough.ipynb
Covers: Mean, Accuracy, BinaryAccuracy, SparseCategoricalAccuracy, Precision, Recall, AUC,
MeanSquaredError and MeanAbsoluteError metrics fed in two updates, reset_state, metric
names and variables count, and loss objects with reduction "sum" / "none", sample_weight.
"""
import numpy as np
from _target import keras, report

m = keras.metrics.Mean()
m.update_state([1.0, 3.0, 5.0, 7.0])
m.update_state([9.0], sample_weight=[2.0])
report("mean", float(m.result()), tol=1e-6)
m.reset_state()
report("mean_after_reset", float(m.result()))
report("mean_name", m.name)

y_true = np.array([0, 1, 1, 0, 1, 0], "float32")
y_prob = np.array([0.1, 0.8, 0.4, 0.6, 0.9, 0.2], "float32")
for cls in (keras.metrics.BinaryAccuracy, keras.metrics.Precision, keras.metrics.Recall, keras.metrics.AUC):
    metric = cls()
    metric.update_state(y_true[:3], y_prob[:3])
    metric.update_state(y_true[3:], y_prob[3:])
    report(metric.name, float(metric.result()), tol=1e-5)
    report(metric.name + ".n_variables", len(metric.variables))

acc = keras.metrics.Accuracy()
acc.update_state([1, 2, 3, 4], [0, 2, 3, 4])
report("accuracy", float(acc.result()))
sca = keras.metrics.SparseCategoricalAccuracy()
sca.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]])
report("sparse_categorical_accuracy", float(sca.result()))
mse = keras.metrics.MeanSquaredError()
mse.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]])
report("mse_metric", float(mse.result()))
mae = keras.metrics.MeanAbsoluteError()
mae.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]], sample_weight=[1, 0])
report("mae_metric_weighted", float(mae.result()))

y_t = np.array([[0.0, 1.0], [0.0, 0.0]], "float32")
y_p = np.array([[1.0, 1.0], [1.0, 0.0]], "float32")
report("mse_loss_default", float(keras.losses.MeanSquaredError()(y_t, y_p)))
report("mse_loss_sum", float(keras.losses.MeanSquaredError(reduction="sum")(y_t, y_p)))
report("mse_loss_none", keras.losses.MeanSquaredError(reduction=None)(y_t, y_p))
report("mse_loss_weighted", float(keras.losses.MeanSquaredError()(y_t, y_p, sample_weight=[0.7, 0.3])), tol=1e-6)
bce = keras.losses.BinaryCrossentropy(from_logits=True)
report("bce_logits", float(bce([[0.0, 1.0]], [[-2.0, 3.0]])), tol=1e-6)
cce = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)
report("cce_smoothing", float(cce([[0.0, 1.0, 0.0]], [[0.1, 0.8, 0.1]])), tol=1e-6)
report("loss_names", [keras.losses.MeanSquaredError().name, bce.name, cce.name])

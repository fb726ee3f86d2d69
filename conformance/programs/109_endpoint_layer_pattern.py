"""Endpoint layer pattern: a layer that receives the targets and adds the loss with add_loss.

Source: keras-team/keras-io examples/keras_recipes/endpoint_layer_pattern.py
Covers: a LogisticEndpoint layer holding BinaryCrossentropy(from_logits=True) and
BinaryAccuracy(name="accuracy"), call(logits, targets=None, sample_weight=None) calling
self.add_loss(self.loss_fn(targets, logits, sample_weight)), a functional model with three named
Inputs fed by a dict, compile(Adam(1e-3)) without a loss, fit(data) with no targets, an
inference-only model (targets=None) taking the trained weights with set_weights(get_weights()),
and the subclassed LogReg model calling the endpoint with keywords from a dict input.
(The example's self.add_metric is gone from Keras 3: its absence is reported, and the layer logs
its accuracy metric through the compiled model's metrics only where Keras 3 does; 100 samples of
16 features instead of 1000 of 764; shuffle=False.)
"""
import numpy as np
from _target import init_weights, keras, report, report_error, tf


class LogisticEndpoint(keras.layers.Layer):
    def __init__(self, name=None):
        super(LogisticEndpoint, self).__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy_fn = keras.metrics.BinaryAccuracy(name="accuracy")

    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            # Compute the training-time loss value and add it
            # to the layer using `self.add_loss()`.
            loss = self.loss_fn(targets, logits, sample_weight)
            self.add_loss(loss)

        # Return the inference-time prediction tensor (for `.predict()`).
        return tf.nn.softmax(logits)


report_error("add_metric", lambda: LogisticEndpoint().add_metric(tf.constant(1.0)))

rng = np.random.default_rng(109)
inputs = keras.Input((16,), name="inputs")
logits = keras.layers.Dense(1)(inputs)
targets = keras.Input((1,), name="targets")
sample_weight = keras.Input((1,), name="sample_weight")
preds = LogisticEndpoint()(logits, targets, sample_weight)
model = keras.Model([inputs, targets, sample_weight], preds)
report("input_names", [t.name for t in model.inputs])

data = {
    "inputs": rng.random((100, 16)),
    "targets": rng.random((100, 1)),
    "sample_weight": rng.random((100, 1)),
}
init_weights(model, seed=1, scale=0.3)
model.compile(keras.optimizers.Adam(1e-3))
history = model.fit(data, epochs=2, verbose=0, shuffle=False)
report("history", history.history, tol=1e-5)
report("n_losses", len(model.losses))

inputs = keras.Input((16,), name="inputs")
logits = keras.layers.Dense(1)(inputs)
preds = LogisticEndpoint()(logits, targets=None, sample_weight=None)
inference_model = keras.Model(inputs, preds)

inference_model.set_weights(model.get_weights())
report("transferred", np.allclose(inference_model.get_weights()[0], model.get_weights()[0]))
preds = inference_model.predict(rng.random((10, 16)), verbose=0)
report("preds", [preds.shape, preds[:3, 0]], tol=1e-6)


class LogReg(keras.Model):
    def __init__(self):
        super(LogReg, self).__init__()
        self.dense = keras.layers.Dense(1)
        self.logistic_endpoint = LogisticEndpoint()

    def call(self, inputs):
        # Note that all inputs should be in the first argument
        # since we want to be able to call `model.fit(inputs)`.
        logits = self.dense(inputs["inputs"])
        preds = self.logistic_endpoint(
            logits=logits,
            targets=inputs["targets"],
            sample_weight=inputs["sample_weight"],
        )
        return preds


model = LogReg()
data = {
    "inputs": rng.random((100, 16)),
    "targets": rng.random((100, 1)),
    "sample_weight": rng.random((100, 1)),
}
model({k: v[:2] for k, v in data.items()})
init_weights(model, seed=2, scale=0.3)
model.compile(keras.optimizers.Adam(1e-3))
history = model.fit(data, epochs=2, verbose=0, shuffle=False)
report("logreg_history", history.history, tol=1e-5)

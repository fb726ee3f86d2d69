"""Mixed precision: dtype policies, compute vs variable dtypes, and float32 outputs.

Source: tensorflow/docs site/en/guide/mixed_precision.ipynb
Covers: keras.mixed_precision.set_global_policy("mixed_float16"), global_policy().name,
policy.compute_dtype / variable_dtype, a Dense layer's dtype_policy, kernel dtype vs output
dtype, an Activation("softmax", dtype="float32") output layer, LossScaleOptimizer wrapping,
and resetting the policy to "float32".
"""
import numpy as np
from _target import keras, layers, report

keras.mixed_precision.set_global_policy("mixed_float16")
policy = keras.mixed_precision.global_policy()
report("policy.name", policy.name)
report("compute_dtype", policy.compute_dtype)
report("variable_dtype", policy.variable_dtype)

inputs = keras.Input(shape=(4,), name="digits")
dense1 = layers.Dense(8, activation="relu", name="dense_1")
x = dense1(inputs)
report("dense1.dtype_policy", dense1.dtype_policy.name)
report("x.dtype", x.dtype)
report("dense1.kernel.dtype", dense1.kernel.dtype)
x = layers.Dense(3, name="dense_logits")(x)
outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
report("outputs.dtype", outputs.dtype)
model = keras.Model(inputs=inputs, outputs=outputs)
model.set_weights([np.linspace(-0.5, 0.5, w.size).reshape(w.shape).astype("float32") for w in model.get_weights()])
y = model(np.ones((2, 4), "float32"))
report("y.dtype", y.dtype)
report("y", y, tol=1e-3)
optimizer = keras.optimizers.RMSprop()
loss_scale_optimizer = keras.mixed_precision.LossScaleOptimizer(optimizer)
report("loss_scale_optimizer_type", type(loss_scale_optimizer).__name__)
keras.mixed_precision.set_global_policy("float32")
report("policy_reset", keras.mixed_precision.global_policy().name)
report("dense_after_reset", layers.Dense(2).dtype_policy.name)

"""Inputs shared by the TensorFlow recorder and the tests (no TensorFlow or capas imported here)."""

import numpy as np

OPTIMIZERS = [
    # class name, config: the optimizers whose update takes a square root
    ("Adam", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.004}),
    ("RMSprop", {"learning_rate": 0.01}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True, "momentum": 0.5}),
    ("Adagrad", {"learning_rate": 0.05}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Nadam", {"learning_rate": 0.01}),
    ("Lamb", {"learning_rate": 0.01}),
    # and SGD with Nesterov momentum, whose compiled update (jit_compile=True) follows Keras's order too
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
]
STEPS = 8


def sqrt_inputs():
    """float32 values whose roots are hard to round: random mantissas over many scales, denormals."""
    rng = np.random.default_rng(3)
    # Powers of ten parsed from text: exact on every machine (NumPy's float32 `power` is SVML's on
    # AVX-512, an ulp off for 8 of these exponents, libm's on AVX2).
    scales = np.array([float(f"1e{k}") for k in rng.integers(-30, 30, 4096)]).astype("float32")
    values = (rng.random(4096, dtype=np.float32) * scales).astype("float32")
    denormals = (rng.random(256, dtype=np.float32) * np.float32(1e-39)).astype("float32")
    return np.concatenate([values, denormals, np.float32([0.0, 1.0, 2.0, 3.0])])


def optimizer_inputs():
    """(initial values, gradients per step) for two variables, gradients over several scales."""
    rng = np.random.default_rng(4)
    shapes = [(16, 8), (8,)]
    inits = [rng.normal(size=s).astype("float32") for s in shapes]
    grads = [
        [(rng.normal(size=s) * 10.0 ** rng.integers(-4, 1, s)).astype("float32") for s in shapes] for _ in range(STEPS)
    ]
    return inits, grads

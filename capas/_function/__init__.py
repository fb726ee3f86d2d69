"""The machinery behind `tf.function` (tracing, trace keys, concrete functions); see `capas/function.py`."""

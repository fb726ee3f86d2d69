"""The one place capas adjusts torch's behaviour for TensorFlow code (see `capas/_compat/`).

Importing capas installs TensorFlow's tensor idioms on torch's classes: `numpy()` inside a
tape, operators with numpy arrays and lists, numpy functions returning numpy values,
negative slice steps, `t.shape.as_list()`, `t.dtype.name`. docs/interop.md lists every
change and its cost.
"""

from capas._compat import install

install()

"""`tf.experimental`: the parts of TF's namespace that tutorials use (`Optional`)."""

from capas.data._optional import Optional as Optional

__all__ = ["Optional"]

"""`MaxNumBoundingBoxes`: pads or truncates the boxes of an image batch to a fixed number."""

import torch
import torch.nn.functional as F

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class MaxNumBoundingBoxes(Layer):
    """Ensure the maximum number of bounding boxes.

    Called on `{"images": ..., "bounding_boxes": {"boxes": (batch, n, 4),
    "labels": (batch, n)}}`, it keeps the first `max_number` boxes and labels
    and pads with `fill_value` up to `max_number`; images (and any other
    entry) pass unchanged. Called on a tensor of images, it returns it.

    Args:
        max_number: the number of boxes per image in the output.
        fill_value: the value of padded boxes and labels (default -1).
        bounding_box_format: the boxes' format ('xyxy', 'yxyx', 'xywh',
            ...); required when boxes are given, as in Keras. Padding and
            truncating do not depend on it, so no format is converted.

    Example:

    >>> import numpy as np
    >>> from capas.keras import layers
    >>> out = layers.MaxNumBoundingBoxes(max_number=3, bounding_box_format="xyxy")({
    ...     "images": np.zeros((1, 8, 8, 3), "float32"),
    ...     "bounding_boxes": {"boxes": np.array([[[0, 0, 4, 4]]]), "labels": np.array([[7]])},
    ... })
    >>> out["bounding_boxes"]["labels"].tolist()
    [[7, -1, -1]]

    Only the `boxes` and `labels` keys of `bounding_boxes` are supported,
    as in Keras.

    Differs from Keras: capas has no other bounding-box support (format
    conversion, box-aware augmentation layers); this layer needs none.
    """

    def __init__(self, max_number, fill_value=-1, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        self.bounding_box_format = bounding_box_format
        self.data_format = data_format or "channels_last"
        self.built = True

    def _fit(self, t, trailing):
        t = torch.as_tensor(t)
        t = t[:, : self.max_number]
        pad = self.max_number - t.shape[1]
        if pad > 0:
            t = F.pad(t, [0, 0] * trailing + [0, pad], value=self.fill_value)
        return t

    def call(self, inputs):
        if not isinstance(inputs, dict):
            return torch.as_tensor(inputs)
        out = dict(inputs)
        if "bounding_boxes" in inputs:
            if self.bounding_box_format is None:
                raise ValueError(
                    f"MaxNumBoundingBoxes '{self.name}': you passed an input with a 'bounding_boxes' key, but you "
                    "didn't specify a bounding box format. Pass a `bounding_box_format` argument to the layer, "
                    "e.g. `bounding_box_format='xyxy'`."
                )
            boxes = dict(inputs["bounding_boxes"])
            extra = set(boxes) - {"boxes", "labels"}
            if extra:
                raise KeyError(
                    f"MaxNumBoundingBoxes '{self.name}': there are unsupported keys in `bounding_boxes`: "
                    f"{sorted(extra)}. Only `boxes` and `labels` are supported."
                )
            unbatched = torch.as_tensor(boxes["boxes"]).dim() == 2
            for key, trailing in (("boxes", 1), ("labels", 0)):
                if key in boxes:
                    t = torch.as_tensor(boxes[key])
                    t = self._fit(t.unsqueeze(0) if unbatched else t, trailing)
                    boxes[key] = t.squeeze(0) if unbatched else t
            out["bounding_boxes"] = boxes
        return out

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_number": self.max_number,
                "fill_value": self.fill_value,
                "bounding_box_format": self.bounding_box_format,
                "data_format": self.data_format,
            }
        )
        return config

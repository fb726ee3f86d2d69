"""keras.preprocessing: the dataset utilities under the names tf.keras.preprocessing gives them.

`tf.keras.preprocessing.image_dataset_from_directory` (as keras-io's image_classification_from_scratch
calls it) is `keras.utils.image_dataset_from_directory`; `keras.preprocessing.image` and
`keras.preprocessing.sequence` hold the image-array and padding helpers.

>>> from capas import keras
>>> keras.preprocessing.sequence.pad_sequences([[1, 2], [3]]).tolist()
[[1, 2], [0, 3]]
"""

from capas.keras.preprocessing import image as image
from capas.keras.preprocessing import sequence as sequence
from capas.keras.utils import image_dataset_from_directory as image_dataset_from_directory
from capas.keras.utils import text_dataset_from_directory as text_dataset_from_directory
from capas.keras.utils import timeseries_dataset_from_array as timeseries_dataset_from_array

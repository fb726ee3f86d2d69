"""FSDPStrategy and keras.distribution in one process: the API, its errors, and Keras 3's LayoutMap rules.

(The sharded training itself runs in real processes: test_fsdp.py.)
"""

import numpy as np
import pytest

import capas as tf
from capas import keras
from capas.distribute import sharding


def test_fsdp_strategy_in_one_process_is_one_replica_and_trains_unsharded():
    strategy = tf.distribute.FSDPStrategy()
    assert strategy.num_replicas_in_sync == 1
    with strategy.scope():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    assert not sharding.is_sharded(model)
    assert sharding.local_numel(model) == (8, 8)


@pytest.mark.parametrize(
    "optimizer, match",
    [
        (lambda: keras.optimizers.Lamb(), "Lamb cannot train a model sharded"),
        (lambda: keras.optimizers.Adafactor(), "Adafactor cannot train a model sharded"),
        (lambda: keras.optimizers.Adam(clipnorm=1.0), "clipnorm=1.0 is not supported under FSDPStrategy"),
        (lambda: keras.optimizers.SGD(global_clipnorm=2.0), "global_clipnorm=2.0 is not supported"),
    ],
)
def test_optimizers_that_need_whole_variables_are_refused_under_fsdp(optimizer, match):
    with pytest.raises(ValueError, match=match):
        sharding.check_optimizer(optimizer())


def test_elementwise_optimizers_are_accepted_under_fsdp():
    for optimizer in (
        keras.optimizers.Adam(clipvalue=1.0),
        keras.optimizers.SGD(0.1, momentum=0.9),
        keras.optimizers.AdamW(),
        keras.optimizers.RMSprop(),
        keras.optimizers.Lion(),
    ):
        sharding.check_optimizer(optimizer)


def _keras():
    import keras as keras3  # the keras package (3.x, torch backend: conftest sets KERAS_BACKEND)

    return keras3


def test_layout_map_resolves_paths_as_keras():
    ours_mesh = keras.distribution.DeviceMesh((1,), ["model"], ["cpu:0"])
    theirs_mesh = _keras().distribution.DeviceMesh((1,), ["model"], ["cpu:0"])
    ours, theirs = keras.distribution.LayoutMap(ours_mesh), _keras().distribution.LayoutMap(theirs_mesh)
    for layout_map in (ours, theirs):
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
        layout_map["my_model/conv2d_123/kernel"] = (None, None, None, "model")
    for path in ("dense_1/kernel", "dense_1/bias", "my_model/conv2d_123/kernel", "conv3d_1/kernel", "dense"):
        a, b = ours[path], theirs[path]
        assert (a is None) == (b is None), path
        if a is not None:
            assert a.axes == b.axes and a.device_mesh is ours_mesh, path
    for layout_map in (ours, theirs):
        layout_map[".*_1/kernel"] = ("model", None)
    for layout_map in (ours, theirs):  # two patterns match: both raise
        with pytest.raises(ValueError, match="matches multiple layout specification keys"):
            layout_map["dense_1/kernel"]
        with pytest.raises(ValueError, match="already exist in the LayoutMap"):
            layout_map[".*dense.*bias"] = ("model",)


def test_distribution_errors_match_keras():
    for lib in (keras, _keras()):
        with pytest.raises(ValueError, match="Shape and axis_names should have same size"):
            lib.distribution.DeviceMesh((1,), ["a", "b"], ["cpu:0"])
        with pytest.raises(ValueError, match="Shape does not match the number of devices"):
            lib.distribution.DeviceMesh((2,), ["a"], ["cpu:0"])
        with pytest.raises(ValueError, match="You must specify a layout_map argument"):
            lib.distribution.ModelParallel()
        with pytest.raises(ValueError, match="must be a `LayoutMap` instance"):
            lib.distribution.ModelParallel(layout_map={"x": ("model",)})
        with pytest.raises(ValueError, match="Invalid axis names for Layout"):
            lib.distribution.TensorLayout(("batch",), lib.distribution.DeviceMesh((1,), ["model"], ["cpu:0"]))


def test_set_distribution_maps_to_the_strategies():
    assert keras.distribution.distribution() is None
    assert keras.distribution.list_devices() == ["cpu:0"]
    mesh = keras.distribution.DeviceMesh((1,), ["model"])
    model_parallel = keras.distribution.ModelParallel(layout_map=keras.distribution.LayoutMap(mesh))
    try:
        keras.distribution.set_distribution(model_parallel)
        assert keras.distribution.distribution() is model_parallel and sharding.wants_sharding()
        assert isinstance(model_parallel._strategy, tf.distribute.FSDPStrategy)
        with model_parallel.scope():
            assert tf.distribute.get_strategy() is model_parallel._strategy
        data_parallel = keras.distribution.DataParallel()
        keras.distribution.set_distribution(data_parallel)
        assert not sharding.wants_sharding() and data_parallel.device_mesh.axis_names == ["batch"]
        assert isinstance(data_parallel._strategy, tf.distribute.MirroredStrategy)
        with pytest.raises(ValueError, match="expects a keras.distribution.Distribution"):
            keras.distribution.set_distribution("data_parallel")
    finally:
        keras.distribution.set_distribution(None)

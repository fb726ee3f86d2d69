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


def test_fsdp_strategy_unit_policy_arguments_are_checked():
    assert tf.distribute.FSDPStrategy(units="model", min_unit_params=10)._units == "model"
    with pytest.raises(ValueError, match=r"FSDPStrategy\(units='blocks'\): expected 'layers'"):
        tf.distribute.FSDPStrategy(units="blocks")
    with pytest.raises(ValueError, match=r"FSDPStrategy\(min_unit_params=-1\): expected an integer >= 0"):
        tf.distribute.FSDPStrategy(min_unit_params=-1)


def test_unit_layers_are_the_top_level_layers_with_nested_models_opened_and_small_layers_left_to_the_root():
    block = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(5, name="inner_a"), keras.layers.Dense(6, name="inner_b")]
    )
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(6, name="first")(inputs)  # 30 elements
    hidden = block(hidden)  # a nested model: its layers become units
    outputs = keras.layers.Dense(1, name="tiny")(hidden)  # 7 elements: below min_unit_params, the root's
    model = keras.Model(inputs, outputs)
    todo = {id(v): v for v in model.trainable_weights}
    groups = sharding._partition(model, todo, min_size=10)
    assert [(layer.name, [v.path for v in variables]) for layer, variables in groups] == [
        ("first", ["first/kernel", "first/bias"]),
        ("inner_a", ["inner_a/kernel", "inner_a/bias"]),
        ("inner_b", ["inner_b/kernel", "inner_b/bias"]),
    ]
    assert sorted(v.path for v in todo.values()) == ["tiny/bias", "tiny/kernel"]  # left for the root unit


def _model_parallel(lib, layout, mesh_shape=(1,), devices=("cpu:0",)):
    mesh = lib.distribution.DeviceMesh(mesh_shape, ["model"], list(devices))
    layout_map = lib.distribution.LayoutMap(mesh)
    for key, axes in layout.items():
        layout_map[key] = axes
    return lib.distribution.ModelParallel(layout_map=layout_map)


def test_model_parallel_variable_layouts_are_keras_3s_and_give_fsdp2_shard_dims():
    layout = {".*dense.*kernel": (None, "model"), ".*conv.*kernel": ("model", None, None, None), ".*bias": (None,)}
    ours = _model_parallel(keras, layout)
    theirs = _model_parallel(_keras(), layout)
    ours_model = keras.Sequential(
        [
            keras.Input((4, 4, 2)),
            keras.layers.Conv2D(3, 2, name="conv"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, name="dense"),
            keras.layers.BatchNormalization(name="norm"),
        ]
    )
    theirs_model = _keras().Sequential(
        [
            _keras().Input((4, 4, 2)),
            _keras().layers.Conv2D(3, 2, name="conv"),
            _keras().layers.Flatten(),
            _keras().layers.Dense(2, name="dense"),
            _keras().layers.BatchNormalization(name="norm"),
        ]
    )
    for a, b in zip(ours_model.weights, theirs_model.weights):
        # the same layout as Keras 3 for every variable (matched, or replicated when no pattern matches)
        assert tuple(ours.get_variable_layout(a).axes) == tuple(theirs.get_variable_layout(b).axes), a.path
    dims = {v.path: ours._shard_dim(v) for v in ours_model.trainable_weights}
    assert dims == {
        "conv/kernel": 0,
        "conv/bias": None,
        "dense/kernel": 1,
        "dense/bias": None,
        "norm/gamma": None,
        "norm/beta": None,
    }


def test_model_parallel_layouts_fsdp2_cannot_honour_are_refused():
    dense = keras.layers.Dense(4, name="dense")
    keras.Sequential([keras.Input((6,)), dense])
    with pytest.raises(ValueError, match=r"'dense/kernel' shards 2 axes, but capas shards a variable along one axis"):
        _model_parallel(keras, {"dense/kernel": ("model", "model")})._shard_dim(dense.kernel)
    with pytest.raises(ValueError, match=r"'dense/kernel' has 1 axes, but the variable has shape \(6, 4\)"):
        _model_parallel(keras, {"dense/kernel": ("model",)})._shard_dim(dense.kernel)
    with pytest.raises(ValueError, match=r"mesh axis 'model' of 2 devices, but capas shards over all 1 processes"):
        two = _model_parallel(keras, {"dense/kernel": ("model", None)}, (2,), ("cpu:0", "cpu:1"))
        two._shard_dim(dense.kernel)
    norm = keras.layers.BatchNormalization(name="norm")
    keras.Sequential([keras.Input((4,)), norm])
    with pytest.raises(ValueError, match=r"shards variable 'norm/moving_mean' \(shape \(4,\)\), but capas shards only"):
        _model_parallel(keras, {"norm/moving_mean": ("model",)})._shard_dim(norm.moving_mean, shardable=False)


def test_a_variable_two_top_level_layers_use_stays_with_the_root_unit():
    class UsesKernelOf(keras.layers.Layer):
        def __init__(self, other, **kwargs):
            super().__init__(**kwargs)
            self.other = other  # tracks the other layer: its kernel is also this layer's weight

        def call(self, inputs):
            return tf.matmul(inputs, self.other.kernel, transpose_b=True)

    embed = keras.layers.Dense(5, name="embed")
    inputs = keras.Input((4,))
    hidden = embed(inputs)
    block = keras.Sequential([keras.Input((5,)), UsesKernelOf(embed, name="tied"), keras.layers.Dense(3, name="head")])
    model = keras.Model(inputs, block(hidden))
    todo = {id(v): v for v in model.trainable_weights}
    groups = sharding._partition(model, todo, min_size=0)
    # `tied` tracks `embed` (both its weights are in two top-level layers): they stay with the root
    assert [(layer.name, [v.path for v in variables]) for layer, variables in groups] == [
        ("head", ["head/kernel", "head/bias"]),
    ]
    grouped = {id(v) for _, variables in groups for v in variables}
    assert sorted(v.path for v in model.trainable_weights if id(v) not in grouped) == ["embed/bias", "embed/kernel"]

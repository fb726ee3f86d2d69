"""Argument errors of the directory datasets, and training a model on one."""

import os
import wave

import numpy as np
import pytest

from capas import keras

pytest.importorskip("PIL")


@pytest.fixture
def image_root(tmp_path):
    for k, name in enumerate(["cats", "dogs"]):
        os.makedirs(tmp_path / name)
        for i in range(3):
            keras.utils.save_img(str(tmp_path / name / f"{i}.png"), np.full((6, 6, 3), 40.0 * (k + i)), scale=False)
    return str(tmp_path)


def test_validation_split_with_shuffle_needs_a_seed(image_root):
    with pytest.raises(ValueError, match="provide a `seed`"):
        keras.utils.image_dataset_from_directory(image_root, validation_split=0.2, subset="training")


def test_subset_without_validation_split_is_refused(image_root):
    with pytest.raises(ValueError, match="`validation_split` must be set"):
        keras.utils.image_dataset_from_directory(image_root, subset="training")


def test_binary_needs_two_classes(tmp_path, image_root):
    os.makedirs(os.path.join(image_root, "fish"))
    with pytest.raises(ValueError, match="exactly 2 class_names.*fish"):
        keras.utils.image_dataset_from_directory(image_root, label_mode="binary", verbose=False)


def test_unknown_class_names_list_the_subdirectories(image_root):
    with pytest.raises(ValueError, match=r"Expected: \['cats', 'dogs'\]"):
        keras.utils.image_dataset_from_directory(image_root, class_names=["cats", "horses"])


def test_empty_directory_names_the_formats(tmp_path):
    os.makedirs(tmp_path / "a")
    with pytest.raises(ValueError, match=r"No images found in directory .*\.png"):
        keras.utils.image_dataset_from_directory(str(tmp_path), verbose=False)


def test_unsupported_interpolation_lists_the_supported_ones(image_root):
    with pytest.raises(ValueError, match="lanczos3.*bilinear"):
        keras.utils.image_dataset_from_directory(image_root, interpolation="lanczos3")


def test_ragged_audio_is_refused_with_the_alternative(tmp_path):
    os.makedirs(tmp_path / "a")
    with wave.open(str(tmp_path / "a" / "x.wav"), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(100)
        f.writeframes(bytes(4))
    with pytest.raises(ValueError, match="output_sequence_length"):
        keras.utils.audio_dataset_from_directory(str(tmp_path), ragged=True)
    with pytest.raises(ValueError, match="does not resample"):
        next(iter(keras.utils.audio_dataset_from_directory(str(tmp_path), sampling_rate=16000, verbose=False)))


def test_found_message_is_printed(image_root, capsys):
    keras.utils.image_dataset_from_directory(image_root, validation_split=0.5, subset="validation", seed=1)
    assert capsys.readouterr().out.splitlines() == [
        "Found 6 files belonging to 2 classes.",
        "Using 3 files for validation.",
    ]


def test_fit_on_an_image_dataset(image_root):
    train, val = keras.utils.image_dataset_from_directory(
        image_root, image_size=(4, 4), batch_size=2, seed=3, validation_split=0.34, subset="both", verbose=False
    )
    model = keras.Sequential(
        [keras.Input((4, 4, 3)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten(), keras.layers.Dense(2)]
    )
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert sorted(train.file_paths + val.file_paths) == sorted(
        os.path.join(image_root, c, f"{i}.png") for c in ("cats", "dogs") for i in range(3)
    )


def test_timeseries_arguments_are_checked():
    with pytest.raises(ValueError, match="sequence_stride"):
        keras.utils.timeseries_dataset_from_array(np.arange(5), None, 2, sequence_stride=0)


def test_split_dataset_sizes_are_checked():
    with pytest.raises(ValueError, match="At least one"):
        keras.utils.split_dataset(np.arange(4))
    with pytest.raises(ValueError, match="left_size"):
        keras.utils.split_dataset(np.arange(4), left_size=4)


def test_split_dataset_of_a_dataset_and_a_dict():
    ds = keras.utils.split_dataset(
        keras.utils.timeseries_dataset_from_array(np.arange(6), None, 1, batch_size=None), left_size=2
    )
    assert [int(v) for v in ds[0]] == [0, 1]
    left, right = keras.utils.split_dataset({"a": np.arange(4), "b": np.arange(4) * 10}, right_size=0.25)
    assert [int(e["b"]) for e in right] == [30]

"""A corpus of hostile and broken model files, generated at test time.

Each builder writes one file under a folder and returns `(path, how)`, where
`how` is the API that must refuse it ('load_model' or 'load_weights'). The
attacks try to leave a trace (a file named `PWNED` in the folder, or the
`CANARY` flag set by a registered function) so the tests can prove nothing ran.
"""

import base64
import io
import json
import marshal
import os
import warnings
import zipfile

import h5py
import numpy as np

from capas import keras as ck

CANARY = {"called": False}
PWNED = "PWNED"


@ck.saving.register_keras_serializable(package="hostile")
def set_canary(*args, **kwargs):
    """A registered function: loading must never *call* it."""
    CANARY["called"] = True
    return None


def reference_members(folder):
    """The members of a valid, small, compiled capas `.keras` file."""
    inputs = ck.Input((3,))
    outputs = ck.layers.Dense(2, name="head")(ck.layers.Dense(4, activation="relu", name="hidden")(inputs))
    model = ck.Model(inputs, outputs, name="victim")
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    path = os.path.join(folder, "reference.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}, model


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_config(folder, name, mutate):
    members, _ = reference_members(folder)
    config = json.loads(members["config.json"])
    mutate(config, folder)
    members["config.json"] = json.dumps(config).encode()
    return write_zip(os.path.join(folder, name), members), "load_model"


def _pwn_command(folder):
    return ["touch", os.path.join(folder, PWNED)]


def lambda_code_config(folder):
    """A Keras 3 style Lambda whose bytecode would create PWNED when run."""
    target = os.path.join(folder, PWNED)
    code = compile(f"lambda x: (open({target!r}, 'w').close(), x)[1]", "<hostile>", "eval").co_consts[0]
    blob = base64.b64encode(marshal.dumps(code)).decode("ascii")
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "registered_name": None,
        "name": "evil",
        "config": {
            "name": "evil",
            "function": {"class_name": "__lambda__", "config": {"code": blob, "defaults": None, "closure": None}},
            "arguments": {},
        },
        "inbound_nodes": [],
    }


def _insert_layer(config, layer):
    config["config"]["layers"].insert(1, layer)


def config_size_bomb(folder):
    """A tiny config declaring a 32 GB kernel; the weights file holds a few hundred bytes."""

    def mutate(config, f):
        config["config"]["layers"][-1]["config"]["units"] = 2**31

    return _with_config(folder, "size_bomb.keras", mutate)


# --------------------------------------------------------------- code attacks
def lambda_bytecode(folder):
    return _with_config(folder, "lambda.keras", lambda c, f: _insert_layer(c, lambda_code_config(f)))


def lambda_bytecode_safe_mode_off_in_file(folder):
    def mutate(config, f):
        _insert_layer(config, lambda_code_config(f))
        config["safe_mode"] = False
        config["config"]["safe_mode"] = False
        config["compile_config"]["safe_mode"] = False
        config["config"]["layers"][1]["config"]["safe_mode"] = False

    path, how = _with_config(folder, "lambda_safe_off.keras", mutate)
    members = _read_zip(path)
    members["metadata.json"] = json.dumps({"keras_version": "3.15.1", "safe_mode": False}).encode()
    return write_zip(path, members), how


def keras2_lambda(folder):
    def mutate(config, f):
        layer = lambda_code_config(f)
        layer["config"]["function"] = ["AAAA", None, None]
        layer["config"]["function_type"] = "lambda"
        _insert_layer(config, layer)

    return _with_config(folder, "keras2_lambda.keras", mutate)


class _Payload:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


def pickled_torch_module(folder):
    """A TorchModuleWrapper whose pickled 'module' runs `touch PWNED` when unpickled."""
    import pickle

    blob = base64.b64encode(pickle.dumps(_Payload(os.path.join(folder, PWNED)))).decode("ascii")

    def mutate(config, f):
        _insert_layer(
            config,
            {
                "module": "keras.layers",
                "class_name": "TorchModuleWrapper",
                "registered_name": None,
                "name": "wrapped",
                "config": {"name": "wrapped", "module": blob},
                "inbound_nodes": [],
            },
        )

    return _with_config(folder, "pickled_module.keras", mutate)


def os_system_function(folder):
    def mutate(config, f):
        config["config"]["layers"][1]["config"]["activation"] = {
            "module": "os",
            "class_name": "function",
            "config": "system",
            "registered_name": "system",
        }

    return _with_config(folder, "os_system.keras", mutate)


def builtins_eval_model(folder):
    def mutate(config, f):
        config.clear()
        config.update(
            {
                "module": "builtins",
                "class_name": "eval",
                "registered_name": "eval",
                "config": {"source": f"open({os.path.join(f, PWNED)!r}, 'w')"},
            }
        )

    return _with_config(folder, "builtins_eval.keras", mutate)


def subprocess_popen_layer(folder):
    def mutate(config, f):
        config["config"]["layers"][1].update(
            {
                "module": "subprocess",
                "class_name": "Popen",
                "registered_name": "Popen",
                "config": {"args": _pwn_command(f)},
            }
        )

    return _with_config(folder, "popen.keras", mutate)


def registered_function_as_class(folder):
    def mutate(config, f):
        config["config"]["layers"][1].update(
            {
                "module": "hostile",
                "class_name": "set_canary",
                "registered_name": "hostile>set_canary",
                "config": {"x": 1},
            }
        )

    return _with_config(folder, "registered_fn.keras", mutate)


def legacy_h5_with_lambda(folder):
    path = os.path.join(folder, "legacy.h5")
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [lambda_code_config(folder)]}}
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["keras_version"] = "2.15.0"
        f.create_group("model_weights")
    return path, "load_model"


# ----------------------------------------------------------- HDF5 attacks
def _weights_file(folder, name, tamper):
    """A `.weights.h5` in Keras 3 layout for `reference_members`' model, then `tamper(h5file)`."""
    _, model = reference_members(folder)
    path = os.path.join(folder, name)
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        tamper(f, folder)
    return path, "load_weights"


def _secret(folder):
    secret = os.path.join(folder, "secret.h5")
    with h5py.File(secret, "w") as f:
        f["data"] = np.arange(8, dtype="float32")
    return secret


def external_link(folder):
    def tamper(f, d):
        secret = _secret(d)
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = h5py.ExternalLink(secret, "/data")

    return _weights_file(folder, "external_link.weights.h5", tamper)


def soft_link(folder):
    def tamper(f, d):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense_1/vars/1")

    return _weights_file(folder, "soft_link.weights.h5", tamper)


def external_storage(folder):
    def tamper(f, d):
        raw = os.path.join(d, "raw.bin")
        np.zeros(4, "float32").tofile(raw)
        del f["layers/dense/vars/1"]
        f.create_dataset("layers/dense/vars/1", shape=(4,), dtype="float32", external=[(raw, 0, 16)])

    return _weights_file(folder, "external_storage.weights.h5", tamper)


def virtual_dataset(folder):
    def tamper(f, d):
        secret = _secret(d)
        layout = h5py.VirtualLayout(shape=(4,), dtype="float32")
        layout[:] = h5py.VirtualSource(secret, "data", shape=(8,))[:4]
        del f["layers/dense/vars/1"]
        f.create_virtual_dataset("layers/dense/vars/1", layout)

    return _weights_file(folder, "virtual.weights.h5", tamper)


def shape_bomb(folder):
    def tamper(f, d):
        f.create_dataset("layers/dense/vars/2", shape=(1 << 40,), dtype="float32", chunks=(1024,))

    return _weights_file(folder, "shape_bomb.weights.h5", tamper)


def shape_bomb_in_place(folder):
    def tamper(f, d):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(1 << 20, 1 << 20), dtype="float64", chunks=(64, 64))

    return _weights_file(folder, "shape_bomb2.weights.h5", tamper)


def string_dataset(folder):
    def tamper(f, d):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = np.array([b"os.system"], dtype=object).astype(h5py.string_dtype())

    return _weights_file(folder, "strings.weights.h5", tamper)


def external_link_in_archive(folder):
    members, model = reference_members(folder)
    secret = _secret(folder)
    buffer = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buffer, "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(secret, "/data")
    members["model.weights.h5"] = buffer.getvalue()
    return write_zip(os.path.join(folder, "archive_link.keras"), members), "load_model"


# ------------------------------------------------------------ zip attacks
def _read_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_bomb(folder):
    members, _ = reference_members(folder)
    members["config.json"] = b" " * (20 * 1024 * 1024) + members["config.json"]
    return write_zip(os.path.join(folder, "zip_bomb.keras"), members, zipfile.ZIP_DEFLATED), "load_model"


def zip_lying_size(folder):
    """config.json declares 10 bytes (in both headers) but inflates to megabytes."""
    members, _ = reference_members(folder)
    members["config.json"] = b" " * (4 * 1024 * 1024)
    path = write_zip(os.path.join(folder, "lying.keras"), members, zipfile.ZIP_DEFLATED)
    data = bytearray(open(path, "rb").read())
    name = b"config.json"
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = (10).to_bytes(4, "little")
            start += 4
    open(path, "wb").write(bytes(data))
    return path, "load_model"


def zip_traversal(folder):
    members, _ = reference_members(folder)
    members["../escape.json"] = b"{}"
    return write_zip(os.path.join(folder, "traversal.keras"), members), "load_model"


def zip_absolute(folder):
    members, _ = reference_members(folder)
    members["/tmp/config.json"] = members.pop("config.json")
    return write_zip(os.path.join(folder, "absolute.keras"), members), "load_model"


def zip_extra_member(folder):
    members, _ = reference_members(folder)
    members["payload.py"] = b"import os; os.system('touch PWNED')"
    return write_zip(os.path.join(folder, "extra.keras"), members), "load_model"


def zip_duplicate_member(folder):
    members, _ = reference_members(folder)
    path = os.path.join(folder, "duplicate.keras")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore")
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("config.json", b'{"class_name": "Sequential", "config": {"layers": []}}')
    return path, "load_model"


def json_depth_bomb(folder):
    members, _ = reference_members(folder)
    members["config.json"] = b"[" * 200_000 + b"]" * 200_000
    return write_zip(os.path.join(folder, "deep.keras"), members), "load_model"


def json_not_object(folder):
    members, _ = reference_members(folder)
    members["config.json"] = b"[1, 2, 3]"
    return write_zip(os.path.join(folder, "list.keras"), members), "load_model"


def json_invalid(folder):
    members, _ = reference_members(folder)
    members["config.json"] = members["config.json"][: len(members["config.json"]) // 2]
    return write_zip(os.path.join(folder, "half_json.keras"), members), "load_model"


def json_not_utf8(folder):
    members, _ = reference_members(folder)
    members["metadata.json"] = b"\xff\xfe\x00{"
    return write_zip(os.path.join(folder, "bad_utf8.keras"), members), "load_model"


def weights_mismatch(folder):
    def mutate(config, f):
        config["config"]["layers"][-1]["config"]["units"] = 3

    return _with_config(folder, "mismatch.keras", mutate)


# -------------------------------------------------------- truncation, noise
def truncated_archive(folder, fraction):
    members, _ = reference_members(folder)
    path = write_zip(os.path.join(folder, f"truncated_{fraction}.keras"), members)
    data = open(path, "rb").read()
    open(path, "wb").write(data[: int(len(data) * fraction)])
    return path, "load_model"


def corrupted_archive(folder, offset_fraction):
    members, _ = reference_members(folder)
    path = write_zip(os.path.join(folder, f"corrupted_{offset_fraction}.keras"), members)
    data = bytearray(open(path, "rb").read())
    start = int(len(data) * offset_fraction)
    for i in range(start, min(start + 16, len(data))):
        data[i] ^= 0xA5
    open(path, "wb").write(bytes(data))
    return path, "load_model"


def truncated_weights(folder, fraction):
    def tamper(f, d):
        pass

    path, how = _weights_file(folder, f"trunc_{fraction}.weights.h5", tamper)
    data = open(path, "rb").read()
    open(path, "wb").write(data[: int(len(data) * fraction)])
    return path, how


def empty_file(folder):
    path = os.path.join(folder, "empty.keras")
    open(path, "wb").close()
    return path, "load_model"


def keras2_weights_layout(folder):
    path = os.path.join(folder, "keras2.h5")
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [b"dense"]
        f.create_dataset("dense/dense/kernel:0", data=np.zeros((3, 4), "float32"))
    return path, "load_weights"


CASES = {
    "lambda_bytecode": lambda_bytecode,
    "lambda_bytecode_safe_mode_off_in_file": lambda_bytecode_safe_mode_off_in_file,
    "keras2_lambda": keras2_lambda,
    "pickled_torch_module": pickled_torch_module,
    "os_system_function": os_system_function,
    "builtins_eval_model": builtins_eval_model,
    "subprocess_popen_layer": subprocess_popen_layer,
    "registered_function_as_class": registered_function_as_class,
    "legacy_h5_with_lambda": legacy_h5_with_lambda,
    "external_link": external_link,
    "soft_link": soft_link,
    "external_storage": external_storage,
    "virtual_dataset": virtual_dataset,
    "shape_bomb": shape_bomb,
    "shape_bomb_in_place": shape_bomb_in_place,
    "string_dataset": string_dataset,
    "external_link_in_archive": external_link_in_archive,
    "zip_bomb": zip_bomb,
    "zip_lying_size": zip_lying_size,
    "zip_traversal": zip_traversal,
    "zip_absolute": zip_absolute,
    "zip_extra_member": zip_extra_member,
    "zip_duplicate_member": zip_duplicate_member,
    "json_depth_bomb": json_depth_bomb,
    "json_not_object": json_not_object,
    "json_invalid": json_invalid,
    "json_not_utf8": json_not_utf8,
    "weights_mismatch": weights_mismatch,
    "config_size_bomb": config_size_bomb,
    "truncated_archive_10": lambda d: truncated_archive(d, 0.1),
    "truncated_archive_50": lambda d: truncated_archive(d, 0.5),
    "truncated_archive_99": lambda d: truncated_archive(d, 0.99),
    "corrupted_archive_2": lambda d: corrupted_archive(d, 0.02),
    "corrupted_archive_30": lambda d: corrupted_archive(d, 0.3),
    "corrupted_archive_70": lambda d: corrupted_archive(d, 0.7),
    "corrupted_archive_95": lambda d: corrupted_archive(d, 0.95),
    "corrupted_archive_999": lambda d: corrupted_archive(d, 0.999),
    "truncated_weights_20": lambda d: truncated_weights(d, 0.2),
    "truncated_weights_80": lambda d: truncated_weights(d, 0.8),
    "empty_file": empty_file,
    "keras2_weights_layout": keras2_weights_layout,
}

"""`keras.dtype_policies.get/serialize/deserialize`: a policy from a name, a dict or a policy."""

from capas.keras.layers._dtype_policy import DTypePolicy, FloatDTypePolicy, global_policy, serialize_policy

_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}


def serialize(dtype_policy):
    """The Keras 3 config dict of a policy.

    Example:

    >>> from capas import keras
    >>> keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(
            f"keras.dtype_policies.serialize: expected a DTypePolicy, received {type(dtype_policy).__name__} "
            f"({dtype_policy!r}). Build one with keras.DTypePolicy('float32')."
        )
    return serialize_policy(dtype_policy)


def deserialize(config, custom_objects=None):
    """The policy a `serialize` dict describes (`custom_objects` may name a policy subclass).

    Example:

    >>> from capas import keras
    >>> keras.dtype_policies.deserialize({"class_name": "DTypePolicy", "config": {"name": "bfloat16"}})
    <DTypePolicy "bfloat16">
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "keras.dtype_policies.deserialize: expected a dict with 'class_name' and 'config' "
            f"(as serialize writes), received {config!r}."
        )
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"keras.dtype_policies.deserialize: unknown policy class {name!r}; known: {sorted(_CLASSES)} "
            "(quantized policies are not provided by capas). Pass custom_objects={name: cls} for your own."
        )
    return cls.from_config(config.get("config") or {})


def get(identifier):
    """A `DTypePolicy` from `None` (the global policy), a name, a config dict or a policy.

    Example:

    >>> from capas import keras
    >>> keras.dtype_policies.get("mixed_bfloat16").compute_dtype
    'bfloat16'
    """
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    try:
        return DTypePolicy(identifier)
    except (ValueError, TypeError, KeyError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of DTypePolicy. "
            f"Received: dtype={identifier}"
        ) from None

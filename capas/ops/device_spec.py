"""`tf.DeviceSpec`: TF's device names (`/job:worker/replica:0/task:1/device:GPU:0`) parsed and built."""

_FIELDS = ("job", "replica", "task", "device_type", "device_index")


class DeviceSpec:
    """A (partial) device name: job, replica, task, device type and index.

    >>> import capas as tf
    >>> spec = tf.DeviceSpec.from_string("/job:worker/task:1/gpu:0")
    >>> spec.to_string(), spec.device_type, spec.task
    ('/job:worker/task:1/device:GPU:0', 'GPU', 1)
    """

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        self._device_type = None if device_type is None else _upper_device(str(device_type))
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec):
        """Parse `'/job:ps/replica:0/task:1/device:GPU:0'`, `'/cpu:0'`, `'GPU:1'`, ... (`*` index: any)."""
        fields = {}
        parts = [p for p in str(spec).split("/") if p]
        i = 0
        while i < len(parts):
            key, _, value = parts[i].partition(":")
            low = key.lower()
            if low in ("job", "replica", "task"):
                fields[low] = value if low == "job" else int(value)
            elif low == "device":
                kind, _, index = value.partition(":")
                fields["device_type"] = kind
                if index and index != "*":
                    fields["device_index"] = int(index)
            elif low in ("cpu", "gpu", "tpu") or key.isupper():
                fields["device_type"] = key
                if value and value != "*":
                    fields["device_index"] = int(value)
            else:
                raise ValueError(f"Unknown attribute '{key}' is encountered while parsing the device spec: '{spec}'.")
            i += 1
        return cls(**fields)

    def to_string(self):
        """The name in TF's canonical form (`/job:.../replica:.../task:.../device:TYPE:INDEX`)."""
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:
            index = "*" if self._device_index is None else self._device_index
            out += f"/device:{self._device_type}:{index}"
        return out

    def replace(self, **kwargs):
        """A copy with the given fields changed."""
        fields = {name: getattr(self, name) for name in _FIELDS}
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev):
        """A copy where the fields `dev` sets override this spec's."""
        fields = {name: getattr(self, name) for name in _FIELDS}
        fields.update({name: getattr(dev, name) for name in _FIELDS if getattr(dev, name) is not None})
        return DeviceSpec(**fields)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return f"<DeviceSpec {self.to_string()!r}>"


def _upper_device(kind):
    return kind.upper() if kind.lower() in ("cpu", "gpu", "tpu") else kind

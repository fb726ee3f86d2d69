"""Reading a `.keras` archive as data: three known members, bounded sizes, in memory.

The archive is opened once, from a file object the loader opened itself, and
only `config.json`, `metadata.json` and `model.weights.h5` are read, into
memory (nothing is extracted to disk). Before a byte is decompressed the
central directory is checked: member names (no absolute or `..` paths, no
duplicates, no unknown members), compression methods (stored or deflate),
encryption, declared sizes against the archive size, and decompression
bombs: a member is refused when it inflates more than 100x *and* past a size
floor (4 GiB for the weights, as Keras; 16 MiB for the JSON members), so a
legitimate file re-zipped with deflate (zero weights inflate ~1000x) loads. Reads are capped at the declared size, so a lying header cannot make
the loader allocate more.
"""

import posixpath
import zipfile

from capas.keras.saving._errors import InvalidModelFileError

CONFIG_NAME = "config.json"
METADATA_NAME = "metadata.json"
WEIGHTS_NAME = "model.weights.h5"
MEMBERS = (CONFIG_NAME, METADATA_NAME, WEIGHTS_NAME)
ASSETS_PREFIX = "assets/"  # layers' files (a lookup layer's vocabulary.txt), as Keras 3's save_assets writes them

MAX_JSON_BYTES = 64 * 1024 * 1024  # a config.json larger than this is refused
MAX_COMPRESSION_RATIO = 100
# A member inflating past MAX_COMPRESSION_RATIO is a bomb only when it is also larger than this.
BOMB_FLOOR_BYTES = {WEIGHTS_NAME: 4 * 1024**3, CONFIG_NAME: 16 * 1024**2, METADATA_NAME: 16 * 1024**2}
MAX_MEMBERS = 1024  # the three members and layers' assets (a vocabulary.txt per lookup layer)


def _check_name(name, filepath):
    normalized = name.replace("\\", "/")
    if (
        normalized.startswith("/")
        or (len(normalized) > 1 and normalized[1] == ":")
        or ".." in normalized.split("/")
        or "\x00" in normalized
    ):
        raise InvalidModelFileError(filepath, f"the archive member '{name}' points outside the archive.")
    return posixpath.normpath(normalized)


def read_members(fileobj, filepath, archive_size):
    """The bytes of the members of a `.keras` archive: `{name: bytes}` (weights may be absent; `assets/...` files)."""
    try:
        archive = zipfile.ZipFile(fileobj, "r")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise InvalidModelFileError(filepath, f"not a valid .keras (zip) archive: {exc}.") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InvalidModelFileError(
                filepath,
                f"the archive has {len(infos)} members; a .keras file has 3 "
                f"and its layers' assets, {MAX_MEMBERS} at most.",
            )
        chosen = {}
        for info in infos:
            name = _check_name(info.filename, filepath)
            if info.is_dir() and name in ("assets", "."):
                continue
            if info.is_dir() and name.startswith(ASSETS_PREFIX):
                continue
            if name not in MEMBERS and not name.startswith(ASSETS_PREFIX):
                raise InvalidModelFileError(
                    filepath,
                    f"unexpected archive member '{info.filename}'; a .keras file holds only {list(MEMBERS)} "
                    f"and files under '{ASSETS_PREFIX}'.",
                )
            if name in chosen:
                raise InvalidModelFileError(filepath, f"the archive member '{name}' appears twice.")
            chosen[name] = info
        for name in (CONFIG_NAME, METADATA_NAME):
            if name not in chosen:
                raise InvalidModelFileError(filepath, f"the archive has no '{name}'; is it a .keras file?")
        return {name: _read(archive, info, filepath, archive_size) for name, info in chosen.items()}


def _bomb_floor(name):
    return BOMB_FLOOR_BYTES.get(posixpath.normpath(name.replace("\\", "/")), BOMB_FLOOR_BYTES[CONFIG_NAME])


def _read(archive, info, filepath, archive_size):
    name = info.filename
    if info.flag_bits & 0x1:
        raise InvalidModelFileError(filepath, f"the archive member '{name}' is encrypted.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InvalidModelFileError(
            filepath,
            f"the archive member '{name}' uses compression method {info.compress_type}; only stored "
            "and deflate are accepted.",
        )
    size, packed = info.file_size, info.compress_size
    limit = MAX_JSON_BYTES if name != WEIGHTS_NAME else None
    if limit is not None and size > limit:
        raise InvalidModelFileError(filepath, f"'{name}' declares {size} bytes, over the {limit}-byte limit.")
    if packed > archive_size or info.header_offset > archive_size:
        raise InvalidModelFileError(
            filepath, f"'{name}' claims {packed} bytes in a {archive_size}-byte archive; the file is truncated."
        )
    if info.compress_type == zipfile.ZIP_STORED and size != packed:
        raise InvalidModelFileError(
            filepath, f"'{name}' is stored uncompressed but declares {size} bytes for {packed} stored bytes."
        )
    if size > MAX_COMPRESSION_RATIO * max(packed, 1) and size > _bomb_floor(name):
        raise InvalidModelFileError(
            filepath,
            f"'{name}' declares {size} bytes from {packed} compressed bytes, a "
            f"ratio over {MAX_COMPRESSION_RATIO} and over "
            f"{_bomb_floor(name)} bytes (a zip bomb).",
        )
    try:
        with archive.open(info) as member:
            data = member.read(size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise InvalidModelFileError(filepath, f"'{name}' cannot be read from the archive ({exc}).") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends
        raise InvalidModelFileError(filepath, f"'{name}' is corrupted ({type(exc).__name__}: {exc}).") from None
    if len(data) != size:
        raise InvalidModelFileError(filepath, f"'{name}' holds {len(data)} bytes but declares {size}.")
    return data


def write_archive(fileobj, members):
    """Write `{name: bytes}` as an uncompressed zip (Keras 3 writes .keras files stored)."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in (METADATA_NAME, CONFIG_NAME, WEIGHTS_NAME):
            if name in members:
                archive.writestr(name, members[name])
        for name in sorted(n for n in members if n.startswith(ASSETS_PREFIX)):
            archive.writestr(name, members[name])

"""Global configuration: which backend, floatx, epsilon, image data format.

The backend is chosen once, at import time: ``BRICKWORK_BACKEND``, else
``KERAS_BACKEND``, else the ``"backend"`` key of ``~/.brickwork/brickwork.json``,
else ``"torch"``.
"""

from __future__ import annotations

import json
import os

VALID_BACKENDS = ("torch", "jax", "numpy", "tensorflow")
_VALID_FORMATS = ("channels_last", "channels_first")
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def brickwork_home() -> str:
    """The folder of brickwork's user files (``BRICKWORK_HOME`` or ``~/.brickwork``)."""
    return os.path.expanduser(os.environ.get("BRICKWORK_HOME", os.path.join("~", ".brickwork")))


def _read_config_file() -> dict:
    path = os.path.join(brickwork_home(), "brickwork.json")
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            config = json.load(f)
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def _resolve_backend() -> str:
    config = _read_config_file()
    for source, name in (
        ("BRICKWORK_BACKEND", os.environ.get("BRICKWORK_BACKEND")),
        ("KERAS_BACKEND", os.environ.get("KERAS_BACKEND")),
        ("~/.brickwork/brickwork.json", config.get("backend")),
    ):
        if name:
            name = name.strip().lower()
            if name not in VALID_BACKENDS:
                raise ValueError(
                    f"Unknown backend {name!r} (from {source}). "
                    f"Valid backends are: {', '.join(VALID_BACKENDS)}."
                )
            return name
    return "torch"


def _apply_file_settings() -> None:
    global _FLOATX, _EPSILON, _IMAGE_DATA_FORMAT
    config = _read_config_file()
    if config.get("floatx") in _VALID_FLOATX:
        _FLOATX = config["floatx"]
    if isinstance(config.get("epsilon"), (int, float)):
        _EPSILON = float(config["epsilon"])
    if config.get("image_data_format") in _VALID_FORMATS:
        _IMAGE_DATA_FORMAT = config["image_data_format"]


_BACKEND = _resolve_backend()
_apply_file_settings()


def backend() -> str:
    """The name of the active backend: ``"torch"``, ``"jax"`` or ``"numpy"``.

        Returns:
            The engine's name, a string; set by ``KERAS_BACKEND`` / ``BRICKWORK_BACKEND`` before import.

        Example:
        >>> keras.config.backend()   # 'torch'
    """
    return _BACKEND


def floatx() -> str:
    """The default float dtype, ``"float32"`` unless changed.

        Returns:
            The dtype name, a string: the dtype of new weights and of float results of integer inputs.

        Example:
        >>> keras.config.floatx()   # 'float32'
    """
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float dtype (``"float16"``, ``"bfloat16"``, ``"float32"``, ``"float64"``).

        Args:
            value: the dtype name; layers created afterwards make their weights in it.

        Returns:
            ``None``; ``keras.config.floatx()`` gives the new value.

        Example:
        >>> keras.config.set_floatx("float64")
        >>> ops.ones((2,)).dtype   # float64
    """
    global _FLOATX
    value = str(value)
    if value not in _VALID_FLOATX:
        raise ValueError(f"set_floatx: unknown floatx {value!r}; expected one of {_VALID_FLOATX}.")
    _FLOATX = value


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (default ``1e-7``).

        Returns:
            The small float added to denominators and logarithms' arguments to keep them finite.

        Example:
        >>> keras.config.epsilon()   # 1e-07
    """
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used in numeric expressions.

        Args:
            value: the new epsilon, a small positive float.

        Returns:
            ``None``; ``keras.config.epsilon()`` gives the new value.

        Example:
        >>> keras.config.set_epsilon(1e-5)
        >>> keras.config.epsilon()   # 1e-05
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """``"channels_last"`` (default) or ``"channels_first"``.

        Returns:
            The layout image layers and ops assume when given no ``data_format``: ``"channels_last"``
                for ``(batch, height, width, channels)``, ``"channels_first"`` for ``(batch, channels, height, width)``.

        Example:
        >>> keras.config.image_data_format()   # 'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Set the default image data format.

        Args:
            data_format: ``"channels_last"`` or ``"channels_first"``.

        Returns:
            ``None``; image layers created afterwards without a ``data_format`` use the new one.

        Example:
        >>> keras.config.set_image_data_format("channels_first")
        >>> keras.layers.Conv2D(4, 3).data_format   # 'channels_first'
    """
    global _IMAGE_DATA_FORMAT
    value = str(data_format).lower()
    if value not in _VALID_FORMATS:
        raise ValueError(
            f"set_image_data_format: expected one of {_VALID_FORMATS}, received {data_format!r}."
        )
    _IMAGE_DATA_FORMAT = value


def standardize_data_format(data_format: str | None) -> str:
    """Return ``data_format`` checked, or the global default when ``None``.

        Args:
            data_format: ``"channels_last"``, ``"channels_first"`` (any case) or ``None``.

        Returns:
            ``"channels_last"`` or ``"channels_first"``; a ``ValueError`` for anything else.

        Example:
        >>> keras.backend.standardize_data_format("Channels_First")   # 'channels_first'
    """
    if data_format is None:
        return _IMAGE_DATA_FORMAT
    value = str(data_format).lower()
    if value not in _VALID_FORMATS:
        raise ValueError(f"data_format must be one of {_VALID_FORMATS}, received {data_format!r}.")
    return value


# Flash attention: here, where Keras keeps it (``keras.src.backend.config``); ``brickwork.config`` re-exports it.
_FLASH_ATTENTION: bool | None = None  # None: use it where the inputs allow, as Keras's default


def enable_flash_attention() -> None:
    """Let attention layers use a fused (flash) kernel where the inputs allow (the default).

    Returns:
        ``None``.

    Example:
        keras.config.enable_flash_attention()
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = None


def disable_flash_attention() -> None:
    """Keep attention layers on the plain softmax(QK^T)V computation.

    Returns:
        ``None``.

    Example:
        keras.config.disable_flash_attention()
        keras.config.is_flash_attention_enabled()  # False
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled() -> bool | None:
    """``False`` once disabled; otherwise ``None`` (as Keras: use it where the inputs allow).

    Returns:
        ``False`` after ``disable_flash_attention()``; ``None`` otherwise (``enable_flash_attention()``
            included), meaning a fused kernel is used where the inputs allow.

    Example:
        keras.config.is_flash_attention_enabled()  # None
    """
    return _FLASH_ATTENTION


_PUBLIC_CONFIG = ("max_epochs", "set_max_epochs", "max_steps_per_epoch", "set_max_steps_per_epoch", "is_nnx_enabled")


def __getattr__(name: str):
    """The training caps and the NNX switch live in ``brickwork.config``; Keras's code also reads them here."""
    if name in _PUBLIC_CONFIG:
        from brickwork import config as public_config

        return getattr(public_config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The public save/load entry points: what they refuse and what they say."""

import pytest

from brickwork import Input, Model, layers, saving


def _model():
    inputs = Input((3,))
    return Model(inputs, layers.Dense(2)(inputs))


def test_loading_a_missing_keras_file_says_so_and_is_both_error_kinds(tmp_path):
    missing = tmp_path / "absent.keras"
    with pytest.raises(ValueError, match="File not found.*Please ensure the file is an accessible `.keras` zip"):
        saving.load_model(missing)
    with pytest.raises(FileNotFoundError):
        saving.load_model(missing)

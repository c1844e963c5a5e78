"""``brickwork.models``: Model, Sequential and the Functional API."""

from brickwork.models.functional import Functional  # noqa: F401
from brickwork.models.model import Model  # noqa: F401
from brickwork.models.sequential import Sequential  # noqa: F401
from brickwork.models.cloning import clone_model  # noqa: F401,E402
from brickwork.models.model import model_from_json  # noqa: F401,E402
from brickwork.saving.saving_api import load_model, save_model  # noqa: F401,E402

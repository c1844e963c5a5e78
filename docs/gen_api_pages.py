"""Write the API reference pages, ``docs/api/*.md``, from each public namespace's names.

Run by hand after adding or removing a public name, and commit what it writes:

    PYTHONPATH=. python docs/gen_api_pages.py

Each page is one mkdocstrings block (``::: brickwork.<namespace>``) with an explicit ``members`` list,
so that names a namespace re-exports from its own files are documented where users reach them. The
list is the namespace's ``__all__`` when it has one, else its public names from ``dir()``, without
submodules and without names imported from other packages. ``mkdocs.yml``'s nav lists the pages.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import types

import griffe

API_DIR = pathlib.Path(__file__).parent / "api"

# (page file, namespace, title, one-line introduction). Order is the nav order.
PAGES = [
    ("brickwork.md", "brickwork", "brickwork",
     "The top-level names: the model classes, `Input`, `Variable`, the base classes and `alias_keras`."),
    ("layers.md", "brickwork.layers", "layers", "Every public layer, and the `Layer` base class."),
    ("ops.md", "brickwork.ops", "ops",
     ("The op namespace: NumPy-like ops and core ops. The ops of `ops.nn`, `ops.linalg` and `ops.math` "
      "are also reachable as `ops.<name>`; they are documented on their own pages. Each op also exists "
      "as an `Operation` class in its family module (`ops.numpy.Add` for `ops.add`), not listed here.")),
    ("ops_nn.md", "brickwork.ops.nn", "ops.nn", "Neural-network ops: activations, convolutions, pooling, losses."),
    ("ops_image.md", "brickwork.ops.image", "ops.image", "Image ops: resizing, affine transforms, colour spaces."),
    ("ops_linalg.md", "brickwork.ops.linalg", "ops.linalg", "Linear-algebra ops."),
    ("ops_math.md", "brickwork.ops.math", "ops.math", "Math ops outside NumPy's set: segment sums, FFTs, top-k."),
    ("losses.md", "brickwork.losses", "losses", "Loss classes and their function forms."),
    ("metrics.md", "brickwork.metrics", "metrics", "Metric classes and their function forms."),
    ("optimizers.md", "brickwork.optimizers", "optimizers",
     "Optimizers. Learning-rate schedules are on the `optimizers.schedules` page."),
    ("optimizers_schedules.md", "brickwork.optimizers.schedules", "optimizers.schedules",
     "Learning-rate schedules."),
    ("callbacks.md", "brickwork.callbacks", "callbacks", "Callbacks for `fit`, `evaluate` and `predict`."),
    ("activations.md", "brickwork.activations", "activations", "Activation functions."),
    ("initializers.md", "brickwork.initializers", "initializers", "Weight initializers."),
    ("regularizers.md", "brickwork.regularizers", "regularizers", "Weight regularizers."),
    ("constraints.md", "brickwork.constraints", "constraints", "Weight constraints."),
    ("models.md", "brickwork.models", "models", "Model classes, cloning and loading."),
    ("saving.md", "brickwork.saving", "saving", "Saving and loading models and weights; registration."),
    ("utils.md", "brickwork.utils", "utils", "Utilities: data sets from folders, plotting, progress bars, …"),
    ("config.md", "brickwork.config", "config", "Global settings."),
    ("random.md", "brickwork.random", "random", "Random-number ops and `SeedGenerator`."),
    ("tree.md", "brickwork.tree", "tree", "Functions on nested structures."),
    ("backend.md", "brickwork.backend", "backend",
     "The backend namespace: configuration, dtypes, symbolic tensors and the active engine."),
    ("mixed_precision.md", "brickwork.mixed_precision", "mixed_precision", "Mixed-precision policies."),
    ("dtype_policies.md", "brickwork.dtype_policies", "dtype_policies", "Dtype policies, including quantized ones."),
    ("quantizers.md", "brickwork.quantizers", "quantizers", "Quantizers and quantization configurations."),
    ("distribution.md", "brickwork.distribution", "distribution", "Data- and model-parallel distribution."),
    ("export.md", "brickwork.export", "export", "Exporting models for serving."),
    ("applications.md", "brickwork.applications", "applications", "Ready-made image-classification models."),
    ("datasets.md", "brickwork.datasets", "datasets", "Small standard data sets."),
    ("preprocessing.md", "brickwork.preprocessing", "preprocessing",
     "Data-set builders and helpers kept under Keras's `preprocessing` name."),
    ("wrappers.md", "brickwork.wrappers", "wrappers", "scikit-learn wrappers."),
    ("visualization.md", "brickwork.visualization", "visualization", "Drawing images with boxes and masks."),
    ("distillation.md", "brickwork.distillation", "distillation", "Knowledge distillation."),
    ("testing.md", "brickwork.testing", "testing", "Test helpers for layers and models."),
    ("trainers.md", "brickwork.trainers", "trainers",
     "The training loop's public helper: `value_and_grad` for a portable `train_step`."),
]

# Names documented on another page of the same family (the ``ops.nn`` ops are also ``ops.<name>``).
ELSEWHERE = {"brickwork.ops": ("brickwork.ops.nn", "brickwork.ops.linalg", "brickwork.ops.math")}


# Extra mkdocstrings options for a page's main block. A model's saving, quantization and stateless
# methods come from mixin classes; list them so that they show under ``Model`` itself.
PAGE_OPTIONS = {
    "brickwork.models": "      inherited_members: [save, save_weights, load_weights, export, quantize, stateless_call,\n"
                        "        get_state_tree, set_state_tree]\n",
}

# Blocks added after a page's names: ``Model``'s training methods live on ``Trainer``, whose engine
# subclass ``Model`` picks at import, so the source alone does not show them as ``Model``'s.
EXTRA_BLOCKS = {
    "brickwork.models": [("Training methods of `Model`",
                          ("`compile`, `fit`, `evaluate`, `predict` and the other training methods every "
                           "model has (from the `Trainer` class that `Model` inherits)."),
                          "brickwork.trainers.trainer.Trainer")],
}

# What a page says about names that exist only once the engine is loaded.
NOTES = {
    "brickwork.backend": ("The active engine's own functions, bound when brickwork is imported: each engine has "
                          "its own, so they are listed here rather than documented. Most have an op of the same "
                          "name that works on every engine: see [`ops`](ops.md) (`ops.cast`, `ops.cond`, "
                          "`ops.convert_to_tensor`, ...)."),
}


def _is_public_member(module: types.ModuleType, name: str) -> bool:
    if name.startswith("_"):
        return False
    value = getattr(module, name)
    if isinstance(value, types.ModuleType):
        return False
    if module.__name__.startswith("brickwork.ops"):
        # The op functions; not each op's generated ``Operation`` class nor the binding helper.
        return inspect.isfunction(value) and value.__module__.startswith("brickwork.ops") \
            and value.__module__ != "brickwork.ops._dispatch"
    if inspect.isclass(value) or inspect.isfunction(value):
        return (value.__module__ or "").startswith("brickwork")
    # A constant is public unless imported from elsewhere (``from __future__ import annotations``).
    return not (type(value).__module__ or "").startswith("__future__")


def public_names(namespace: str) -> list[str]:
    """The names ``namespace`` exports: its ``__all__``, else its public ``dir()`` without modules."""
    module = importlib.import_module(namespace)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in dir(module) if _is_public_member(module, name)]
    else:  # a subpackage named in ``__all__`` (``optimizers.schedules``) has its own page
        names = [name for name in names if not isinstance(getattr(module, name), types.ModuleType)]
    for other in ELSEWHERE.get(namespace, ()):
        names = [name for name in names if name not in public_names(other)]
    return sorted(names, key=lambda name: (name.lower(), name))


def _static_kind(package: griffe.Module, path: str) -> str | None:
    """The kind of object griffe finds at ``path`` reading the source, or None if it finds nothing."""
    try:
        return package[path.split(".", 1)[1]].kind.value
    except (KeyError, griffe.AliasResolutionError):
        return None


_ENGINE_PACKAGES = ("brickwork.backend.torch.", "brickwork.backend.jax.", "brickwork.backend.numpy.")


def _home(value) -> str:
    """Where ``value`` is defined: ``module.qualname``."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def _engine_bound(value) -> bool:
    """Whether ``value`` is the active engine's own (``backend.cast``, ``Variable``): it differs per engine."""
    return (inspect.isclass(value) or callable(value)) and _home(value).startswith(_ENGINE_PACKAGES)


def _neutral_base(cls: type) -> str | None:
    """The engine-neutral base class in ``brickwork.backend.common`` of an engine's class, if any."""
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("brickwork.backend.common."):
            return _home(base)
    return None


def page_text(package: griffe.Module, namespace: str, title: str, introduction: str) -> str:
    """One page: a ``:::`` block for the names griffe finds in ``namespace``, one for each name it
    finds only where it is defined (loaded lazily, or shadowed by a submodule of the same name), and a
    list of the rest (the engine functions ``backend`` binds at import)."""
    module = importlib.import_module(namespace)
    direct, defined_elsewhere, unresolved = [], [], []
    for name in public_names(namespace):
        value = getattr(module, name)
        kind = _static_kind(package, f"{namespace}.{name}")
        bound = _engine_bound(value)
        if kind not in (None, "module") and not bound:
            direct.append(name)
        elif bound and inspect.isclass(value) and _neutral_base(value):
            defined_elsewhere.append((name, _neutral_base(value)))  # ``Variable``: the engine-neutral class
        elif bound or _static_kind(package, _home(value)) is None:
            unresolved.append(name)
        else:
            defined_elsewhere.append((name, _home(value)))
    members = "\n".join(f"        - {name}" for name in direct)
    text = (
        f"# `{title}`\n\n{introduction}\n\n"
        f"<!-- Written by docs/gen_api_pages.py; run it again rather than editing this page. -->\n\n"
        f"::: {namespace}\n    options:\n{PAGE_OPTIONS.get(namespace, '')}      members:\n{members}\n"
    )
    for heading, text_before, path in EXTRA_BLOCKS.get(namespace, ()):
        text += f"\n## {heading}\n\n{text_before}\n\n::: {path}\n    options:\n      show_root_heading: false\n"
    for name, home in defined_elsewhere:
        text += f"\n::: {home}\n    options:\n      show_root_heading: true\n"
    if unresolved:
        listed = ", ".join(f"`{name}`" for name in unresolved)
        text += f"\n## Engine functions\n\n{NOTES[namespace]}\n\n{listed}.\n"
    return text


def main() -> None:
    API_DIR.mkdir(exist_ok=True)
    lazy_names = griffe.load_extensions(f"{API_DIR.parent / 'griffe_lazy_names.py'}:LazyNames")
    package = griffe.load("brickwork", search_paths=[str(API_DIR.parent.parent)], resolve_aliases=False,
                          extensions=lazy_names)
    total = 0
    for filename, namespace, title, introduction in PAGES:
        (API_DIR / filename).write_text(page_text(package, namespace, title, introduction))
        total += len(public_names(namespace))
    print(f"{len(PAGES)} pages, {total} names")


if __name__ == "__main__":
    main()

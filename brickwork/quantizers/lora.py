"""``LoRA``: low-rank adaptation of a layer's weight, ``weight + (alpha / rank) * (a @ b)``, the weight frozen.

``Dense``, ``EinsumDense``, ``Embedding`` and ``Conv1D/2D/3D`` use it. ``enable_lora(rank)`` adds two float32
variables named after the weight (``lora_kernel_a`` of shape ``weight.shape[:-1] + (rank,)``, for a convolution
the kernel's spatial and input axes, and ``lora_kernel_b`` of ``(rank, weight.shape[-1])``; ``lora_embeddings_a/b``
for ``Embedding``) and freezes the weight, so training updates only the adapter. ``b`` starts at zero, so the
layer's output is unchanged until then.

As in Keras, a weights file never holds the adapter: saving writes the weight with the update merged in (for an
int8/int4 layer: dequantized, merged and quantized again), and loading zeroes the adapter — the file reads the
same into a layer with or without LoRA.

Example:
>>> layer = Dense(16)
>>> layer.build((None, 8))
>>> layer.enable_lora(4)                # trainable: lora_kernel_a (8, 4), lora_kernel_b (4, 16), bias
>>> [w.name for w in layer.trainable_weights]
['bias', 'lora_kernel_a', 'lora_kernel_b']
"""

from __future__ import annotations

from brickwork import initializers, ops


class LoRA:
    """The ``enable_lora`` mixin; a layer names the adapted weight in ``_lora_target`` (stored at ``_<target>``)."""

    _lora_target = "kernel"
    lora_enabled = False
    lora_rank = None
    lora_alpha = None

    def _init_lora(self, lora_rank: int | None, lora_alpha: float | None) -> None:
        """Record the constructor's ``lora_rank``/``lora_alpha``; ``build`` calls ``_build_lora`` after the weights."""
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def _build_lora(self) -> None:
        if self.lora_rank and not self.lora_enabled:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def _lora_weight_shape(self) -> tuple:
        """The shape of the weight the adapter adds to (unpacked, for int4)."""
        return tuple(getattr(self, self._lora_target).shape)

    def enable_lora(self, rank: int, lora_alpha: float | None = None, a_initializer="he_uniform",
                    b_initializer="zeros") -> None:
        """Add the low-rank adapter and freeze the weight.

        Args:
            rank: the inner size of ``a @ b``.
            lora_alpha: the update is scaled by ``lora_alpha / rank`` (default ``rank``: a scale of 1).
            a_initializer, b_initializer: initializers of ``a`` and ``b`` (``b`` zero keeps the output unchanged).
        """
        target = self._lora_target
        if getattr(self, f"{target}_constraint", None):
            what = "embedding" if target == "embeddings" else target
            raise ValueError(f"Lora is incompatible with {what} constraints. In order to enable lora on layer "
                             f"{self.name!r}, remove the `{target}_constraint` argument.")
        if not self.built:
            raise ValueError(f"Cannot enable lora on a layer that isn't yet built: build layer {self.name!r} "
                             "(or call it on data) first.")
        if self.lora_enabled:
            raise ValueError(f"lora is already enabled on layer {self.name!r}. This can only be done once per layer.")
        if getattr(self, "quantization_mode", None) == "gptq":
            raise NotImplementedError("lora is not currently supported with GPTQ quantization.")
        shape = self._lora_weight_shape()
        regularizer = getattr(self, f"{target}_regularizer", None)
        tracker = getattr(self, "_tracker", None)
        if tracker is not None:
            tracker.unlock()  # a built layer adds state on purpose (build may run inside the first call)
        try:
            # float32 whatever the policy: small updates would underflow in float16/bfloat16.
            setattr(self, f"lora_{target}_a", self.add_weight(
                name=f"lora_{target}_a", shape=(*shape[:-1], rank), initializer=initializers.get(a_initializer),
                dtype="float32", regularizer=regularizer))
            setattr(self, f"lora_{target}_b", self.add_weight(
                name=f"lora_{target}_b", shape=(rank, shape[-1]), initializer=initializers.get(b_initializer),
                dtype="float32", regularizer=regularizer))
        finally:
            if tracker is not None:
                tracker.lock()
        getattr(self, "_" + target).trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    @property
    def _lora_variables(self) -> tuple:
        target = self._lora_target
        return getattr(self, f"lora_{target}_a"), getattr(self, f"lora_{target}_b")

    def _lora_delta(self):
        """``(alpha / rank) * (a @ b)``: the update to the weight."""
        a, b = self._lora_variables
        return ops.multiply(ops.matmul(a, b), self.lora_alpha / self.lora_rank)

    def _with_lora(self, weight):
        """``weight`` plus the update, in the compute dtype (``weight`` unchanged without LoRA)."""
        if not self.lora_enabled:
            return weight
        return ops.cast(ops.add(weight, self._lora_delta()), self.compute_dtype)

    def _add_lora_outputs(self, outputs, inputs, contract):
        """``outputs + (alpha / rank) * contract(inputs, a) @ b``: the adapter beside a quantized forward pass,
        which cannot add it to the integer weight."""
        if not self.lora_enabled:
            return outputs
        a, b = self._lora_variables
        update = ops.matmul(contract(inputs, a), b)
        return ops.cast(ops.add(outputs, ops.multiply(update, self.lora_alpha / self.lora_rank)), self.compute_dtype)

    def _reset_lora(self) -> None:
        """Zero the adapter (after loading a weight that has the update merged in)."""
        if self.lora_enabled:
            for variable in self._lora_variables:
                variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    # ------------------------------------------------------------------ saving
    def _has_own_file_layout(self) -> bool:
        """Whether the file's variables differ from the layer's own (``save_own_variables`` writes them here)."""
        return self.lora_enabled

    def _file_variables(self) -> list:
        """``(name, variable)`` in the order a weights file holds them: the layer's own weights but the adapter."""
        from brickwork.saving.weights_store import own_variables

        adapter = {id(variable) for variable in self._lora_variables} if self.lora_enabled else set()
        return [(variable.name, variable) for variable in own_variables(self) if id(variable) not in adapter]

    def _lora_merged_values(self) -> dict:
        """What a file holds instead of the weight while LoRA is enabled: the update merged in."""
        if not self.lora_enabled:
            return {}
        weight = getattr(self, "_" + self._lora_target)
        return {self._lora_target: ops.cast(ops.add(weight, self._lora_delta()), weight.dtype)}

    def save_own_variables(self, store) -> None:
        if not self.built:
            return
        if not self._has_own_file_layout():
            return super().save_own_variables(store)
        merged = self._lora_merged_values()
        for index, (name, variable) in enumerate(self._file_variables()):
            value = merged.get(name)
            store[str(index)] = variable if value is None else value

    def load_own_variables(self, store) -> None:
        if not self.built or not self._has_own_file_layout():
            return super().load_own_variables(store)
        from brickwork.saving.weights_store import load_variables

        load_variables(self, store, [variable for _, variable in self._file_variables()])
        self._reset_lora()

    def _lora_config(self) -> dict:
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank else {}

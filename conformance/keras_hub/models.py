"""The tiny configurations the KerasHub conformance run builds, the same on both sides.

Each entry names a KerasHub class, its keyword arguments and a function making its inputs from a seeded
NumPy generator, so Keras 3 and brickwork see identical inputs without shipping them.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

BATCH = 2
SEQ = 8
VOCAB = 40


@dataclasses.dataclass(frozen=True)
class Spec:
    """One backbone: ``keras_hub.models.<cls>(**kwargs)`` fed ``inputs(rng)``."""

    name: str
    cls: str
    kwargs: dict
    inputs: Callable[[np.random.Generator], object]
    build: Callable | None = None  # when the backbone is assembled from parts (CLIP, SigLIP)


def _tokens(rng: np.random.Generator, length: int = SEQ) -> np.ndarray:
    return rng.integers(1, VOCAB, size=(BATCH, length)).astype("int32")


def _mask(length: int = SEQ) -> np.ndarray:
    mask = np.ones((BATCH, length), "int32")
    mask[1, length - 2:] = 0  # a padded row, so masks matter
    return mask


def _bert_inputs(rng):
    return {"token_ids": _tokens(rng), "segment_ids": np.zeros((BATCH, SEQ), "int32"), "padding_mask": _mask()}


def _lm_inputs(rng):
    return {"token_ids": _tokens(rng), "padding_mask": _mask()}


def _seq2seq_inputs(rng):
    return {"encoder_token_ids": _tokens(rng), "encoder_padding_mask": _mask(),
            "decoder_token_ids": _tokens(rng, 6), "decoder_padding_mask": _mask(6)}


def _images(size: int) -> Callable:
    return lambda rng: rng.uniform(0, 1, size=(BATCH, size, size, 3)).astype("float32")


def _image_text(size: int) -> Callable:
    return lambda rng: {"images": _images(size)(rng), "token_ids": _tokens(rng)}


def _whisper_inputs(rng):
    return {"encoder_features": rng.normal(size=(BATCH, 16, 8)).astype("float32"),
            "decoder_token_ids": _tokens(rng, 6), "decoder_padding_mask": _mask(6)}


_TEXT = dict(vocabulary_size=VOCAB, num_layers=1, num_heads=2, hidden_dim=8, intermediate_dim=16)
_DECODER = dict(vocabulary_size=VOCAB, num_layers=1, num_query_heads=2, num_key_value_heads=1, hidden_dim=8,
                intermediate_dim=16)


def _clip(hub):
    from keras_hub.src.models.clip.clip_text_encoder import CLIPTextEncoder
    from keras_hub.src.models.clip.clip_vision_encoder import CLIPVisionEncoder

    vision = CLIPVisionEncoder(patch_size=4, hidden_dim=8, num_layers=1, num_heads=2, intermediate_dim=16,
                               image_shape=(16, 16, 3))
    text = CLIPTextEncoder(vocabulary_size=VOCAB, embedding_dim=8, hidden_dim=8, num_layers=1, num_heads=2,
                           intermediate_dim=16, max_sequence_length=SEQ)
    return hub.models.CLIPBackbone(vision_encoder=vision, text_encoder=text, projection_dim=8)


def _siglip(hub):
    from keras_hub.src.models.siglip.siglip_text_encoder import SigLIPTextEncoder
    from keras_hub.src.models.siglip.siglip_vision_encoder import SigLIPVisionEncoder

    vision = SigLIPVisionEncoder(patch_size=4, hidden_dim=8, num_layers=1, num_heads=2, intermediate_dim=16,
                                 image_shape=(16, 16, 3))
    text = SigLIPTextEncoder(vocabulary_size=VOCAB, embedding_dim=8, hidden_dim=8, num_layers=1, num_heads=2,
                             intermediate_dim=16, max_sequence_length=SEQ)
    return hub.models.SigLIPBackbone(vision_encoder=vision, text_encoder=text)


SPECS: list[Spec] = [
    Spec("Bert", "BertBackbone", dict(_TEXT, max_sequence_length=SEQ), _bert_inputs),
    Spec("DistilBert", "DistilBertBackbone", dict(_TEXT, max_sequence_length=SEQ),
         lambda rng: {"token_ids": _tokens(rng), "padding_mask": _mask()}),
    Spec("Roberta", "RobertaBackbone", dict(_TEXT, max_sequence_length=SEQ),
         lambda rng: {"token_ids": _tokens(rng), "padding_mask": _mask()}),
    Spec("GPT2", "GPT2Backbone", dict(_TEXT, max_sequence_length=SEQ), _lm_inputs),
    Spec("Gemma", "GemmaBackbone", dict(_DECODER, head_dim=4), _lm_inputs),
    Spec("Llama", "LlamaBackbone", dict(_DECODER), _lm_inputs),
    Spec("Mistral", "MistralBackbone", dict(_DECODER, sliding_window=4), _lm_inputs),
    Spec("T5", "T5Backbone", dict(_TEXT, key_value_dim=4), _seq2seq_inputs),
    Spec("ResNet", "ResNetBackbone",
         dict(input_conv_filters=[64], input_conv_kernel_sizes=[7], stackwise_num_filters=[64, 16],
              stackwise_num_blocks=[1, 1], stackwise_num_strides=[1, 2], block_type="basic_block",
              use_pre_activation=False, image_shape=(16, 16, 3)), _images(16)),
    Spec("ViT", "ViTBackbone",
         dict(image_shape=(16, 16, 3), patch_size=4, num_layers=1, num_heads=2, hidden_dim=8, mlp_dim=16),
         _images(16)),
    Spec("EfficientNet", "EfficientNetBackbone",
         dict(stackwise_kernel_sizes=[3, 3], stackwise_num_repeats=[1, 1], stackwise_input_filters=[8, 8],
              stackwise_output_filters=[8, 16], stackwise_expansion_ratios=[1, 2],
              stackwise_squeeze_and_excite_ratios=[0.0, 0.25], stackwise_strides=[1, 2],
              stackwise_block_types=["fused", "unfused"], stackwise_force_input_filters=[0, 0],
              stackwise_nores_option=[False, False], stackwise_width_coefficients=[1.0, 1.0],
              stackwise_depth_coefficients=[1.0, 1.0], input_shape=(32, 32, 3)),  # num_features: not in its config
         _images(32)),
    Spec("MobileNet", "MobileNetBackbone",
         dict(stackwise_expansion=[[16], [24, 24]], stackwise_num_blocks=[1, 2],
              stackwise_num_filters=[[8], [16, 16]], stackwise_kernel_size=[[3], [5, 5]],
              stackwise_num_strides=[[2], [2, 1]], stackwise_se_ratio=[[None], [0.25, 0.25]],
              stackwise_activation=[["relu"], ["hard_swish", "hard_swish"]],
              stackwise_padding=[[1], [2, 2]], output_num_filters=32, depthwise_filters=8,
              depthwise_stride=2, depthwise_residual=False, last_layer_filter=32, squeeze_and_excite=0.5,
              image_shape=(32, 32, 3), input_num_filters=8), _images(32)),
    Spec("CLIP", "CLIPBackbone", {}, _image_text(16), build=_clip),
    Spec("SigLIP", "SigLIPBackbone", {}, _image_text(16), build=_siglip),
    Spec("Whisper", "WhisperBackbone",
         dict(_TEXT, num_mels=8, max_encoder_sequence_length=16, max_decoder_sequence_length=SEQ),
         _whisper_inputs),
]


def build(spec: Spec, hub):
    """The backbone of ``spec`` (``hub`` is the imported ``keras_hub``)."""
    if spec.build is not None:
        return spec.build(hub)
    return getattr(hub.models, spec.cls)(**spec.kwargs)


def inputs(spec: Spec):
    """The inputs of ``spec``, the same on every side and backend."""
    return spec.inputs(np.random.default_rng(0))


# --- Tasks: a tiny in-memory vocabulary each, no preset download. ---------------------------------------------

WORDPIECE = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", "jumps", "over", "lazy",
             "dog", "."]
SENTENCES = ["the quick brown fox .", "the lazy dog jumps over the fox ."]
BPE_MERGES = ["Ġ q", "u i", "c k", "ui ck", "Ġq uick", "Ġ f", "o x", "Ġf ox", "Ġ b", "r o", "w n", "ro wn",
              "Ġb rown", "Ġ t", "h e", "Ġt he", "t he"]
# Every symbol a merge names, and every merge's result: KerasHub checks both are in the vocabulary.
BPE_VOCABULARY = {token: index for index, token in enumerate(dict.fromkeys(
    ["<|endoftext|>", "a"] + [part for merge in BPE_MERGES for part in merge.split()]
    + [merge.replace(" ", "") for merge in BPE_MERGES]))}
PROMPTS = ["the quick", "a brown fox"]


def _text_classifier(hub):
    tokenizer = hub.models.BertTokenizer(vocabulary=WORDPIECE)
    preprocessor = hub.models.BertTextClassifierPreprocessor(tokenizer, sequence_length=SEQ)
    backbone = hub.models.BertBackbone(**dict(_TEXT, vocabulary_size=len(WORDPIECE), max_sequence_length=SEQ))
    return hub.models.BertTextClassifier(backbone, num_classes=2, preprocessor=preprocessor)


def _causal_lm(hub):
    tokenizer = hub.models.GPT2Tokenizer(vocabulary=BPE_VOCABULARY, merges=BPE_MERGES)
    preprocessor = hub.models.GPT2CausalLMPreprocessor(tokenizer, sequence_length=SEQ)
    backbone = hub.models.GPT2Backbone(**dict(_TEXT, vocabulary_size=len(BPE_VOCABULARY), max_sequence_length=SEQ))
    return hub.models.GPT2CausalLM(backbone, preprocessor=preprocessor)


TASKS: list[Spec] = [
    Spec("BertTextClassifier", "BertTextClassifier", {}, lambda rng: list(SENTENCES), build=_text_classifier),
    Spec("GPT2CausalLM", "GPT2CausalLM", {}, lambda rng: list(PROMPTS), build=_causal_lm),
]

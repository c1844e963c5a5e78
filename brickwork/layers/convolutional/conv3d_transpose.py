"""``Conv3DTranspose``: 3D transposed convolution (``Convolution3DTranspose`` is the same class)."""

from __future__ import annotations

from brickwork.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution over inputs of shape
    ``(batch, depth, height, width, channels)``, e.g. to upsample a feature map.

    Args: ``filters``, ``kernel_size``, ``strides``, ``padding``, ``output_padding``, ``data_format``,
    ``dilation_rate``, ``activation``, ``use_bias`` and the initializers, regularizers and constraints,
    as documented on ``BaseConvTranspose``.

    Example:
    >>> Conv3DTranspose(8, 2, strides=2)(np.zeros((2, 3, 3, 3, 4))).shape   # (2, 6, 6, 6, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1, 1), activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


Convolution3DTranspose = Conv3DTranspose

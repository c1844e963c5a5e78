"""``brickwork.applications``: Keras's ImageNet models, layer for layer, so Keras's weight files load unchanged.

Each architecture has Keras's constructor arguments (``include_top``, ``weights``, ``input_tensor``,
``input_shape``, ``pooling``, ``classes``, ``classifier_activation``, ``name`` and its own), layer names and
weight order. ``weights="imagenet"`` downloads Keras's published file once into ``~/.brickwork/models``
(``$BRICKWORK_HOME``), checking Keras's hash; ``$BRICKWORK_APPLICATIONS_ORIGIN`` points every download at a
mirror. Each module has the ``preprocess_input`` its weights were trained with and ``decode_predictions``.

Example:
    >>> model = keras.applications.MobileNetV2(weights=None, input_shape=(32, 32, 3), classes=10)
    >>> model.output_shape
    (None, 10)
"""

from brickwork.applications import (  # noqa: F401
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from brickwork.applications.convnext import (  # noqa: F401
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from brickwork.applications.densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from brickwork.applications.efficientnet import (  # noqa: F401
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from brickwork.applications.efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from brickwork.applications.inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from brickwork.applications.inception_v3 import InceptionV3  # noqa: F401
from brickwork.applications.mobilenet import MobileNet  # noqa: F401
from brickwork.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from brickwork.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: F401
from brickwork.applications.nasnet import NASNetLarge, NASNetMobile  # noqa: F401
from brickwork.applications.resnet import (  # noqa: F401
    ResNet50,
    ResNet50V2,
    ResNet101,
    ResNet101V2,
    ResNet152,
    ResNet152V2,
)
from brickwork.applications.vgg import VGG16, VGG19  # noqa: F401
from brickwork.applications.xception import Xception  # noqa: F401

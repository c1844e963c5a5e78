"""``brickwork.optimizers.schedules``: learning-rate schedules (Keras's ``keras.optimizers.schedules``)."""

from brickwork.optimizers.schedules.learning_rate_schedule import (  # noqa: F401
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
    deserialize,
    serialize,
)

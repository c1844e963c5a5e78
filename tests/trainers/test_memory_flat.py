"""Memory stays flat: repeated model creation, ``fit``, ``predict`` and ``clear_session`` in one process
do not make its resident memory grow (Keras issues #20245, #20552, #21090 report growth).

Measured in a fresh process: resident memory after a few warm-up rounds (the engine's one-off caches,
allocator pools) against the highest value in the rounds after. Resident memory comes from psutil when
installed, else /proc/self/statm, else the peak from ``resource.getrusage`` (which only grows, so a leak
still shows).
"""

import json
import os
import subprocess
import sys
import textwrap

from tests.conftest import BACKEND, requires_training

WARMUP, ROUNDS, BOUND_MB = 4, 20, 30.0

_ROUNDS = textwrap.dedent("""
    import gc, json, os, sys
    import numpy as np

    def resident_mb():
        try:
            import psutil
            return psutil.Process().memory_info().rss / 2**20
        except ImportError:
            pass
        try:
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError):
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    import brickwork as keras

    data = np.random.default_rng(0)
    x = data.normal(size=(64, 16)).astype("float32")
    y = data.normal(size=(64, 1)).astype("float32")
    resident = []
    for _ in range(int(sys.argv[1])):
        model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dropout(0.1), keras.layers.Dense(1)])
        model.compile("adam", "mse", metrics=["mae"])
        model.fit(x, y, batch_size=32, epochs=2, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
        del model
        keras.backend.clear_session()
        gc.collect()
        resident.append(resident_mb())
    print(json.dumps(resident))
""")


@requires_training
def test_resident_memory_stays_flat_over_repeated_fit_predict_and_clear_session():
    env = dict(os.environ, BRICKWORK_BACKEND=BACKEND, KERAS_BACKEND=BACKEND)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, "-c", _ROUNDS, str(WARMUP + ROUNDS)], env=env, cwd=root,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    resident = json.loads(result.stdout.strip().splitlines()[-1])
    growth = max(resident[WARMUP:]) - resident[WARMUP - 1]
    assert growth < BOUND_MB, f"resident memory grew {growth:.1f} MB over {ROUNDS} rounds: {resident}"

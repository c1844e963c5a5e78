"""The global state is per thread, as in Keras: a data-loading thread's device scopes, names and training flag
never reach the thread that trains, however their scopes interleave."""

import threading

import pytest

from brickwork import backend, layers
from brickwork.backend.common import global_state

pytestmark = pytest.mark.skipif(backend.backend() == "numpy", reason="the numpy backend has no device scopes")


def _in_thread(fn):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", fn()))
    thread.start()
    thread.join()
    return result["value"]


def test_a_device_scope_is_seen_only_by_the_thread_that_opened_it():
    entered, release = threading.Event(), threading.Event()

    def hold_a_scope():
        with backend.device("cpu:0"):
            entered.set()
            release.wait(5)
        return len(global_state.STATE.device_stack)

    worker = threading.Thread(target=hold_a_scope)
    worker.start()
    entered.wait(5)
    try:
        assert global_state.STATE.device_stack == []  # the worker's scope is not ours
        with backend.device("cpu:0"):
            release.set()
            worker.join()  # the worker closed its scope while ours is open: ours is still there
            assert len(global_state.STATE.device_stack) == 1
        assert global_state.STATE.device_stack == []
    finally:
        release.set()
        worker.join()


def test_interleaved_scopes_in_many_threads_never_pop_another_threads_entry():
    errors = []
    barrier = threading.Barrier(4)

    def churn():
        try:
            barrier.wait(5)
            for _ in range(200):
                with backend.device("cpu:0"):
                    assert len(global_state.STATE.device_stack) == 1
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_automatic_names_and_the_training_flag_are_per_thread():
    backend.clear_session()
    assert layers.Dense(2).name == "dense"
    assert _in_thread(lambda: layers.Dense(2).name) == "dense"  # a fresh thread counts from the start
    assert layers.Dense(2).name == "dense_1"
    global_state.STATE.training = True
    try:
        assert _in_thread(lambda: global_state.STATE.training) is None
    finally:
        global_state.STATE.training = None


def test_clear_session_callbacks_are_shared_by_every_thread():
    assert _in_thread(lambda: global_state.STATE.callbacks_on_clear) is global_state.STATE.callbacks_on_clear


@pytest.mark.skipif(backend.backend() != "jax", reason="jax's device scope checks the device kind it is given")
def test_jax_device_scope_refuses_what_is_not_a_device():
    with pytest.raises(ValueError, match="Received: device_name='123'"):
        backend.device(123).__enter__()
    assert global_state.STATE.device_stack == []

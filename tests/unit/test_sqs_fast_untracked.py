"""moto's model tracker would keep every message and deleted queue; the speed-ups stop it."""

from __future__ import annotations

from moto.core.model_instances import reset_model_data
from moto.sqs import models as m

from emulator import sqs_fast


def test_messages_are_not_tracked_even_after_a_moto_reset():
    sqs_fast.install_speedups()
    reset_model_data()  # what /moto-api/reset does: fresh tracking lists
    m.Message("id-1", "a body")
    assert m.Message.instances_tracked == []
    assert isinstance(m.Message("id-2", "b"), m.Message)


def test_uninstall_brings_moto_tracking_back():
    sqs_fast.install_speedups()
    try:
        sqs_fast.uninstall_speedups()
        reset_model_data()
        tracked = m.Message("id-3", "c")
        assert m.Message.instances_tracked == [tracked]
    finally:
        sqs_fast.install_speedups()
        reset_model_data()

"""New-lead alerts: a durable poller, an exactly-once sender, one active instance at a time."""

from leadbot.alerts.poller import CycleReport, Poller, PollFailed
from leadbot.alerts.sender import Sender, SenderTuning
from leadbot.alerts.service import AlertService, OnceResult, Tuning

__all__ = [
    "AlertService",
    "CycleReport",
    "OnceResult",
    "PollFailed",
    "Poller",
    "Sender",
    "SenderTuning",
    "Tuning",
]

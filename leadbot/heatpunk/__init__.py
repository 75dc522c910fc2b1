"""The Heatpunk / Easy PV leads API: client, models and errors (the simulator is leadbot.sandbox)."""

from leadbot.heatpunk.client import HeatpunkClient
from leadbot.heatpunk.errors import AuthError, HeatpunkError, InvalidRequest, NotFound, Reason, Unavailable
from leadbot.heatpunk.models import UPDATABLE_FIELDS, Lead, NewLead, parse_leads
from leadbot.heatpunk.transport import build_http_client

__all__ = [
    "UPDATABLE_FIELDS",
    "AuthError",
    "HeatpunkClient",
    "HeatpunkError",
    "InvalidRequest",
    "Lead",
    "NewLead",
    "NotFound",
    "Reason",
    "Unavailable",
    "build_http_client",
    "parse_leads",
]

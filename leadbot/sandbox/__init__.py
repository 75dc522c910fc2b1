"""The Heatpunk simulator: API rules, demo data, its HTTP server and the `leadbot sandbox` command."""

from leadbot.sandbox.service import Sandbox

__all__ = ["Sandbox"]

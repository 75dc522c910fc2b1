"""The API key the simulator (leadbot/sandbox/) accepts unless told otherwise.

It is the API docs' own placeholder, so their curl examples work against the simulator as printed. It lives here,
beside the client, because ../shared/tools/slack-preview reads it from `leadbot.heatpunk.sandbox`.
"""

from __future__ import annotations

DEFAULT_API_KEY = "YOUR_API_KEY_HERE"

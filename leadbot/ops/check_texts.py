"""Every sentence leadbot's ops commands print, by name: `leadbot check` (the checklist), `leadbot poll` and
`leadbot manifest`; tests assert on them and the README quotes them. (What other parts say is in texts.py.)"""

# ruff: noqa: S105 (names such as TOKEN_OK hold sentences about tokens, not tokens)
from __future__ import annotations

from collections.abc import Mapping

# Each scope leadbot asks for, and what it is for.
SCOPES: Mapping[str, str] = {
    "commands": "the /leads command",
    "chat:write": "posting alerts and replies",
    "chat:write.public": "posting alerts in public channels leadbot hasn't joined",
    "users:read": "looking up who typed a command",
    "users:read.email": "reading each person's email, which tells Heatpunk who they are",
    "channels:history": "checking, after a restart, whether an alert already reached a public channel",
    "groups:history": "checking, after a restart, whether an alert already reached a private channel",
    "im:write": "messaging a lead's owner and managers (assignments, nudges, escalations, reminders)",
    "im:history": "checking, after a restart, whether such a direct message was already sent",
    "dnd:read": "skipping people on Do Not Disturb when routing a lead or nudging",
    "files:write": "posting report charts (/leads report, the weekly report)",
}

# The checks, in the order they run.
SETTINGS, SLACK_TOKEN, SLACK_SCOPES, ALERT_CHANNEL, HEATPUNK, DATABASE = (
    "Settings", "Slack token", "Slack scopes", "Alert channel", "Heatpunk API", "Database",
)  # fmt: skip

SETTINGS_OK = "Complete for {mode}."
SETTINGS_FIX = "Set them in the environment or in .env (see .env.example for every setting)."
NOT_CHECKED_NO_TOKEN = "Not checked: SLACK_BOT_TOKEN is not set."
NOT_CHECKED_AUTH = "Not checked: Slack didn't accept the token (see above)."
TOKEN_OK = "Signed in to Slack workspace {team} as @{user}."
TOKEN_INVALID = "Slack doesn't accept SLACK_BOT_TOKEN ({error})."
TOKEN_INVALID_FIX = (
    "Copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page "
    "into SLACK_BOT_TOKEN."
)
TOKEN_REVOKED = "SLACK_BOT_TOKEN no longer works ({error}): the app was uninstalled or the token revoked."
TOKEN_REVOKED_FIX = (
    "Reinstall the app (OAuth & Permissions → Install to Workspace) and put its new Bot User OAuth Token "
    "into SLACK_BOT_TOKEN."
)
WRONG_TOKEN_TYPE = "SLACK_BOT_TOKEN is not a bot token ({error})."
WRONG_TOKEN_TYPE_FIX = (
    "Put the xoxb-… token in SLACK_BOT_TOKEN (an xapp-… app-level token belongs in SLACK_APP_TOKEN)."
)
SLACK_REFUSED = "Slack refused {method} ({error})."
SLACK_UNREACHABLE = "Couldn't reach Slack at {url} ({reason})."
SLACK_UNREACHABLE_FIX = "Check this machine's network connection (and SLACK_API_URL, if you set it)."
SCOPES_OK = "The bot token has every scope leadbot needs."
SCOPES_UNKNOWN = "Not checked: Slack didn't say which scopes the token has (no x-oauth-scopes header)."
SCOPE_MISSING = "Missing {scope}: needed for {purpose}."
SCOPES_FIX = (
    "Add {scopes} under Bot Token Scopes on your Slack app's OAuth & Permissions page (or recreate the app "
    "from manifest.yml), then reinstall the app to the workspace and copy the Bot User OAuth Token again "
    "if it changed."
)
SOCKET_MODE = "Socket Mode"
APP_TOKEN_OK = "SLACK_APP_TOKEN can open a Socket Mode connection."
APP_TOKEN_REFUSED = "Slack doesn't accept SLACK_APP_TOKEN for Socket Mode ({error})."
APP_TOKEN_FIX = (
    "Generate an app-level token with the connections:write scope (Basic Information → App-Level Tokens), "
    "put the xapp-… token in SLACK_APP_TOKEN, and turn Socket Mode on (Settings → Socket Mode)."
)
ALERTS_OFF = "Not checked: alerts are off (LEADBOT_ALERT_CHANNEL is not set)."
CHANNEL_OK = "leadbot can post in {channel} (it posted a test message there and deleted it)."
CHANNEL_NOT_FOUND = "Slack can't find channel {channel}, or it is private and leadbot isn't in it."
CHANNEL_NOT_FOUND_FIX = (
    "Check LEADBOT_ALERT_CHANNEL is the channel's ID such as C0123456789 (channel details → About, at the "
    "bottom), not its name; if the channel is private, invite leadbot: type /invite @leadbot in the channel."
)
NOT_IN_CHANNEL = "leadbot isn't in {channel} and may not post to channels it hasn't joined (not_in_channel)."
NOT_IN_CHANNEL_FIX = (
    "Add the chat:write.public scope (OAuth & Permissions, then reinstall the app), or invite leadbot: "
    "type /invite @leadbot in the channel."
)
CHANNEL_ARCHIVED = "Channel {channel} is archived."
CHANNEL_ARCHIVED_FIX = "Unarchive it, or set LEADBOT_ALERT_CHANNEL to another channel's ID."
CHANNEL_REFUSED_FIX = "Fix the token and scopes above, then run `leadbot check` again."
SANDBOX = "Not checked: the sandbox simulates Heatpunk (no key needed)."
NOT_CHECKED_NO_KEY = "Not checked: HEATPUNK_API_KEY is not set."
NOT_CHECKED_NO_EMAIL = "Not checked: set LEADBOT_POLL_EMAIL (a Pro team member's email) to test the key."
HEATPUNK_OK = "Heatpunk answered: {count} lead(s) since {day} visible to {email}."
KEY_REFUSED = "Heatpunk refused HEATPUNK_API_KEY."
KEY_REFUSED_FIX = (
    "Ask a Pro team owner or admin for the team's API key (Pro account settings → CRM connections) "
    "and set HEATPUNK_API_KEY to it."
)
EMAIL_NO_ACCESS = "Heatpunk accepted the key but says {email} has no access to the team's leads."
EMAIL_NO_ACCESS_FIX = (
    "Set LEADBOT_POLL_EMAIL to the email of an Easy PV Pro team member who can see every lead, "
    "or ask a Pro team admin to add {email} to the team."
)
HEATPUNK_DOWN = "Heatpunk didn't answer at {url}: {message}"
HEATPUNK_DOWN_FIX = (
    "Try again in a few minutes; if it keeps failing, check HEATPUNK_BASE_URL and the network."
)
HEATPUNK_REFUSED = "Heatpunk refused a one-day fetch: {message}"
HEATPUNK_REFUSED_FIX = (
    "Check HEATPUNK_BASE_URL points at the leads API (default https://heatpunk.co.uk/api/v1)."
)
DATABASE_OK = "Reachable and migrated ({url}, revision {revision})."
DATABASE_UNREACHABLE = "Couldn't open the database at {url}: {reason}"
DATABASE_UNREACHABLE_FIX = (
    "Check DATABASE_URL (e.g. sqlite:///leadbot.db or postgresql+psycopg://user:password@host/db) "
    "and that the database server is running and reachable from here."
)
DATABASE_NEWER = "The database at {url} was migrated by a newer leadbot ({reason})."
DATABASE_NEWER_FIX = "Upgrade this leadbot to the version your other instances run."
DATABASE_BEHIND = "The database at {url} is at revision {revision}, not the latest this leadbot knows."
DATABASE_BEHIND_FIX = "Start leadbot once (`leadbot run`): it migrates the database as it starts."
SUMMARY_OK = "All {total} checks passed."
SUMMARY_FAILED = "{failed} of {total} checks failed: fix the ✗ lines above, then run `leadbot check` again."
CHANNEL_OK_NOT_DELETED = (
    "leadbot can post in {channel} (its test message there couldn't be deleted: delete it by hand)."
)
TEST_MESSAGE = "leadbot check: new-lead alerts can be posted here. (This test message deletes itself.)"
CHECK_HEADER = "leadbot check"

# `leadbot poll [--once]`.
POLL_SKIPPED = "Another leadbot instance is polling right now (it holds the lease): nothing to do."
POLL_DONE = "Polled Heatpunk ({report}); {unsent} alert(s) still queued."
POLL_FAILED = "Poll failed: {cause}"
POLL_UNSENT = "{count} alert(s) not posted yet: {cause} They stay queued and go out on the next run."
POLL_NO_DATABASE = "leadbot can't open the database ({error}): check DATABASE_URL."
POLL_RUNNING = "leadbot is polling Heatpunk for new leads; Ctrl+C to stop."

# `leadbot manifest [--url https://HOST]`.
URL_NOT_HTTPS = (
    "--url must be the public https:// address Slack can reach leadbot at, such as https://bot.example.com "
    "(Slack only sends requests to https URLs; without --url you get the Socket Mode manifest, "
    "which needs no public URL)."
)
URL_TOO_LONG = "--url is too long: Slack accepts request URLs of at most {limit} characters."
MANIFEST_NOT_A_MAPPING = "leadbot/manifest.yml is not a YAML mapping."
MANIFEST_SOCKET_HEADER = (
    "# leadbot's Slack app manifest for Socket Mode (no public URL needed; set SLACK_APP_TOKEN).\n"
    "# Paste it at https://api.slack.com/apps → Create New App → From a manifest.\n"
)
MANIFEST_HTTP_HEADER = (
    "# leadbot's Slack app manifest for HTTP mode: Slack sends every request to {url}\n"
    "# Paste it at https://api.slack.com/apps → Create New App → From a manifest.\n"
)

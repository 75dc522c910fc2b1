"""Every sentence leadbot says to people, in one place: what happened, and what to do."""

from __future__ import annotations

from collections.abc import Mapping

from leadbot.heatpunk.errors import HeatpunkError, Reason

# Heatpunk failures, said from the error's data: heatpunk_failure(error) for whoever sees it (Slack, the
# admin channel's health notices, `leadbot poll --once`). Errors never carry sentences.
HEATPUNK_KEY_REJECTED = (
    "Heatpunk rejected leadbot's API key (HEATPUNK_API_KEY): ask a Pro team owner or admin for a new key "
    "(Pro account settings → CRM connections)."
)
HEATPUNK_FAILURES: Mapping[Reason, str] = {
    Reason.KEY_REJECTED: HEATPUNK_KEY_REJECTED,
    Reason.NO_ACCESS: "Heatpunk says {email} has no access: ask a Pro team admin to add it to the team.{said}",
    Reason.NOT_FOUND: "Lead {lead_id} was not found: it may have been deleted, or your email can't see it.",
    Reason.REFUSED: "Heatpunk refused the request.{said}",
    Reason.SERVER_ERROR: "Heatpunk didn't answer properly (error {status}) — try again in a minute.",
    Reason.UNREACHABLE: "Couldn't reach Heatpunk — try again in a minute.",
    Reason.TOO_SLOW: "Heatpunk didn't answer in time — try again in a minute.",
    Reason.UNREADABLE: "Heatpunk sent an answer leadbot couldn't read — try again in a minute.",
    Reason.TOO_LARGE: "Heatpunk sent an answer too big to read — try a shorter time span, or again later.",
    Reason.NO_NEW_ID: (
        "Heatpunk may have saved the lead but didn't say its ID: check the leads dashboard before trying again."
    ),
    Reason.UNKNOWN_FIELDS: "leadbot can't change {fields}: the fields it can change are {choices}.",
    Reason.NOTHING_TO_CHANGE: "Nothing to change.",
    Reason.BAD_BUILD_DATE: "buildDate must be one of {choices}.",
}
HEATPUNK_NOT_FOUND = "Heatpunk couldn't find that."  # a 404 about no lead in particular
HEATPUNK_SAID = " Heatpunk said: “{said}”."
HEATPUNK_GAVE_NO_REASON = " It gave no reason."
HEATPUNK_MAY_HAVE_SAVED = "The lead may have been saved: check the leads dashboard before trying again."
SOMEONES_EMAIL = "this email"


def heatpunk_failure(error: HeatpunkError) -> str:
    """What went wrong with a Heatpunk call, in words (plain text: escape it for Slack).

    The API's own words are shown only where they help (no access, a refusal), as they always were.
    """
    if error.reason is Reason.NOT_FOUND and error.lead_id is None:
        return HEATPUNK_NOT_FOUND
    said = HEATPUNK_SAID.format(said=error.api_message) if error.api_message else ""
    if error.reason is Reason.REFUSED:
        said = said or HEATPUNK_GAVE_NO_REASON
    words = HEATPUNK_FAILURES[error.reason].format(
        email=error.email or SOMEONES_EMAIL,
        lead_id=error.lead_id,
        status=error.status,
        fields=", ".join(error.fields),
        choices=", ".join(error.choices),
        said=said,
    )
    return f"{words} {HEATPUNK_MAY_HAVE_SAVED}" if error.may_have_saved else words


# Why polling or posting alerts fails: the admin channel's health notices (HEALTH, SLACK_HEALTH) and
# `leadbot poll --once`; leadbot.alerts.health picks one.
POLL_EMAIL_REFUSED = (
    "Heatpunk says the poll email (LEADBOT_POLL_EMAIL) has no access to the team's leads: ask a Pro team "
    "admin to add it to the team, or set LEADBOT_POLL_EMAIL to an admin's email."
)
POLL_API_DOWN = "the Heatpunk API is down or not answering: {detail}"
POLL_API_REFUSED = "Heatpunk refused leadbot's request: {detail}"
ALERTS_SLACK_REJECTED = (
    "Slack rejected leadbot's bot token ({error}): the app may have been uninstalled or the token revoked. "
    "Reinstall it and update SLACK_BOT_TOKEN."
)
ALERTS_SLACK_CHANNEL = (
    "leadbot can't post in the alert channel ({error}): invite leadbot to it (`/invite @leadbot`) or check "
    "LEADBOT_ALERT_CHANNEL."
)
ALERTS_SLACK_SCOPE = "leadbot's Slack app lacks a permission ({detail}): add it to the app and reinstall."
ALERTS_SOME_SCOPE = "a scope"  # when Slack doesn't say which
ALERTS_SLACK_DOWN = "Slack is down or not answering ({detail})."
ALERTS_SLACK_REFUSED = "Slack refused the message itself ({detail})."
FAILURE_UNEXPECTED = "an unexpected error inside leadbot ({detail}): see its logs."

# Settings: what `leadbot run`, `poll` and `check` say about a setting that is missing or wrong, with how to
# fix each one (SETTING_HINTS).
SETTINGS_CANT_START = "leadbot can't start: fix these settings (in the environment or in .env):"
SETTINGS_SEE_EXAMPLE = "See .env.example for every setting and its default."
SETTING_MISSING = "{name} is missing: set it to {hint}."
SETTING_INVALID = "{name} is invalid ({problem}): set it to {hint}."
SETTING_ANY_VALID = "a valid value"
SETTING_NOT_HTTP_URL = "must start with http:// or https://"
SETTING_NOT_A_URL = "not a URL with a host"
SETTING_NOT_DATABASE_URL = "not an sqlite:// or postgresql:// SQLAlchemy URL"
SETTING_NOT_A_TOKEN = "only letters, digits and punctuation, no spaces: it goes into HTTP headers"
SETTINGS_FILE_UNREADABLE = (
    "{path} can't be read as UTF-8 text: save it as UTF-8, or remove it and use the environment."
)
SETTING_HINTS: Mapping[str, str] = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-…) from your Slack app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the signing secret from your Slack app's Basic Information page "
    "(or set SLACK_APP_TOKEN to use Socket Mode)",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, from Basic Information",
    "SLACK_API_URL": "a URL such as https://slack.com/api/",
    "HEATPUNK_API_KEY": "your Pro team's API key (Pro account settings → CRM connections), "
    "or try leadbot with `leadbot run --sandbox`",
    "HEATPUNK_BASE_URL": "a URL such as https://heatpunk.co.uk/api/v1",
    "HEATPUNK_TIMEOUT_SECONDS": "a number of seconds greater than 0, e.g. 10",
    "HEATPUNK_DEADLINE_SECONDS": "a number of seconds greater than 0 (default 25)",
    "LEADBOT_ALERT_CHANNEL": "a channel ID such as C0123456789 (channel details → bottom of the About tab)",
    "LEADBOT_POLL_EMAIL": "the email of an Easy PV Pro team member who can see every lead",
    "LEADBOT_POLL_SECONDS": "a number of seconds, at least 1 (default 60)",
    "DATABASE_URL": "an SQLAlchemy URL, e.g. sqlite:///leadbot.db or postgresql+psycopg://user:pw@host/db",
    "PORT": "a TCP port between 1 and 65535",
    "HOST": "an interface address to listen on, e.g. 0.0.0.0 or 127.0.0.1",
    "LEADBOT_MAX_REQUEST_BYTES": "a whole number of bytes, at least 1024 (default 1048576)",
    "LEADBOT_SEARCH_DAYS": "a whole number of days, at least 1 (default 365)",
    "LEADBOT_STATUSES": "a comma-separated list, e.g. new,Lead,Quote,Sale,Install,Completed,Rejected",
    "LEADBOT_EMAIL_CACHE_SECONDS": "a whole number of seconds, 0 or more (default 3600)",
    "LEADBOT_LOOKUP_CACHE_SECONDS": "a whole number of seconds, 0 (off) to 3600 (default 30)",
    "LEADBOT_ADMINS": "comma-separated Slack user IDs, e.g. U0123ABCD,U0456EFGH",
    "LEADBOT_ALLOWED_CHANNELS": "comma-separated Slack channel IDs",
    "LEADBOT_ALLOWED_USERS": "comma-separated Slack user IDs",
    "LEADBOT_DELETERS": "comma-separated Slack user IDs",
    "LEADBOT_POLL_OVERLAP_DAYS": "a whole number of days, 0 or more (default 1)",
    "LEADBOT_DEEP_SYNC_HOURS": "a number of hours greater than 0 (default 6)",
    "LEADBOT_BURST": "a whole number, at least 1 (default 5)",
    "LEADBOT_HEALTH_AFTER": "a whole number, at least 1 (default 5)",
    "LEADBOT_ADMIN_CHANNEL": "a channel ID such as C0123456789",
    "LEADBOT_POLLER": "on or off",
    "LEADBOT_LOG_FORMAT": "text or json",
    "LEADBOT_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "LEADBOT_WORKERS": "a whole number of threads, at least 1 (default 32)",
}

# What leadbot's HTTP server answers a request it turns away before Bolt sees it (plain text, kept short).
HTTP_TOO_LARGE = "Request body too large."
HTTP_NOT_FROM_SLACK = "Not a request signed by Slack."
HTTP_UNREADABLE = "Unreadable request."

# Modal validation.
NEED_NAME = "Enter the customer's name."
BAD_EMAIL = "That doesn't look like an email address (e.g. jane@example.co.uk)."
EMAIL_TOO_LONG = "That email address is too long: at most 64 characters before the @, and 320 in all."
BAD_PHONE = "That doesn't look like a phone number: use a UK number (07700 900123) or +country code."
NEED_CONTACT = "Add an email or a phone number, so someone can reach the customer."
BAD_POSTCODE = "That isn't a UK postcode (e.g. CB24 6YU)."
NEED_BOTH_COORDINATES = "Give both latitude and longitude, or neither."
BAD_LATITUDE = "Latitude is a number between -90 and 90 (e.g. 52.2405)."
BAD_LONGITUDE = "Longitude is a number between -180 and 180 (e.g. 0.1313)."
TOO_LONG = "That's too long: at most {limit} characters."

# Command text.
UNKNOWN_SUBCOMMAND = "leadbot doesn't know `{word}`."
NO_ARGUMENTS = "`/leads {name}` takes nothing after it."
ONE_SINCE = "Give at most one date or period after `/leads list`."
FIND_NEEDS_TEXT = "Tell leadbot what to look for: at least 2 characters."
NEEDS_ONE_ID = "`/leads {name}` needs one lead ID."
STATUS_NEEDS_TWO = "`/leads status` needs a lead ID and a status."
BAD_LEAD_ID = "`{text}` isn't a lead ID: IDs are letters, digits, - or _."
ADMIN_USAGE_PROBLEM = "Admin commands are `map @user email` and `unmap @user`."
BAD_SINCE = "leadbot can't read `{text}` as a date or period."
SINCE_IN_FUTURE = "That date is in the future."
SINCE_TOO_FAR = "leadbot looks back at most {days} days."
UNKNOWN_STATUS = "`{status}` isn't one of the statuses leadbot knows: {choices}."
DID_YOU_MEAN = "Did you mean `/leads {name}`?"

# Outcomes.
NO_LEADS_SINCE = "No leads since {since}."
NO_MATCHES = "No leads match “{query}” in the last {days} days."
STATUS_SET = "Lead {lead_id} moved to {status} (was {before})."
STATUS_UNCHANGED = "Lead {lead_id} is already *{status}*."
DELETE_ASK = "Delete this lead? This can't be undone."
DELETED = "Lead {lead_id} ({name}) was deleted by <@{user}>."
NOT_A_DELETER = "Only the people on LEADBOT_DELETERS can delete leads: ask one of them."
CREATED = "Lead {lead_id} created."
SAVED = "Lead {lead_id} saved: {fields} changed."
NOTHING_CHANGED = "Nothing changed, so nothing was sent to Heatpunk."
SHARED_BY = "Shared by <@{user}>"
SHARE_FAILED = (
    "leadbot can't post in this channel ({error}): invite it with `/invite @leadbot`, or share elsewhere."
)
DUPLICATE_WARNING = "This looks like a lead you already have:"
SAVING = "Saving…"
CHECKING = "Checking for duplicates…"
LOADING = "Loading…"
API_REFUSED = "Heatpunk refused this: {reason}"

# Access and identity.
NOT_ALLOWED_USER = (
    "You're not on leadbot's list of users: ask a leadbot admin to add you to LEADBOT_ALLOWED_USERS."
)
NOT_ALLOWED_CHANNEL = (
    "leadbot isn't used in this channel: try it in one of {channels}, or in a DM with leadbot."
)
NOT_ADMIN = "Only leadbot admins (LEADBOT_ADMINS) can do that."
NO_SELF_MAP = "You can't set your own email: ask another leadbot admin to do it."
MAPPED = "<@{user}> now acts as {email} in Heatpunk."
UNMAPPED = "<@{user}> now acts as the email on their Slack profile."
NOT_MAPPED = "<@{user}> had no email set by an admin."
EMAIL_HIDDEN = (
    "leadbot can't see your email in Slack, so it can't act for you in Heatpunk. Your workspace may hide "
    "emails: ask a leadbot admin to run `/leads admin map @you your@email`."
)
EMAIL_SCOPE_MISSING = (
    "leadbot isn't allowed to read emails in this workspace (it lacks the users:read.email permission): "
    "ask a Slack admin to add it and reinstall leadbot."
)
EMAIL_BOT = "Bots and apps can't use leadbot: it acts as a person with an Easy PV email."
EMAIL_GUEST = "Guest accounts' emails are hidden from apps: ask a leadbot admin to run `/leads admin map @you your@email`."
SLACK_TOKEN_BROKEN = "leadbot's Slack token stopped working: ask a Slack admin to reinstall leadbot."
SLACK_UNREACHABLE = "Slack didn't answer leadbot — try again in a minute."
FORM_EXPIRED = "Slack wouldn't open the form in time ({error}): run the command or press the button again."
FORM_SLOW = "Slack was slow to open the form — try again."
BUSY = "leadbot is still working on your earlier requests: wait for their answers, then try again."
OVERLOADED = "leadbot is very busy right now — try again in a minute."
SOMETHING_BROKE = (
    "Something went wrong inside leadbot; it has been logged. Try again, or tell your leadbot admin."
)
WHOAMI = "leadbot acts as *{email}* for you ({source})."
SOURCE_SLACK = "from your Slack profile"
SOURCE_ADMIN = "set by a leadbot admin"
SANDBOX_MARK = "SANDBOX"
SANDBOX_BANNER = f":test_tube: *{SANDBOX_MARK}*: demo leads, not real data"

# New-lead alerts.
NEW_LEAD = "New lead"
DELETED_LEAD = "Deleted in Heatpunk"
NOT_CLAIMED = "Not claimed yet: press *Claim* if you'll call this customer."
CLAIMED = "Claimed by <@{user}> · {when}"
DIGEST_HEADING = "*{count} new leads* arrived at once — too many for a card each. Open any of them:"
DIGEST_TEXT = "{count} new leads in Heatpunk"
WATCHING = "leadbot is watching {count} leads; new ones will appear here"
HEALTH = (
    ":warning: leadbot can't check for new leads: {cause} It has failed {failures} times in a row and "
    "keeps trying; this channel will hear when it works again."
)
SLACK_HEALTH = (
    ":warning: leadbot can't post new-lead alerts: {cause} It has failed {failures} times in a row and "
    "keeps trying; the alerts are kept and will be posted once it works."
)
RECOVERED = ":white_check_mark: leadbot is working again: new leads are being checked and posted as before."
# An alert that failed the same way again and again: posted as plain text instead, or set aside.
PLAIN_ALERT = {
    "new": "New lead {leads} in Heatpunk. (Its card couldn't be posted; see it with /leads show {first}.)",
    "digest": "New leads in Heatpunk: {leads}. (Their list couldn't be posted; see each with /leads show ID.)",
    "changed": "Lead {leads} was changed in Heatpunk. (The details couldn't be posted; see /leads show {first}.)",
    "deleted": "Lead {leads} was deleted in Heatpunk.",
    "dm": "A reminder about lead {leads} couldn't be shown in full: see it with /leads show {first}.",
    "morning": "Leads from out of hours still need someone: {leads}. See each with /leads show ID.",
}
SET_ASIDE_AS_TEXT = (
    ":warning: leadbot couldn't post an alert ({what}) after {failures} tries: {cause} It was posted as "
    "plain text instead, and the alerts after it went on as usual."
)
SET_ASIDE_PARKED = (
    ":warning: leadbot couldn't post an alert ({what}) after {failures} tries, not even as plain text: "
    "{cause} It has been set aside (never posted) so the alerts after it could go; see it with /leads show."
)
# /healthz: why this instance is not ok (it answers 503 with these).
HEALTHZ_POLLS_FAILING = "polls have failed {failures} times in a row: {cause}"
HEALTHZ_NO_POLL = "no successful poll for over {seconds:.0f} s although this instance holds the poller lease"
HEALTHZ_POLL_HUNG = "a poll cycle has been running for {seconds:.0f} s (longer than the poller lease)"
HEALTHZ_ALERT_STUCK = "an alert ({what}) has failed {attempts} times and is still queued: {cause}"
HEALTHZ_NO_STORE = "the database can't be read ({detail})"
HEALTHZ_PARKED = "{count} alert(s) set aside, never posted, in the last day ({what}): see the admin channel"
SET_ASIDE_WHAT = {
    "new": "new lead {leads}",
    "digest": "new leads {leads}",
    "changed": "change to lead {leads}",
    "deleted": "deletion of lead {leads}",
    "notice": "a notice",
}
CHANGE_NOTE = "*{title}* was changed in Heatpunk:"
RETURNED_NOTE = "*{title}* is back in Heatpunk."
DELETED_NOTE = "*{title}* (lead {lead_id}) was deleted in Heatpunk."
ALREADY_CLAIMED = "Lead {lead_id} is already claimed by <@{user}>."
CLAIM_UNKNOWN = (
    "Lead {lead_id} isn't one leadbot has alerted (or it was deleted), so it can't be claimed. "
    "Use the Claim button on its card in the alert channel."
)

# ---- The ladder, reminders and working mornings (alerts/timekeeper.py, blocks/reminders.py) ----------------
ASSIGNED_DM = (
    ":inbox_tray: *New lead for you:* {title} — {why}. Call within {minutes}, then log it on the card."
)
ASSIGNED_DM_NO_LADDER = (
    ":inbox_tray: *New lead for you:* {title} — {why}. Call soon, then log it on the card."
)
REASSIGNED_DM = (
    ":inbox_tray: *Lead passed to you:* {title} — {why}. Call within {minutes}, then log it on the card."
)
REASSIGNED_BY = "<@{user}> gave it to you"
ROUTED_BY = "routed to you ({reason})"
NUDGE_DM = ":stopwatch: *{title}* has waited {minutes} without a call. Call now, then log it on the card."
NUDGE_NOTE_NAMED = ":stopwatch: Nobody has claimed this lead for {minutes}. {people}: can one of you take it?"
NUDGE_NOTE = ":stopwatch: Nobody has claimed this lead for {minutes}: press *Claim* if you can call."
NUDGE_NOTE_AWAY = (
    ":stopwatch: <@{owner}> is away and this lead has waited {minutes}. {people}: can one of you take it?"
)
ESCALATE_DM = ":rotating_light: *Escalated:* {title} has waited {minutes} without a call ({who})."
ESCALATE_NOTE = ":rotating_light: Waiting {minutes} without a call: escalated to {people}."
ESCALATE_NOTE_NOBODY = (
    ":rotating_light: Waiting {minutes} without a call (no manager is set: LEADBOT_MANAGERS)."
)
ESCALATE_OWNER = "owner <@{owner}>"
ESCALATE_UNOWNED = "nobody has claimed it"
REASSIGN_WHY = "{before} didn't call within {minutes}"
REASSIGN_NOTE = ":arrows_counterclockwise: No call within {minutes}: passed from {before} to <@{after}>."
REASSIGN_NOTE_NOBODY = (
    ":arrows_counterclockwise: No call within {minutes}, and nobody else is available to take it."
)
UNCLAIM_NOTE = (
    ":arrows_counterclockwise: No call within {minutes}: <@{before}> no longer owns it. Anyone can claim it."
)
STILL_UNCLAIMED_NOTE = ":arrows_counterclockwise: Still unclaimed after {minutes}. Anyone can claim it."
NOBODY = "nobody"
RETRY_DM = (
    ":telephone_receiver: Time to try *{title}* again: attempt {attempt} of {most}. Log it on the card."
)
MORNING_HEADING = ":sunrise: *Good morning.* {count} lead(s) arrived out of hours and still need someone:"
MORNING_FALLBACK = "{count} lead(s) from out of hours still need someone"
SHOWN_DELETED = ":wastebasket: Lead {lead_id} was deleted in Heatpunk."
HOME_WAITING = "*Waiting for someone* — claim one if you can call now:"
HOME_MINE = "*Your open leads:*"
HOME_NONE_WAITING = "Nobody is waiting: every lead has an owner."
HOME_NONE_MINE = "You own no open leads."
HOME_MORE = "…and {count} more."
HOME_DUE = "*Your reminders due today:*"
HOME_DUE_AT = "try again at {when}"
HOME_WEEK = "This week: {owned} lead(s) owned · median first contact {median} · {share} within 5 min"
HOME_HEALTH = "*Health*"
HOME_LAST_POLL = "Last successful poll: {when}"
HOME_NEVER_POLLED = "No successful poll yet"
HOME_POLL_FAILURES = "Polls failing in a row: {count} ({cause})"
HOME_QUEUE = "Messages waiting to reach Slack: {count}"
HOME_ROTA = "*The rota*"
HOME_SEARCH_LABEL = "Find a lead"
HOME_SEARCH_PLACEHOLDER = "Name, email, phone, address or postcode, then Enter"
HOME_FOUND = "*{count} found* for “{text}”:"
MORNING_UNOWNED = "Unclaimed"
MORNING_OWNED = "Owner: {owner} · not contacted yet"
STALE_DM_HEADING = ":hourglass: Your leads whose status hasn't moved for {days} days or more:"
STALE_LINE = "• {title} — lead {lead_id}, status {status}, since {since}"
STALE_MORE = "…and {count} more."

# ---- Words on leads, lists, forms and buttons (listeners/, leads/, blocks/) -------------------------
APP_NAME = "leadbot"

# Help: what `/leads help`, usage answers and the Home tab show. Subcommand → (syntax, what it does, example).
HELP_FALLBACK = "leadbot: /leads commands"
HELP_INTRO = "*leadbot* puts your Heatpunk leads in Slack."
USAGE_LINE = "`/leads {syntax}` — {what}\n    e.g. `{example}`"
USAGE_LINE_PLAIN = "`/leads {syntax}` — {what}"
ADMIN_COMMANDS = frozenset({"admin", "rota", "territory"})  # in help for LEADBOT_ADMINS only
USAGE: dict[str, tuple[str, str, str]] = {
    "list": (
        "list [SINCE]",
        "leads created since a day (YYYY-MM-DD, 3d, 2w, today, yesterday; default 7d)",
        "/leads list 2w",
    ),
    "find": ("find TEXT", "search name, email, phone, address and postcode", "/leads find 07700 900123"),
    "show": ("show ID", "one lead, every field, with buttons", "/leads show 32123"),
    "new": ("new", "create a lead in a form", "/leads new"),
    "edit": ("edit ID", "change a lead in a form", "/leads edit 32123"),
    "status": ("status ID STATUS", "set a lead's status", "/leads status 32123 Quote"),
    "delete": ("delete ID", "delete a lead (asks first)", "/leads delete 32123"),
    "whoami": ("whoami", "the email leadbot uses for you", "/leads whoami"),
    "admin": (
        "admin map @user EMAIL | admin unmap @user",
        "(admins) set a member's Easy PV email",
        "/leads admin map @sam sam@installer.co.uk",
    ),
    "help": ("help", "this list", "/leads help"),
}

# What `/leads whoami` says someone can do.
YOU_CAN = "You can {abilities}."
CAN_READ = "list, find and show leads"
CAN_WRITE = "create and edit leads"
CAN_SET_STATUS = "set statuses"
CAN_DELETE = "delete leads"
CAN_MAP = "map members' emails (`/leads admin`)"

# A lead's card and its row in a list.
LEAD_TITLE = "Lead {lead_id}"  # a lead without a name
LEAD_FALLBACK = "Lead {lead_id}: {title}"
NO_NAME = "no name"
NO_ADDRESS = "no address"
NO_STATUS = "no status"
LABEL_STATUS = "Status"
LABEL_CREATED = "Created"
LABEL_PHONE = "Phone"
LABEL_EMAIL = "Email"
LABEL_ADDRESS = "Address"
LABEL_POSTCODE = "Postcode"
LABEL_SOURCE = "Source"
LABEL_LEAD_ID = "Lead ID"
LABEL_MAP = "Map"
OPEN_MAP = "Open map"
UPDATED_AT = "Updated {when}"
MORE_CHANGES = "…and {count} more"

# Lists of leads (`/leads list`, `/leads find`); {count} is ONE_LEAD or MANY_LEADS.
ONE_LEAD = "1 lead"
MANY_LEADS = "{count} leads"
LIST_HEADING = "*{count} since {since}*, newest first"
FIND_HEADING = "*{count} match “{query}”*, newest first"
PAGE_OF = "Page {page} of {pages} · {count} leads"

# Buttons, menus and the Delete confirmation.
OPEN = "Open"
VIEW = "View"
VIEW_MENU = "View a lead…"
EDIT = "Edit"
CLAIM = "Claim"
SHARE = "Share in channel"
DELETE = "Delete"
DELETE_MENU = "Delete…"
SET_STATUS = "Set status"
PREVIOUS = "Previous"
NEXT = "Next"
RETRY = "Retry"
ADD_LEAD = "New lead"
CONFIRM_DELETE_TITLE = "Delete this lead?"
CONFIRM_DELETE = "Delete lead {lead_id} ({title})? This can't be undone."
KEEP_IT = "Keep it"
SHARED = "Shared lead {lead_id} in the channel."
OLD_BUTTON = (
    "leadbot can't tell what that button was for: it may be from an older leadbot message. "
    "Run the command again, e.g. `/leads list`."
)

# The create / edit form (its labels and placeholders are in leads/form.py FIELDS) and its answers.
NEW_LEAD_TITLE = "New lead"
EDIT_LEAD_TITLE = "Edit lead"
CREATE = "Create"
SAVE = "Save"
CANCEL = "Cancel"
CLOSE = "Close"
DUPLICATE_TITLE = "Possible duplicate"
CREATE_ANYWAY = "Create anyway"
MORE_DUPLICATES = "…and {count} more."
HINT_CONTACT = "An email or a phone number is needed."
HINT_PHONE = "UK or international (+…) number."
HINT_COORDINATES = "Decimal degrees; give both or neither."
DONE = ":white_check_mark: {words}"


# --- Team: rota, territories, away (issue 11) ---
# {user}, {users} and {before} are mentions (blocks/team.py mention), checked before they are made.
# Usage mistakes (grammar Reason.ROTA_USAGE … AWAY_DAY_PASSED).
ROTA_USAGE_PROBLEM = (
    "The rota commands are `/leads rota`, `/leads rota add @person …` and `/leads rota remove @person …`."
)
NOT_A_PERSON = "`{text}` isn't a person: mention them with @, e.g. `@sam`."
TERRITORY_USAGE_PROBLEM = "The territory commands are `/leads territory`, `/leads territory CB @person` and `/leads territory remove CB`."
BAD_TERRITORY = (
    "`{text}` isn't a postcode area or district: give an area such as CB, or a district such as PE19 or EC1A."
)
AWAY_USAGE_PROBLEM = (
    "leadbot can't read `{text}` as time away: try `2h`, `30m`, `until 17:00`, `until tomorrow`, `until mon` "
    "or `until 2026-12-24`."
)
AWAY_TOO_LONG = (
    "You can be marked away for at most {days} days; for longer, use `/leads away` and `/leads back`."
)
AWAY_DAY_PASSED = "`{text}` isn't after today: give a later day, or `until 17:00` for later today."
TEAM_NOT_ADMIN = (
    "Only leadbot admins (LEADBOT_ADMINS) can see and change the rota and territories: ask one of them."
)
# /leads rota
ROTA_HEADING = "*The rota*, in turn order:"
ROTA_EMPTY = "The rota is empty: add people with `/leads rota add @person`."
ROTA_ROW = "{position}. {user} — {presence}"
ROUTING_NOW = "LEADBOT_ROUTING is `{routing}`."
ROUTING_CLAIM_NOTE = (
    "LEADBOT_ROUTING is `claim`: leads go to whoever claims them, so the rota and territories wait unused."
)
PRESENCE_AVAILABLE = "available now"
PRESENCE_AWAY_UNTIL = "away until {when}"
PRESENCE_AWAY = "away until they say they're back"
PRESENCE_DND = "on Do Not Disturb until {when}"
PRESENCE_OUTSIDE_HOURS = "outside working hours (they open {when})"
ROTA_ADDED = "Added to the end of the rota: {users}."
ROTA_ALREADY = "Already on the rota: {users}."
ROTA_REMOVED = "Taken off the rota: {users}."
ROTA_NOT_ON = "Not on the rota: {users}."
# /leads territory
TERRITORIES_HEADING = "*Territories* (a district such as PE19 beats its area PE):"
TERRITORIES_EMPTY = "No territories yet: set one with `/leads territory CB @person`."
TERRITORY_ROW = "`{prefix}` → {user}"
TERRITORY_SET = "Leads in `{prefix}` now go to {user} (nobody had it before)."
TERRITORY_SET_BEFORE = "Leads in `{prefix}` now go to {user} (before: {before})."
TERRITORY_UNCHANGED = "Leads in `{prefix}` already go to {user}."
TERRITORY_REMOVED = (
    "`{prefix}` is no longer anyone's territory (it was {before}'s): its leads go round the rota."
)
TERRITORY_NOT_SET = "`{prefix}` wasn't anyone's territory, so nothing changed."
# /leads away, /leads back
AWAY_UNTIL = "You're away until {when}. Routing and reminders skip you; /leads back to return."
AWAY_UNTIL_BACK = (
    "You're away until you say you're back. Routing and reminders skip you; /leads back to return."
)
BACK = "Welcome back: routing and reminders include you again."
NOT_AWAY = "You weren't away: routing and reminders already include you."
WHEN_TODAY = "{time} today"
USAGE_TEAM: dict[str, tuple[str, str, str]] = {
    "rota": (
        "rota [add|remove @person …]",
        "(admins) the rota, who is available now; add or remove people",
        "/leads rota add @sam @ann",
    ),
    "territory": (
        "territory [CB @person | remove CB]",
        "(admins) postcode areas and districts → who gets their leads",
        "/leads territory PE19 @sam",
    ),
    "away": (
        "away [2h | until 17:00 | until tomorrow | until mon | until 2026-12-24]",
        "routing and reminders skip you until then (or until back)",
        "/leads away until tomorrow",
    ),
    "back": ("back", "routing and reminders include you again", "/leads back"),
}
USAGE = {
    **{name: line for name, line in USAGE.items() if name != "help"},
    **USAGE_TEAM,
    "help": USAGE["help"],
}
# --- Cards: ownership and contact (issue 11) ---
# The owner and clock line (blocks/owners.py clock_line) on cards, list rows and digest rows.
CLOCK_UNCLAIMED = "Unclaimed"
CLOCK_OWNER = "Owner: {user}"
CLOCK_WAITING = "⏱ {minutes}"
CLOCK_STEP = "⏱ {minutes}, {step}"
CLOCK_OUT_OF_HOURS = "arrived out of hours · clock starts {when}"
CLOCK_STARTS = "clock starts {when}"
CLOCK_ONE_ATTEMPT = "1 attempt"
CLOCK_ATTEMPTS = "{count} attempts"
CLOCK_FIRST_CONTACT = "first contact after {minutes}"
CLOCK_REACHED = "reached"
CLOCK_CLOSED = "closed"
# Ladder steps (routing/sla.py StepKind) as the card says them.
CLOCK_STEPS = {"nudge": "nudged", "escalate": "escalated", "reassign": "reassigned"}
# The card's ownership and contact controls.
UNCLAIM = "Unclaim"
REASSIGN = "Reassign…"
LOG_CONTACT = "Log contact"
CLOSE_LEAD = "Close lead"
KEEP_TRYING = "Keep trying"
CONTACT_OUTCOMES = {
    "spoke": "Called — spoke",
    "no_answer": "No answer",
    "voicemail": "Voicemail",
    "emailed": "Emailed",
    "texted": "Texted",
}
# What people are told after using them.
NOT_YOURS_TO_CHANGE = (
    "Lead {lead_id} is owned by {owner}: only they, an admin or a manager (LEADBOT_MANAGERS) can unclaim or "
    "reassign it."
)
NOT_YOURS_TO_LOG = (
    "Lead {lead_id} is owned by {owner}: only they, an admin or a manager (LEADBOT_MANAGERS) can log contact "
    "on it. Ask them, or ask to have it reassigned to you."
)
NOT_OWNED = "Nobody owns lead {lead_id} now, so there is nothing to unclaim or reassign."
OWNER_CHANGED = "Lead {lead_id} changed hands meanwhile: it is now {owner}'s. Nothing was changed; look at the card again."
OWNER_NOBODY = "nobody"
UNCLAIMED_DONE = "You unclaimed lead {lead_id}: it is unowned again."
REASSIGNED_DONE = "Lead {lead_id} is now <@{user}>'s; they'll get a message with the card."
REASSIGN_TITLE = "Reassign lead"
REASSIGN_SUBMIT = "Reassign"
REASSIGN_LABEL = "Give lead {lead_id} to"
REASSIGN_NOW = "Owner now: {owner}."
REASSIGN_TO_BOT = "That's a bot: pick a person to call this customer."
REASSIGN_TO_SELF = "You already own this lead: pick someone else."
REASSIGN_SAME = "They already own this lead: pick someone else."
REASSIGN_UNKNOWN = "leadbot can't find that person in Slack: pick someone else."
LOGGED = "Logged: {outcome} (attempt {attempt})."
LOGGED_RETRY = "Logged: {outcome} (attempt {attempt}). I'll remind you to try again at {when}."
LOGGED_CLAIMED = "You own lead {lead_id} now."
ATTEMPTS_QUESTION = (
    "That's {count} attempts on lead {lead_id} ({title}). Close it, or keep trying? "
    "Closed leads get no more reminders."
)
CLOSED_DONE = "Closed lead {lead_id}: no more reminders for it."
KEPT_DONE = "Keeping lead {lead_id} open: log the next attempt on its card."
CONTACT_UNKNOWN = "Lead {lead_id} isn't one leadbot alerted, so leadbot keeps no owner or clock for it."

# --- Reports and lead history (issue 12, item 3: /leads report, /leads history, the weekly report) ---
USAGE_REPORTS: dict[str, tuple[str, str, str]] = {
    "report": (
        "report [7d | 30d | month | YYYY-MM]",
        "speed to lead: leads in, time to claim and to first call, by person and source (default 7d)",
        "/leads report month",
    ),
    "history": ("history ID", "everything that happened to one lead, and who did it", "/leads history ID"),
}
USAGE = {
    **{name: line for name, line in USAGE.items() if name != "help"},
    **USAGE_REPORTS,
    "help": USAGE["help"],
}
REPORT_USAGE_PROBLEM = (
    "The report command is `/leads report` with at most one period: 7d, 30d, month or YYYY-MM."
)
BAD_REPORT_PERIOD = (
    "`{text}` isn't a period leadbot knows: use 7d, 30d (or any number of days up to 366), month, "
    "or a month such as 2026-03 (not in the future)."
)
SET_ASIDE_WHAT["report"] = "the weekly report"
# Periods as a report's heading names them.
REPORT_LAST_DAYS = "last {days} days"
REPORT_THIS_MONTH = "{month} so far"
REPORT_MONTH = "{month}"
REPORT_WEEK = "the week to {day}"
# The report (blocks/reports.py build_report).
REPORT_HEADER = "Speed to lead: {period}"
REPORT_FALLBACK = (
    "Speed to lead, {period}: {leads} leads in, {contacted} contacted, median first contact {median}."
)
REPORT_SPAN = "{first} – {last}, in working time ({zone})"
REPORT_EMPTY = "No leads arrived in this period."
REPORT_TOTALS = "*{leads}* leads in · *{owned}* owned · *{contacted}* contacted"
REPORT_CLAIM = "*Time to claim*\nmedian {median} · 90% within {p90}"
REPORT_CONTACT = "*Time to first contact*\nmedian {median} · 90% within {p90}"
REPORT_WITHIN = "*Contacted within 5 min*\n{five} · within 1 h {hour}"
REPORT_PROGRESS = "*Progress*\nQuote {quote} · Sale {sale}"
REPORT_SHARE = "{share}% ({count} of {total})"
REPORT_NONE = "—"
REPORT_BY_PERSON = "*By person* (owner now)"
REPORT_BY_SOURCE = "*By source*"
REPORT_ROW = "{name}: {leads} in · {contacted} contacted · median first contact {median} · {five} within 5 min · Quote {quote} · Sale {sale}"
REPORT_UNOWNED = "Unowned"
REPORT_MORE_ROWS = "…and {count} more."
REPORT_NOTE = (
    "Times count working minutes only (LEADBOT_HOURS). Shares are of all leads in; Quote and Sale count "
    "leads whose status moved there."
)
REPORT_SOURCE_SLACK = "Slack"
REPORT_SOURCE_UNKNOWN = "Unknown"
# The chart (reports/chart.py) and its upload.
CHART_TITLE_CONTACT = "Time to first contact per day (median, working minutes)"
CHART_TITLE_SOURCES = "Leads by source"
CHART_TARGET = "5-minute target"
CHART_MINUTES = "working minutes"
CHART_MEDIAN = "median"
CHART_LEADS = "leads"
CHART_NO_DATA = "no leads"
CHART_FILE_TITLE = "Speed to lead: {period}"
CHART_COMMENT = "Speed to lead, {period} (asked by <@{user}>)."
CHART_WEEKLY_COMMENT = "The week's chart."
CHART_SKIPPED = (
    "The chart couldn't be posted in this channel ({error}): invite leadbot here (`/invite @leadbot`) "
    "or run `/leads report` in a channel it is in. The figures above are complete."
)
# /leads history (blocks/reports.py build_history).
HISTORY_HEADER = "History of lead {lead_id}"
HISTORY_FALLBACK = "History of lead {lead_id}: {count} events."
HISTORY_EMPTY = "leadbot has no history for lead {lead_id}: it hasn't seen or alerted it."
HISTORY_ROW = "`{when}` {what} — {who}"
HISTORY_MORE = "…and {count} earlier events not shown."
HISTORY_BY_LEADBOT = "leadbot"
HISTORY_BY_HEATPUNK = "in Heatpunk"
HISTORY_EVENTS = {
    "arrived": "Arrived",
    "assigned": "Assigned to {after}",
    "created": "Created in Slack, owned by {after}",
    "claimed": "Claimed by {after}",
    "unclaimed": "Unclaimed (was {before})",
    "reassigned": "Passed from {before} to {after}",
    "nudged": "Owner nudged after {minutes}",
    "escalated": "Escalated to managers after {minutes}",
    "closed": "Closed for reminders",
    "kept": "Kept open after the last attempt",
    "retry_reminded": "Owner reminded to try again",
    "retry_skipped": "Retry reminder skipped (owner away or none)",
    "status": "Status {before_status} → {after_status}",
}
HISTORY_CONTACT = "Contact logged: {outcome}"
HISTORY_OTHER = "{kind}"
HISTORY_ALERTS = {
    "new": "Alert posted in <#{channel}>",
    "digest": "Listed in a digest in <#{channel}>",
    "changed": "Change noted in the card's thread",
    "deleted": "Deletion noted in the card's thread",
    "dm": "Direct message sent ({reason})",
}
HISTORY_AUDIT = "Changed through leadbot ({action}): {fields}"
HISTORY_AUDIT_STATUS = "Status set to {status} through leadbot"
HISTORY_NO_STATUS = "none"
# --- Leads from a message: the message shortcut and the New lead shortcut (issue 13) ---
READ_NAME = "name"
READ_EMAIL = "email"
READ_PHONE = "phone"
READ_ADDRESS = "address"
READ_POSTCODE = "postcode"
READ_ALL = "Read {read} from the message."
READ_SOME = "Read {read} from the message; no {missing} found."
READ_NOTHING = "Found no name, email, phone, address or postcode in the message: type them in."
READ_TOOK_MOBILE = "Took the mobile {phone} (also there: {others})."
READ_TOOK_FIRST = "Took the first number, {phone} (also there: {others})."
READ_INTERNATIONAL = "The number isn't a UK one: kept as written."
READ_TOOK_POSTCODE = "Took {postcode}, the postcode by the address (also there: {others})."
READ_SIGNATURE_SKIPPED = "Left out the sender's own details (signature or email header)."
FROM_MESSAGE_CONTEXT = ":mag: {notes} Check before creating."
FROM_MESSAGE_EMPTY = (
    "That message has no text to read a lead from (an image or a file only?): type the lead in."
)
FROM_MESSAGE_REPLY = "{creator} created lead {lead_id} from this message: *{title}*. `/leads show {lead_id}`"
FROM_MESSAGE_DM = (
    "You created lead {lead_id} (*{title}*) from a message in {channel}. leadbot can't post in that "
    "conversation, so here it is: `/leads show {lead_id}`"
)
SHORTCUT_MESSAGE_NAME = "Create lead from message"
SHORTCUT_GLOBAL_NAME = "New lead"
FROM_MESSAGE_SOMEWHERE = "a conversation"
# --- The call sheet and wording (issue 12, items 1 and 4) ---
# Known undocumented fields Heatpunk sends, in people's words (API name → label); the rest show under More.
FIELD_LABELS = {
    "projectType": "Project",
    "propertyType": "Property",
    "notes": "Notes",
    "message": "Message",
    "comments": "Comments",
    "projectName": "Project name",
    "crmReference": "CRM reference",
    "buildDate": "Built",
    "roofType": "Roof",
    "budget": "Budget",
    "bestTimeToCall": "Best time to call",
}
SHEET_PHONE = ":telephone_receiver: {phone}"
SHEET_NO_PHONE = ":telephone_receiver: no phone number"
SHEET_AREA = ":round_pushpin: {area}"
SHEET_STATUS = "Status: {status}"
SHEET_SOURCE = "Source: {source}"
SHEET_LEAD_ID = "Lead {lead_id}"
SHEET_MORE = "More"
SHEET_MORE_FIELDS = "…and {count} more fields than Slack can show."
SHEET_DELETED = ":wastebasket: ~{title}~ — *Deleted in Heatpunk*"
SHEET_NEW = ":new: New lead"
SOURCE_API = "Heatpunk API"  # origin `api` without a record of who added it in Slack
SOURCE_IN_SLACK_BY = "Added in Slack by {user}"
# What utm_source / utm_medium values are called (anything else: capitalised as it comes).
SOURCE_NAMES = {
    "facebook": "Facebook",
    "fb": "Facebook",
    "instagram": "Instagram",
    "ig": "Instagram",
    "google": "Google",
    "bing": "Bing",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "twitter": "X",
    "x": "X",
    "newsletter": "Newsletter",
    "email": "Email",
}
MEDIUM_NAMES = {
    "cpc": "ads",
    "ppc": "ads",
    "paid": "ads",
    "paid_social": "ads",
    "paidsocial": "ads",
    "display": "ads",
    "email": "email",
    "organic": "organic",
    "referral": "referral",
}
CHANGED_NOTE = "*{title}* changed:"
CHANGE_BY = "• {label} → {after} by {user} (was {before})"
CHANGE_IN_HEATPUNK = "• {label} → {after} in Heatpunk (was {before})"
DID_YOU_MEAN_STATUS = "Did you mean `{status}`?"
# --- Workflow Builder steps (issue 13, items 3 and 4: listeners/steps.py). Plain text: a workflow shows a
# step's error and outputs as they are (no mrkdwn). ---
STEP_NO_USER = (
    "This step needs a person to act as: set its “Acting user” to the person who used this workflow."
)
STEP_NOT_A_USER = "The step's “Acting user” isn't a Slack member: set it to a person."
STEP_INVALID = "leadbot can't create this lead: {problems}"
STEP_PROBLEM = "{field}: {problem}"
STEP_BAD_LEAD_ID = "“{lead_id}” isn't a lead ID (1-40 letters, digits, - or _, like 1234)."
STEP_UNKNOWN_STATUS = "“{status}” isn't one of the statuses leadbot knows: {choices}."
STEP_DID_YOU_MEAN = " Did you mean {status}?"
STEP_FIND_NEEDS_TEXT = (
    "Find leads needs at least {min} characters to look for: a name, email, phone or postcode."
)
STEP_CREATED = "Lead {lead_id}: {name}{where}, created by leadbot for {email}."
STEP_STATUS_SET = "Lead {lead_id} is now {status} (was {before})."
STEP_STATUS_UNCHANGED = "Lead {lead_id} is already {status}."
STEP_MATCH = "{lead_id} · {name} · {place} · {status}"
STEP_NO_NAME = "(no name)"
STEP_NO_PLACE = "(no postcode)"

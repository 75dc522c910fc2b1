"""Action, callback and block IDs: the one vocabulary shared by listeners and Block Kit builders."""

from __future__ import annotations

# Slash command.
COMMAND = "/leads"

# Buttons and menus on lead cards, lists and alerts (action_id).
OPEN_LEAD = "lead_open"
EDIT_LEAD = "lead_edit"
SET_STATUS = "lead_set_status"
DELETE_LEAD = "lead_delete"
SHARE_LEAD = "lead_share"
CLAIM_LEAD = "lead_claim"
ALERT_MENU = "alert_menu"
PAGE_PREVIOUS = "list_page_previous"
PAGE_NEXT = "list_page_next"
RETRY = "command_retry"

# Modals (callback_id).
CREATE_VIEW = "lead_create"
EDIT_VIEW = "lead_edit_view"
CONFIRM_CREATE_VIEW = "lead_create_anyway"
MESSAGE_VIEW = "leadbot_message"

# Input blocks in the create / edit modal: block_id and action_id are the same word (leads/form.py FIELDS).
NAME_INPUT = "customer_name"
EMAIL_INPUT = "customer_email"
PHONE_INPUT = "customer_phone"
ADDRESS_INPUT = "address"
POSTCODE_INPUT = "postcode"
LAT_INPUT = "lat"
LNG_INPUT = "lng"

# Other block IDs; a lead's ID is appended after BLOCK_SEPARATOR where one message holds several leads.
BLOCK_SEPARATOR = "|"
LEAD_ACTIONS_BLOCK = "lead_actions"
PAGE_BLOCK = "list_paging"
RETRY_BLOCK = "retry"

# Message metadata type on every new-lead alert, for reconciliation after a crash.
ALERT_EVENT_TYPE = "lead_alert"


def block_id(base: str, lead_id: str) -> str:
    """A block ID unique per lead within one message."""
    return f"{base}{BLOCK_SEPARATOR}{lead_id}"


# Alerts (added by the alerts helper): the alert card, digest, notes and notices.
ALERT_STATE_BLOCK = "alert_state"
ALERT_ACTIONS_BLOCK = "alert_actions"
ALERT_NOTE_BLOCK = "alert_note"
ALERT_NOTICE_BLOCK = "alert_notice"
DIGEST_HEADING_BLOCK = "digest_heading"
DIGEST_LEAD_BLOCK = "digest_lead"
DIGEST_CLAIM_BLOCK = "digest_claim"
# Message metadata type on thread notes under an alert (changed / deleted), for reconciliation.
ALERT_NOTE_EVENT_TYPE = "lead_alert_note"

# The ladder, reminders and working mornings (blocks/reminders.py).
REMINDER_BLOCK = "reminder"
REMINDER_FIELDS_BLOCK = "reminder_fields"
REMINDER_ACTIONS_BLOCK = "reminder_actions"
REMINDER_NOTE_BLOCK = "reminder_note"
MORNING_HEADING_BLOCK = "morning_heading"
MORNING_LEAD_BLOCK = "morning_lead"
MORNING_MORE_BLOCK = "morning_more"
STALE_BLOCK = "stale"
# Message metadata type on the ladder's DMs, notes and the morning digest, for reconciliation.
REMINDER_EVENT_TYPE = "lead_reminder"

# App Home.
NEW_LEAD = "lead_new"
HOME_BLOCK = "home_actions"
HOME_LEAD_BLOCK = "home_lead"
HOME_DUE_BLOCK = "home_due"
HOME_FOUND_BLOCK = "home_found"
HOME_SEARCH_BLOCK = "home_search"
HOME_SEARCH = "home_search"

# --- Cards: ownership and contact (issue 11) ---
UNCLAIM_LEAD = "lead_unclaim"
REASSIGN_LEAD = "lead_reassign"
LOG_CONTACT = "lead_log_contact"
CLOSE_LEAD = "lead_close"
KEEP_TRYING = "lead_keep_trying"
REASSIGN_VIEW = "lead_reassign_view"  # the Reassign… modal (callback_id)
REASSIGN_INPUT = "reassign_to"  # its users_select: block_id and action_id
OWNER_STATE_BLOCK = "owner_state"  # the owner and clock line on a /leads show card
OWNER_ACTIONS_BLOCK = "owner_actions"  # Claim / Unclaim / Reassign… / Log contact on a /leads show card
ATTEMPTS_BLOCK = "attempts_question"  # Close lead / Keep trying after the last attempt

# --- Reports and lead history (issue 12, item 3) ---
REPORT_HEADER_BLOCK = "report_header"
REPORT_TOTALS_BLOCK = "report_totals"
REPORT_FIGURES_BLOCK = "report_figures"
REPORT_PEOPLE_BLOCK = "report_people"
REPORT_SOURCES_BLOCK = "report_sources"
REPORT_NOTE_BLOCK = "report_note"
REPORT_CHART_BLOCK = "report_chart"  # the line saying why the chart was skipped
HISTORY_HEADER_BLOCK = "history_header"
HISTORY_ROWS_BLOCK = "history_rows"
REPORT_CHART_FILENAME = "speed-to-lead.png"
# --- Leads from a message: shortcuts (issue 13) ---
LEAD_FROM_MESSAGE = "lead_from_message"  # the message shortcut (callback_id)
NEW_LEAD_SHORTCUT = "lead_new_shortcut"  # the global shortcut (callback_id)
FORM_CONTEXT_BLOCK = "form_context"  # what the form was filled from, above its inputs
FROM_MESSAGE_BLOCK = "from_message"  # the thread reply (or DM) linking the lead made from a message
# --- The call sheet (issue 12, items 1 and 4) ---
SHEET_HEADER_BLOCK = "sheet_header"  # the customer's name
SHEET_CALL_BLOCK = "sheet_call"  # phone, area, project, age: what decides the call
SHEET_NOTES_BLOCK = "sheet_notes"  # the customer's notes, quoted
SHEET_DETAILS_BLOCK = "sheet_details"  # email, address, known fields
SHEET_MORE_BLOCK = "sheet_more"  # unknown fields (More), one or more sections
SHEET_FACTS_BLOCK = "sheet_facts"  # status, source, lead ID, map
# --- Workflow Builder steps (issue 13, items 3 and 4: listeners/steps.py, the manifest's `functions`) ---
STEP_CREATE_LEAD = "create_lead"  # the steps' callback_ids, as declared under `functions` in manifest.yml
STEP_SET_STATUS = "set_lead_status"
STEP_FIND_LEADS = "find_leads"
STEP_ACTING_USER = "acting_user"  # every step's slack#/types/user_id input: the person it acts as
STEP_NAME = "customer_name"  # Create a lead's inputs
STEP_EMAIL = "customer_email"
STEP_PHONE = "customer_phone"
STEP_ADDRESS = "address"
STEP_POSTCODE = "postcode"
STEP_LEAD_ID = "lead_id"  # Set a lead's status's inputs (and Create a lead's output)
STEP_STATUS = "status"
STEP_TEXT = "text"  # Find leads's input
STEP_SUMMARY = "summary"  # outputs
STEP_MATCHES = "matches"
STEP_COUNT = "count"

"""Hypothesis strategies for everything that enters leadbot from Slack: valid envelopes with hostile leaves
(text with lone surrogates, RTL overrides, NUL, mentions, huge or deeply nested values), and broken ones.

Envelopes come from tests/fakes/slack_requests.py, so a "valid" payload is exactly what Slack sends; the
strategies only swap its leaves (or, for broken envelopes, its structure) for hostile ones.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from leadbot import ids
from leadbot.blocks import values
from leadbot.leads import grammar
from leadbot.leads.form import BLOCK_IDS, FormMemory

# Lead IDs the fuzz world's simulator holds (seeded 1001-1060), so clicks reach past "not found".
KNOWN_LEADS = ("1001", "1002", "1030", "1060")
# Users the fuzz world knows (with and without an email), and the admin.
KNOWN_USERS = ("U0SALES1", "U0ADMIN1", "U0STAND1", "U0HIDDEN", "U0OUTSDR")

# ---- text

TRICKY = (
    "",
    " ",
    "\x00",
    "\ud83d",  # half an emoji: a lone surrogate, as JSON "\ud83d" carries it
    "Eve \udc80",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width
    "a\r\nb\n• fake row",
    "<!channel> <!here> <@U0ADMIN1> <http://evil|innocent>",
    "&lt;&amp;&gt;",
    "%s %(x)s {0} {name}",
    "None",
    "null",
    "1e309",
    "NaN",
    "-0",
    "0001-01-01",
    "9999-12-31",
    "9" * 400,
    "ﷺ" * 100,
    "𝕏" * 50,
    "\\",
    '"',
    "'; DROP TABLE leads; --",
)

any_character = st.characters(codec=None, exclude_categories=())  # every code point, surrogates included


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Short text from every corner of Unicode, the tricky strings above, and now and then a huge one."""
    huge = st.builds(
        lambda piece, times: piece * times, st.sampled_from(TRICKY[1:]), st.integers(1_000, 40_000)
    )
    return st.one_of(
        st.sampled_from(TRICKY),
        st.text(any_character, max_size=max_size),
        st.builds("".join, st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4)),
        huge,
    )


def lead_ids() -> st.SearchStrategy[str]:
    """Known leads, unknown well-formed IDs, and anything else."""
    return st.one_of(
        st.sampled_from(KNOWN_LEADS),
        st.from_regex(grammar.LEAD_ID, fullmatch=True),
        hostile_text(),
    )


def user_ids() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(KNOWN_USERS), st.from_regex(r"[UW][A-Z0-9]{2,11}", fullmatch=True), hostile_text()
    )


# ---- JSON leaves and trees

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text(12), inner, max_size=4),
    max_leaves=12,
)


def nested(depth: int) -> Any:
    """A list inside a list … `depth` deep: Python's json reader recurses once per level."""
    return json.loads("[" * depth + "]" * depth)


# Deeper than the interpreter's recursion limit can crash a worker thread with a small C stack (pytest-xdist).
deep_values = st.integers(100, 900).map(nested)


# ---- slash commands

command_words = st.sampled_from(
    (
        *grammar.SUBCOMMANDS,
        "list 3d",
        "list 9999w",
        "list 0001-01-01",
        "list 9999-12-31",
        "find",
        "status 1001",
        "status 1001 Quote",
        "admin map <@U0STAND1>",
        "admin map <@U0STAND1> x@example.com",
        "admin unmap <@U0STAND1>",
        "admin map",
    )
)


def command_texts() -> st.SearchStrategy[str]:
    """What people type after `/leads`: subcommands with hostile arguments, and anything at all."""
    return st.one_of(
        st.builds(lambda word, rest: f"{word} {rest}", command_words, hostile_text()),
        st.builds(lambda word, lead: f"{word} {lead}", st.sampled_from(grammar.SUBCOMMANDS), lead_ids()),
        hostile_text(),
    )


def form_encoded(fields: dict[str, Any]) -> str:
    """A form body as Slack POSTs it: UTF-8 percent-encoded (a lone surrogate as the bytes it would be)."""
    return "&".join(
        f"{quote(str(name), safe='')}={quote(str(value).encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in fields.items()
    )


# ---- button and menu values


def commands_in_values() -> st.SearchStrategy[grammar.Command]:
    """Commands as buttons carry them (Retry, Previous / Next), with hostile leaves."""
    days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    return st.one_of(
        st.just(grammar.Help()),
        st.builds(grammar.ListLeads, days),
        st.builds(grammar.FindLeads, hostile_text()),
        st.builds(grammar.ShowLead, lead_ids()),
        st.just(grammar.CreateLead()),
        st.builds(grammar.EditLead, lead_ids()),
        st.builds(grammar.SetStatus, lead_ids(), hostile_text()),
        st.builds(grammar.DeleteLead, lead_ids()),
        st.just(grammar.WhoAmI()),
        st.builds(grammar.MapEmail, user_ids(), hostile_text()),
        st.builds(grammar.UnmapEmail, user_ids()),
    )


def typed_values() -> st.SearchStrategy[str]:
    """Values of the right shape (as leadbot's builders write them) with hostile leaves."""
    lead_button = st.builds(values.OpenButton, lead_ids())
    return st.one_of(
        lead_button.map(lambda button: button.to_value()),
        st.builds(values.StatusOption, lead_ids(), hostile_text()).map(lambda option: option.to_value()),
        st.builds(values.AlertDeleteOption, lead_ids()).map(lambda option: option.to_value()),
        st.builds(lambda lead, status: f"{lead}|{status}", lead_ids(), hostile_text()),  # legacy menus
        st.builds(lambda lead: f"delete|{lead}", lead_ids()),
        st.builds(values.RetryButton, commands_in_values()).map(lambda button: button.to_value()),
        st.builds(
            lambda query, page: json.dumps({"q": values.command_data(query), "p": page}),
            commands_in_values(),
            st.one_of(st.integers(-5, 10**30), json_scalars),
        ),
    )


def action_values() -> st.SearchStrategy[Any]:
    """Anything a button's value or a menu option's value could hold."""
    return st.one_of(
        typed_values(),
        json_values.map(json.dumps),
        json_values,  # not even a string
        deep_values.map(json.dumps),
        hostile_text(),
    )


# Every action ID leadbot listens to, and one it doesn't.
ACTION_IDS = (
    ids.OPEN_LEAD,
    ids.EDIT_LEAD,
    ids.SET_STATUS,
    ids.DELETE_LEAD,
    ids.SHARE_LEAD,
    ids.CLAIM_LEAD,
    ids.ALERT_MENU,
    ids.PAGE_PREVIOUS,
    ids.PAGE_NEXT,
    ids.RETRY,
    ids.NEW_LEAD,
    "not_an_action_of_leadbots",
)
ACTION_TYPES = ("button", "static_select", "overflow")


# ---- view submissions

CALLBACK_IDS = (ids.CREATE_VIEW, ids.EDIT_VIEW, ids.CONFIRM_CREATE_VIEW, ids.MESSAGE_VIEW, "not_a_view")


def state_values() -> st.SearchStrategy[dict[str, Any]]:
    """The state of one input element, of every type Block Kit has, or nonsense."""
    text = hostile_text()
    option = st.fixed_dictionaries({"text": st.just({"type": "plain_text", "text": "x"}), "value": text})
    return st.one_of(
        st.builds(lambda v: {"type": "plain_text_input", "value": v}, st.one_of(text, st.none())),
        st.builds(lambda v: {"type": "plain_text_input", "value": v}, json_values),
        st.builds(lambda v: {"type": "email_text_input", "value": v}, text),
        st.builds(lambda v: {"type": "url_text_input", "value": v}, text),
        st.builds(lambda v: {"type": "number_input", "value": v}, text),
        st.builds(lambda v: {"type": "static_select", "selected_option": v}, st.one_of(option, st.none())),
        st.builds(
            lambda v: {"type": "multi_static_select", "selected_options": v}, st.lists(option, max_size=3)
        ),
        st.builds(lambda v: {"type": "datepicker", "selected_date": v}, text),
        st.builds(lambda v: {"type": "timepicker", "selected_time": v}, text),
        st.builds(lambda v: {"type": "checkboxes", "selected_options": v}, st.lists(option, max_size=3)),
        st.builds(lambda v: {"type": "radio_buttons", "selected_option": v}, option),
        st.builds(lambda v: {"type": "users_select", "selected_user": v}, user_ids()),
        st.builds(lambda v: {"type": "conversations_select", "selected_conversation": v}, text),
        st.builds(lambda v: {"type": "rich_text_input", "rich_text_value": v}, json_values),
        st.dictionaries(hostile_text(12), json_values, max_size=3),
    )


def view_states() -> st.SearchStrategy[Any]:
    """view.state.values: the form's blocks (as Slack nests them) with any element state, or any tree."""
    block_ids = st.one_of(st.sampled_from(BLOCK_IDS), hostile_text(12))
    well_nested = st.dictionaries(
        block_ids,
        st.dictionaries(block_ids, state_values(), min_size=1, max_size=2),
        max_size=len(BLOCK_IDS) + 1,
    )
    return st.one_of(well_nested, json_values)


def form_texts() -> st.SearchStrategy[dict[str, str]]:
    """Block ID → text, for each of the form's inputs (some left out)."""
    return st.dictionaries(st.sampled_from(BLOCK_IDS), hostile_text(), max_size=len(BLOCK_IDS))


def response_urls(issued: str) -> st.SearchStrategy[Any]:
    """A response URL as a modal remembers it: the one issued, none, or one that goes nowhere (all local)."""
    return st.one_of(
        st.just(issued),
        st.none(),
        st.sampled_from(("", "not a url", "http://127.0.0.1:1/closed", "ftp://127.0.0.1/x")),
        hostile_text(20),
    )


def private_metadata(issued_url: str) -> st.SearchStrategy[str]:
    """What a modal remembers: FormMemory's own text with hostile leaves, any JSON, or garbage."""
    memory = st.builds(
        FormMemory,
        lead_id=st.one_of(st.none(), lead_ids()),
        response_url=response_urls(issued_url),
        channel_id=st.one_of(st.none(), hostile_text(12)),
        original=form_texts(),
        typed=st.one_of(st.none(), form_texts()),
    )
    return st.one_of(
        memory.map(lambda m: m.to_text()),
        json_values.map(json.dumps),
        deep_values.map(json.dumps),
        hostile_text(),
    )


# ---- events

EVENT_TYPES = ("app_home_opened", "message", "app_mention", "app_uninstalled", "tokens_revoked", "team_join")


def events() -> st.SearchStrategy[dict[str, Any]]:
    """An event as the Events API wraps it: app_home_opened (the one leadbot handles) and others."""
    home = st.fixed_dictionaries(
        {"type": st.just("app_home_opened"), "user": st.one_of(user_ids(), json_values)},
        optional={
            "tab": st.one_of(st.sampled_from(("home", "messages", "about")), json_values),
            "channel": hostile_text(12),
            "view": json_values,
            "event_ts": hostile_text(12),
        },
    )
    other = st.fixed_dictionaries(
        {"type": st.sampled_from(EVENT_TYPES)},
        optional={"user": user_ids(), "text": hostile_text(), "channel": hostile_text(12)},
    )
    return st.one_of(home, other, st.dictionaries(hostile_text(12), json_values, max_size=4))


# ---- broken envelopes (signed, so they reach Bolt and leadbot's middleware)


def broken_payloads() -> st.SearchStrategy[Any]:
    """What could sit in `payload=`: any JSON tree, a known type with its parts missing or of the wrong kind."""
    kinds = st.sampled_from(("block_actions", "view_submission", "view_closed", "shortcut", "message_action"))
    mangled = st.fixed_dictionaries(
        {"type": kinds},
        optional={
            "user": json_values,
            "actions": st.one_of(json_values, st.lists(json_values, max_size=2)),
            "view": json_values,
            "channel": json_values,
            "container": json_values,
            "response_url": json_values,
            "trigger_id": json_values,
            "callback_id": json_values,
            "team": json_values,
            "state": json_values,
            "message": json_values,
        },
    )
    return st.one_of(mangled, st.dictionaries(hostile_text(12), json_values, max_size=4))


def unreadable_payloads() -> st.SearchStrategy[Any]:
    """A payload that is no JSON object at all, or nested deeper than Python's reader goes."""
    return st.one_of(json_values.filter(lambda value: not isinstance(value, dict)), deep_values)

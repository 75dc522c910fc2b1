"""Block Kit limits as Slack enforces them, so the fake Slack rejects what real Slack would reject."""

from __future__ import annotations

import json
from typing import Any

# (object kind, dotted path inside the object) -> longest string Slack accepts there; "*" is any kind.
MAX_CHARS: dict[tuple[str, str], int] = {
    ("section", "text.text"): 3000,
    ("field", "text"): 2000,
    ("header", "text.text"): 150,
    ("button", "text.text"): 75,
    ("button", "value"): 2000,
    ("button", "url"): 3000,
    ("option", "text.text"): 75,
    ("option", "value"): 150,
    ("input", "label.text"): 2000,
    ("input", "hint.text"): 2000,
    ("confirm", "title.text"): 100,
    ("confirm", "text.text"): 300,
    ("confirm", "confirm.text"): 30,
    ("confirm", "deny.text"): 30,
    ("*", "placeholder.text"): 150,
    ("*", "block_id"): 255,
    ("*", "action_id"): 255,
}

# (object kind, list field) -> most items Slack accepts in it.
MAX_ITEMS: dict[tuple[str, str], int] = {
    ("section", "fields"): 10,
    ("actions", "elements"): 25,
    ("context", "elements"): 10,
    ("overflow", "options"): 5,
    ("*", "options"): 100,
    ("*", "option_groups"): 100,
}

# View-level string limits (dotted path in the view) and blocks per surface.
VIEW_MAX_CHARS: dict[str, int] = {
    "title.text": 24,
    "submit.text": 24,
    "close.text": 24,
    "private_metadata": 3000,
    "callback_id": 255,
    "external_id": 255,
}
MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
MAX_VIEW_BYTES = 250_000

# Objects with no "type" of their own get their kind from the key that holds them.
_KIND_FROM_KEY = {
    "confirm": "confirm",
    "options": "option",
    "initial_options": "option",
    "initial_option": "option",
    "fields": "field",
}


def check_blocks(blocks: Any, *, surface: str = "message") -> list[str]:
    """Return Slack-style problems for a list of blocks on a surface (message, modal or home)."""
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    problems: list[str] = []
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        path = f"/blocks/{index}"
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"missing required field: type [json-pointer:{path}]")
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen:
                problems.append(f"duplicate block_id {block_id!r} [json-pointer:{path}/block_id]")
            seen.add(block_id)
        _check_object(block, path, str(block["type"]), problems)
    return problems


def check_view(view: Any) -> list[str]:
    """Return Slack-style problems for a modal or Home tab view."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return ["view.type must be modal or home [json-pointer:/view/type]"]
    problems: list[str] = []
    if len(json.dumps(view).encode()) > MAX_VIEW_BYTES:
        problems.append(f"view is larger than {MAX_VIEW_BYTES} bytes [json-pointer:/view]")
    if view["type"] == "modal" and not isinstance(view.get("title"), dict):
        problems.append("missing required field: title [json-pointer:/view/title]")
    for dotted, limit in VIEW_MAX_CHARS.items():
        value = _dig(view, dotted)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"must be less than {limit + 1} characters [json-pointer:/view/{_ptr(dotted)}]")
    blocks = view.get("blocks", [])
    problems += [
        p.replace("[json-pointer:", "[json-pointer:/view") for p in check_blocks(blocks, surface=view["type"])
    ]
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if view["type"] == "modal" and has_input and "submit" not in view:
        problems.append("a modal with input blocks requires submit [json-pointer:/view/submit]")
    return problems


def _check_object(obj: dict[str, Any], path: str, kind: str, problems: list[str]) -> None:
    """Apply the limit tables to one object, then to every object nested in it."""
    for (rule_kind, dotted), limit in MAX_CHARS.items():
        value = _dig(obj, dotted) if rule_kind in (kind, "*") else None
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"must be less than {limit + 1} characters [json-pointer:{path}/{_ptr(dotted)}]")
    for (rule_kind, key), limit in MAX_ITEMS.items():
        items = obj.get(key) if rule_kind in (kind, "*") else None
        if isinstance(items, list) and len(items) > limit:
            problems.append(f"no more than {limit} items allowed [json-pointer:{path}/{key}]")
    for key, value in obj.items():
        children = value if isinstance(value, list) else [value]
        for index, child in enumerate(children):
            if isinstance(child, dict):
                child_path = f"{path}/{key}/{index}" if isinstance(value, list) else f"{path}/{key}"
                _check_object(
                    child, child_path, _KIND_FROM_KEY.get(key, str(child.get("type", ""))), problems
                )


def _dig(obj: dict[str, Any], dotted: str) -> Any:
    """Follow a dotted path through nested dicts, or return None."""
    current: Any = obj
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _ptr(dotted: str) -> str:
    """Turn a dotted path into a JSON pointer tail."""
    return dotted.replace(".", "/")

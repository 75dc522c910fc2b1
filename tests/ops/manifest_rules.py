"""The rules of slackapi/manifest-schema (v2.0.0, a superset of v1 for what leadbot uses) that leadbot's
manifest touches, so CI checks them offline."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

URL = r"^https?:\/\/"
# Slack's parameter types for a function's inputs and outputs (app-manifests.v1.hermes.types.type).
PARAMETER_TYPES = [
    "integer", "number", "boolean", "string", "object", "array",
    "slack#/types/user_context", "slack#/types/user_permission", "slack#/types/user_id",
    "slack#/types/channel_id", "slack#/types/usergroup_id", "slack#/types/timestamp", "slack#/types/blocks",
    "slack#/types/credential/oauth2", "slack#/types/date", "slack#/types/interactivity",
    "slack#/types/rich_text", "slack#/types/form_input", "slack#/types/form_input_object",
    "slack#/types/message_ts", "slack#/types/message_context",
]  # fmt: skip
PARAMETER: dict[str, Any] = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": PARAMETER_TYPES},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "is_required": {"type": "boolean"},
        "is_hidden": {"type": "boolean"},
        "hint": {"type": "string"},
    },
}
PARAMETERS: dict[str, Any] = {
    "type": "object",
    "required": ["properties"],
    "properties": {
        "properties": {"type": "object", "maxProperties": 50, "additionalProperties": PARAMETER},
        "required": {"type": "array", "items": {"type": "string"}},
    },
}
# app-manifests.v2.hermes.functions: callback_id → the step (at most 50).
FUNCTIONS: dict[str, Any] = {
    "type": "object",
    "maxProperties": 50,
    "additionalProperties": {
        "type": "object",
        "required": ["title", "description", "input_parameters", "output_parameters"],
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "input_parameters": PARAMETERS,
            "output_parameters": PARAMETERS,
        },
    },
}

# A subset of manifest.schema.1.0.0.json, copied by hand: every key leadbot uses, with its type, lengths
# and patterns. Objects refuse unknown keys as the schema does (keys leadbot doesn't use count as unknown
# here: add them from the schema before using them). `regex` on background_color is enforced too.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["display_information"],
    "properties": {
        "_metadata": {
            "type": "object",
            "properties": {
                k: {"type": "integer"}
                for k in ("schema_version", "min_version", "major_version", "minor_version")
            },
        },
        "display_information": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 35},
                "description": {"type": "string", "minLength": 1, "maxLength": 140},
                "background_color": {
                    "type": "string",
                    "minLength": 4,
                    "maxLength": 7,
                    "pattern": r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$",
                },
                "long_description": {"type": "string", "minLength": 175, "maxLength": 4000},
            },
        },
        "features": {
            "type": "object",
            "properties": {
                "app_home": {
                    "type": "object",
                    "properties": {
                        k: {"type": "boolean"}
                        for k in (
                            "home_tab_enabled",
                            "messages_tab_enabled",
                            "messages_tab_read_only_enabled",
                        )
                    },
                },
                "bot_user": {
                    "type": "object",
                    "required": ["display_name"],
                    "properties": {
                        "display_name": {"type": "string", "minLength": 1, "maxLength": 80},
                        "always_online": {"type": "boolean"},
                    },
                },
                "slash_commands": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 50,
                    "items": {
                        "type": "object",
                        "required": ["command", "description"],
                        "properties": {
                            "command": {"type": "string", "minLength": 2, "maxLength": 32, "pattern": r"^\/"},
                            "url": {"type": "string", "pattern": URL, "maxLength": 3000},
                            "description": {"type": "string", "minLength": 1, "maxLength": 2000},
                            "usage_hint": {"type": "string", "minLength": 1, "maxLength": 1000},
                            "should_escape": {"type": "boolean"},
                        },
                    },
                },
                "shortcuts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {
                        "type": "object",
                        "required": ["name", "type", "callback_id", "description"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 24},
                            "type": {"type": "string", "enum": ["message", "global"]},
                            "callback_id": {"type": "string", "minLength": 1, "maxLength": 255},
                            "description": {"type": "string", "minLength": 1, "maxLength": 150},
                        },
                    },
                },
            },
        },
        "oauth_config": {
            "type": "object",
            "properties": {
                "redirect_urls": {
                    "type": "array",
                    "maxItems": 1000,
                    "uniqueItems": True,
                    "items": {"type": "string", "maxLength": 2500},
                },
                "scopes": {
                    "type": "object",
                    "properties": {
                        k: {"type": "array", "maxItems": 255, "items": {"type": "string", "maxLength": 50}}
                        for k in ("user", "bot", "user_optional", "bot_optional")
                    },
                },
                "token_management_enabled": {"type": "boolean"},
                "pkce_enabled": {"type": "boolean"},
            },
        },
        "settings": {
            "type": "object",
            "properties": {
                "event_subscriptions": {
                    "type": "object",
                    "properties": {
                        "request_url": {"type": "string", "pattern": URL, "maxLength": 3500},
                        **{
                            k: {
                                "type": "array",
                                "maxItems": 100,
                                "uniqueItems": True,
                                "items": {"type": "string", "maxLength": 50},
                            }
                            for k in ("user_events", "bot_events")
                        },
                    },
                },
                "interactivity": {
                    "type": "object",
                    "required": ["is_enabled"],
                    "properties": {
                        "is_enabled": {"type": "boolean"},
                        "request_url": {"type": "string", "pattern": URL, "maxLength": 3500},
                        "message_menu_options_url": {"type": "string", "pattern": URL, "maxLength": 3500},
                    },
                },
                **{
                    k: {"type": "boolean"}
                    for k in (
                        "org_deploy_enabled",
                        "socket_mode_enabled",
                        "is_hosted",
                        "token_rotation_enabled",
                    )
                },
                "function_runtime": {"type": "string"},
            },
        },
        "functions": FUNCTIONS,
    },
}

TYPES: Mapping[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
}


def is_kind(value: Any, kind: str) -> bool:
    """JSON types as the schema means them (a bool is not an integer)."""
    return isinstance(value, TYPES[kind]) and not (kind == "integer" and isinstance(value, bool))


def schema_problems(value: Any, schema: Mapping[str, Any] = SCHEMA, path: str = "manifest") -> list[str]:
    """Every way `value` breaks `schema` (type, required, unknown keys, lengths, patterns, items)."""
    kind = schema["type"]
    if not is_kind(value, kind):
        return [f"{path}: should be {kind}, is {type(value).__name__}"]
    problems: list[str] = []
    if kind == "object":
        properties = schema.get("properties", {})
        every = schema.get("additionalProperties")  # the schema of every key (patternProperties ".*")
        problems += [f"{path}: {key} is required" for key in schema.get("required", []) if key not in value]
        if every is None:
            problems += [f"{path}: unknown key {key}" for key in value if key not in properties]
        if len(value) > schema.get("maxProperties", len(value)):
            problems.append(f"{path}: {len(value)} keys is too many")
        for key, item in value.items():
            if key in properties or every is not None:
                problems += schema_problems(item, properties.get(key, every), f"{path}.{key}")
    elif kind == "array":
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            problems.append(f"{path}: {len(value)} items is out of range")
        if schema.get("uniqueItems") and len({repr(item) for item in value}) != len(value):
            problems.append(f"{path}: items repeat")
        for index, item in enumerate(value):
            problems += schema_problems(item, schema["items"], f"{path}[{index}]")
    elif kind == "string":
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            problems.append(f"{path}: length {len(value)} is out of range")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{path}: {value!r} doesn't match {schema['pattern']}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} is not one of {schema['enum']}")
    return problems

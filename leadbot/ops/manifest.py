"""leadbot's Slack app manifest: the packaged manifest.yml, its HTTP variant, and `leadbot manifest`."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from typing import Any, TextIO
from urllib.parse import urlsplit

import yaml

from leadbot.ops import check_texts as t

EVENTS_PATH = "/slack/events"
MAX_URL_LENGTH = 3000  # the manifest schema's limit for a slash command's URL (request URLs allow 3500)


class ManifestError(ValueError):
    """A manifest can't be made from what was given; `str(error)` says how to fix it."""


def load_manifest() -> dict[str, Any]:
    """The Socket Mode manifest shipped inside the package, so it works from an installed wheel."""
    text = resources.files("leadbot").joinpath("manifest.yml").read_text(encoding="utf-8")
    manifest = yaml.safe_load(text)
    if not isinstance(manifest, dict):
        raise ManifestError(t.MANIFEST_NOT_A_MAPPING)
    return manifest


def events_url(url: str) -> str:
    """The one request URL Slack uses for commands, interactivity and events, from leadbot's public URL."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ManifestError(t.URL_NOT_HTTPS)
    path = parts.path.rstrip("/")
    if path.endswith(EVENTS_PATH):
        path = path[: -len(EVENTS_PATH)]
    full = f"https://{parts.netloc}{path}{EVENTS_PATH}"
    if len(full) > MAX_URL_LENGTH:
        raise ManifestError(t.URL_TOO_LONG.format(limit=MAX_URL_LENGTH))
    return full


def manifest_for_http(url: str) -> dict[str, Any]:
    """The manifest switched from Socket Mode to HTTP, with every request URL pointing at leadbot."""
    target = events_url(url)
    manifest = load_manifest()  # parsed afresh on each call: ours to change
    settings = manifest["settings"]
    settings["socket_mode_enabled"] = False
    settings["interactivity"]["request_url"] = target
    settings["event_subscriptions"]["request_url"] = target
    for command in manifest["features"]["slash_commands"]:
        command["url"] = target
    return manifest


def to_yaml(manifest: dict[str, Any]) -> str:
    """Block-style YAML in the manifest's own key order, ready to paste into Slack."""
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, default_flow_style=False, width=200)


def add_manifest_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `leadbot manifest`."""
    parser.add_argument(
        "--url",
        metavar="https://HOST",
        help="leadbot's public https address: prints the HTTP-mode manifest with every request URL filled in "
        "(without it: the Socket Mode manifest)",
    )


def run_manifest_command(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Prints the manifest as YAML; exit 2 with the reason when --url is unusable."""
    out = out or sys.stdout
    err = err or sys.stderr
    url: str | None = getattr(args, "url", None)
    if url is None:
        out.write(t.MANIFEST_SOCKET_HEADER + to_yaml(load_manifest()))
        return 0
    try:
        manifest = manifest_for_http(url)
    except ManifestError as error:
        err.write(f"{error}\n")
        return 2
    out.write(t.MANIFEST_HTTP_HEADER.format(url=events_url(url)) + to_yaml(manifest))
    return 0

"""Outgoing Slack: the Web API client leadbot builds, and Slack error helpers."""

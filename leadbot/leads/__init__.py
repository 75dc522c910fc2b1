"""The /leads feature without Slack: the command grammar, permissions, what each command does, search,
who is asking (identity), and the lead form (one FIELDS table)."""

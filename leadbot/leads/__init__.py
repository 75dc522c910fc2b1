"""The /leads feature: command grammar, lead search, who is asking (identity), the lead form."""

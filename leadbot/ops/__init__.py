"""Operator commands: `leadbot check`, `leadbot manifest`, `leadbot poll`."""

"""Speed to lead: working hours, the ladder, and who gets each lead (pure: no I/O, nothing global)."""

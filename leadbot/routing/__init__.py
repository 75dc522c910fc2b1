"""Speed to lead: working hours, the ladder, and who gets each lead."""

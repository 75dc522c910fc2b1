"""Routing leads to people: working hours (when the clocks that chase a lead may run)."""

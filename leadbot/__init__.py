"""leadbot: Heatpunk / Easy PV Pro leads in Slack."""

__version__ = "0.1.0"

"""Speed-to-lead reports: figures over a period, a chart, the weekly report (issue 12)."""

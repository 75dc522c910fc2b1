"""Puts a report's chart in Slack: slack-sdk's files_upload_v2 (files.getUploadURLExternal, the bytes to the
upload URL, files.completeUploadExternal), shared in a channel or a message's thread. Needs files:write."""

from __future__ import annotations

from slack_sdk import WebClient

from leadbot import ids, texts
from leadbot.blocks.reports import ReportFigures
from leadbot.reports.chart import draw_chart


def upload_chart(
    slack: WebClient, figures: ReportFigures, *, channel: str, comment: str, thread_ts: str | None = None
) -> None:
    """Draws the chart and shares it; Slack's refusal (SlackApiError) and network errors propagate."""
    title = texts.CHART_FILE_TITLE.format(period=figures.period)
    slack.files_upload_v2(
        channel=channel,
        file=draw_chart(figures),
        filename=ids.REPORT_CHART_FILENAME,
        title=title,
        alt_txt=title,
        initial_comment=comment,
        thread_ts=thread_ts,
    )

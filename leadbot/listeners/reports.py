"""`/leads report` and `/leads history`: after the ack, on the work pool, answered to the person who asked.
They read leadbot's own store only (no Heatpunk, so no email is needed); everyone may run them."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from leadbot import texts
from leadbot.blocks.messages import build_notice
from leadbot.blocks.reports import build_history, build_report
from leadbot.blocks.text import safe
from leadbot.leads.context import Deps
from leadbot.leads.report_grammar import ReportCommand, ShowHistory, ShowReport
from leadbot.listeners.replies import Invocation, Reply, run_on_store
from leadbot.reports.figures import compute, window_of
from leadbot.reports.history import lead_history
from leadbot.reports.publish import upload_chart
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


def run_report_command(command: ReportCommand, invocation: Invocation, deps: Deps) -> None:
    """Runs a report command in the person's share of the work pool; a failure is told in words."""
    reply = Reply(invocation, deps.responder)

    def job() -> None:
        match command:
            case ShowReport():
                report(command, invocation, reply, deps)
            case ShowHistory(lead_id=lead_id):
                zone = deps.settings.working_hours().zone
                reply.send(build_history(lead_id, lead_history(deps.store, lead_id), zone=zone))

    run_on_store(deps, reply, invocation.user_id, f"run {type(command).__name__}", job)


def report(command: ShowReport, invocation: Invocation, reply: Reply, deps: Deps) -> None:
    """The figures first (ephemeral), then the chart in the channel the command came from; a channel the bot
    can't post in gets no chart, and the person is told why."""
    hours = deps.settings.working_hours()
    figures = compute(deps.store, window_of(command.period, deps.clock(), hours), hours)
    reply.send(build_report(figures))
    channel = invocation.channel_id
    if not channel or figures.team.leads == 0:
        return
    comment = texts.CHART_COMMENT.format(period=safe(figures.period, 100), user=invocation.user_id)
    try:
        upload_chart(deps.slack, figures, channel=channel, comment=comment)
    except SlackApiError as error:
        code = slack_error_code(error) or "error"
        logger.warning("Chart not posted in %s for %s: %s", channel, invocation.user_id, code)
        reply.send(build_notice(texts.CHART_SKIPPED.format(error=safe(code, 60))), replace_original=False)

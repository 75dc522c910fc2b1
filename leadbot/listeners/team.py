"""The team commands (`/leads rota`, `territory`, `away`, `back`): after the ack, on the work pool, answered
to the person who asked. They act on leadbot's own store only: no Heatpunk, so no email is needed."""

from __future__ import annotations

import logging

from leadbot.blocks.kit import Message
from leadbot.blocks.team import (
    build_away,
    build_back,
    build_rota,
    build_rota_change,
    build_territories,
    build_territory_change,
)
from leadbot.leads import grammar, team
from leadbot.leads.context import Deps
from leadbot.listeners.replies import Invocation, Reply, run_on_store

logger = logging.getLogger(__name__)


def run_team_command(command: grammar.TeamCommand, invocation: Invocation, deps: Deps) -> None:
    """Runs a checked team command in the person's share of the work pool; a failure is told in words."""
    reply = Reply(invocation, deps.responder)
    user_id = invocation.user_id
    what = f"run {type(command).__name__}"
    run_on_store(deps, reply, user_id, what, lambda: reply.send(answer_team(command, user_id, deps)))


def answer_team(command: grammar.TeamCommand, user_id: str, deps: Deps) -> Message:
    """Acts (the store), then renders what to tell the person."""
    routing = deps.settings.leadbot_routing
    zone = deps.settings.working_hours().zone
    match command:
        case grammar.ShowRota():
            return build_rota(team.rota(deps), routing=routing, now=deps.clock(), zone=zone)
        case grammar.AddToRota():
            return build_rota_change(team.add_to_rota(deps, user_id, command), added=True)
        case grammar.RemoveFromRota():
            return build_rota_change(team.remove_from_rota(deps, user_id, command), added=False)
        case grammar.ShowTerritories():
            return build_territories(deps.store.territories(), routing=routing)
        case grammar.SetTerritory():
            return build_territory_change(team.set_territory(deps, user_id, command))
        case grammar.RemoveTerritory():
            return build_territory_change(team.remove_territory(deps, user_id, command))
        case grammar.GoAway(until=until):
            now = deps.clock()
            return build_away(team.go_away(deps, user_id, until), now=now, zone=zone)
        case grammar.ComeBack():
            return build_back(team.come_back(deps, user_id))

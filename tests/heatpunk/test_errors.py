"""Heatpunk errors are data; texts.heatpunk_failure words every one of them."""

from __future__ import annotations

import pytest

from leadbot import texts
from leadbot.heatpunk import AuthError, HeatpunkError, InvalidRequest, NotFound, Reason, Unavailable
from leadbot.heatpunk.errors import lead_not_found


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_words(reason: Reason) -> None:
    words = texts.heatpunk_failure(HeatpunkError(reason, status=500, lead_id="1001", email="a@example.com"))
    assert words.strip()
    assert "{" not in words
    assert reason in texts.HEATPUNK_FAILURES


def test_the_apis_words_are_data_and_stay_out_of_str() -> None:
    error = InvalidRequest(Reason.REFUSED, status=422, api_message="key hp-secret-123 is wrong")
    assert "hp-secret-123" not in f"{error} {error!r}"
    assert str(error) == "refused (HTTP 422)"
    assert (
        texts.heatpunk_failure(error)
        == "Heatpunk refused the request. Heatpunk said: “key hp-secret-123 is wrong”."
    )


def test_the_apis_words_are_shown_only_where_they_were() -> None:
    said = {"api_message": "nope"}
    assert "nope" in texts.heatpunk_failure(AuthError(Reason.NO_ACCESS, email="a@example.com", **said))
    assert "nope" not in texts.heatpunk_failure(AuthError(Reason.KEY_REJECTED, **said))
    assert "nope" not in texts.heatpunk_failure(Unavailable(Reason.SERVER_ERROR, status=502, **said))
    assert "nope" not in texts.heatpunk_failure(NotFound(Reason.NOT_FOUND, lead_id="7", **said))


def test_one_way_to_say_key_rejected() -> None:
    assert texts.heatpunk_failure(AuthError(Reason.KEY_REJECTED, status=401)) == texts.HEATPUNK_KEY_REJECTED


def test_not_found_with_and_without_a_lead() -> None:
    assert texts.heatpunk_failure(lead_not_found("1001")) == (
        "Lead 1001 was not found: it may have been deleted, or your email can't see it."
    )
    assert texts.heatpunk_failure(NotFound(Reason.NOT_FOUND, status=404)) == "Heatpunk couldn't find that."

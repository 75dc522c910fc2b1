"""`.env.example` documents every setting, and only real ones."""

from pathlib import Path

from leadbot.settings import Settings

EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"


def test_every_setting_is_documented_and_nothing_else() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert documented == {name.upper() for name in Settings.model_fields}


def test_the_example_loads() -> None:
    from leadbot.settings import load_settings

    settings = load_settings(env_file=str(EXAMPLE))
    assert settings.port == 3000


def test_empty_values_count_as_unset() -> None:
    from leadbot.settings import load_settings

    settings = load_settings(env_file=str(EXAMPLE))
    assert settings.slack_bot_token is None
    assert any("SLACK_BOT_TOKEN" in problem for problem in settings.problems_for_run())

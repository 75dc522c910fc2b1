"""Block Kit, built by pure `build_*` functions (messages, cards, lists, modals, alerts); kit.py holds the
shared pieces and the one Message type, values.py the typed values buttons carry."""

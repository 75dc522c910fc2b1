"""Block Kit, built by pure `build_*` functions: messages, cards, lists, modals and alerts."""

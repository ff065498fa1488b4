"""The network looking at itself: frameworks, rounds, signals and the report (later issues)."""

"""The event names events.csv uses: the one list psim documents (docs/scenario-reference.md,
"events.csv") and writes (sim/output/event_kind.hpp). tests/sim/output/event_kind_test.cpp
checks that the three agree, so the plotter cannot silently miss a new kind."""

KINDS = ("compute_start", "compute_end", "send", "deliver", "drop", "apply", "discard",
         "abandon", "resend", "crash", "restart", "down", "join",
         "offline", "online")


def unknown(rows):
    """The event names in `rows` (events.csv rows) that this list does not know."""
    return sorted({r.get("event") for r in rows} - set(KINDS))

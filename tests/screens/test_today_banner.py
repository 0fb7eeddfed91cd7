"""The words of Today's red-flag banner (widgets/today_banner.py), without an app."""

from __future__ import annotations

import pytest

from diazlog.domain.models import Alert, Level
from diazlog.widgets.today_banner import banner_text

FALL = Alert("fall", Level.URGENT, "Fall", "Seek medical attention.", date="2026-03-10")
WEAK = Alert("severe_weakness", Level.TODAY, "Weakness", "Is it extreme?", date="2026-03-10")
SEEN = Alert("fall", Level.URGENT, "Fall", "…", date="2026-03-08", seen_on="2026-03-09")


@pytest.mark.parametrize(
    ("alerts", "markable", "lines"),
    [
        (
            [FALL],
            True,
            [
                Level.URGENT.header,
                "• Fall: Seek medical attention.",
                "(press ! once a doctor has seen these)",
            ],
        ),
        ([FALL], False, [Level.URGENT.header, "• Fall: Seek medical attention."]),
        (
            [FALL, WEAK],
            False,
            [
                f"{Level.URGENT.header}  (2 flags)",
                "• Fall: Seek medical attention.",
                "• Weakness: Is it extreme?",
                "(x ticks extreme weakness)",
            ],
        ),
        (
            [SEEN],
            False,
            ["✓ Seen by a doctor", "✓ Fall (seen by a doctor on 2026-03-09)"],
        ),
        (
            [WEAK, SEEN],
            True,
            [
                f"{Level.TODAY.header}  (2 flags)",
                "• Weakness: Is it extreme?",
                "✓ Fall (seen by a doctor on 2026-03-09)",
                "(x ticks extreme weakness · press ! once a doctor has seen these)",
            ],
        ),
    ],
)
def test_banner_text(alerts, markable, lines) -> None:
    assert banner_text(alerts, markable=markable).split("\n") == lines


def test_a_seen_weakness_does_not_ask_for_x() -> None:
    seen = Alert("severe_weakness", Level.TODAY, "Weakness", "…", seen_on="2026-03-09")
    assert "x ticks" not in banner_text([seen], markable=False)

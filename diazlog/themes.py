"""diazlog's two themes: Textual's dark and light ones, with every text colour readable.

Textual's own themes draw some text below WCAG AA (4.5:1): in textual-light the orange of
"moderate", "✎ details" and the section headings stands at about 1.5:1 on its grey, the green
of "mild" at 1.8:1, the footer keys at 2.9:1; in textual-dark the table cursor (white on
#0178D4) at 3.8:1. These themes keep Textual's backgrounds and hues and only set darker (light)
or deeper (dark cursor) shades where text is drawn. tests/screens/test_contrast.py measures every
character drawn on each screen against its background, so a colour that slips shows there.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="diazlog-dark",
    primary="#0178D4",
    # Textual's #004578 draws the dose chart's 0 marks at 4.0:1 even after the chart's own
    # lightening; this blue reads at 5.6:1 on the chart's surface.
    secondary="#5A9BD8",
    accent="#ffa62b",
    warning="#ffa62b",
    error="#ba3c5b",
    success="#4EBF71",
    foreground="#e0e0e0",
    dark=True,
    variables={
        # Text on the highlighted row of a table or list: 4.9:1 instead of 3.8:1.
        "block-cursor-background": "#0165B3",
        # Orange and green text as Textual's dark theme has always drawn it (5.8:1 or more);
        # red text gets Textual's lighter text shade (#D17E92), as $error is 3.4:1.
        "text-accent": "#ffa62b",
        "text-warning": "#ffa62b",
        "text-success": "#4EBF71",
        # Markdown headings (the welcome) in Textual's lighter text shade of the primary blue:
        # $primary itself is 3.7:1 on the surface.
        "markdown-h1-color": "#57A5E2",
    },
)

LIGHT = Theme(
    name="diazlog-light",
    primary="#004578",
    secondary="#01589C",  # Textual's #0178D4: the dose chart's 0 marks at 3.2:1
    accent="#ffa62b",
    warning="#ffa62b",
    error="#ba3c5b",
    success="#4EBF71",
    surface="#D8D8D8",
    panel="#D0D0D0",
    background="#E0E0E0",
    # Textual's #1F1F1F: the dimmed sub-title of the title bar at 4.4:1 on the panel.
    foreground="#111111",
    dark=False,
    variables={
        # The hues of accent / warning / success / error / the footer keys, dark enough for
        # text on the background, surface, panel and a focused rating row (4.6:1 or more).
        # Backgrounds and borders keep Textual's brighter colours.
        "text-accent": "#7F4A00",
        "text-warning": "#7F4A00",
        "text-success": "#246237",
        "text-error": "#8A2A42",
        "footer-key-foreground": "#01589C",
    },
)

THEMES = (DARK, LIGHT)

# Names saved by earlier versions (and Textual's default) → the readable theme of the same kind.
REPLACES = {"textual-dark": DARK.name, "textual-light": LIGHT.name}

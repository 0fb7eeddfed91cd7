"""The pages `diazlog serve` sends: all local, so opening the diary tells no other server.

textual-serve's own template loads its font from fonts.googleapis.com on every load; this one
uses the Roboto Mono file textual-serve ships (under /static) and the system's monospace
fonts, and no script but textual-serve's own, from this server.
"""

from __future__ import annotations

from html import escape

TITLE = "diazlog"

_STYLE = """
@font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
html, body { margin: 0; height: 100%; background: #0c181f; color: #f2f2f2; }
body { font-family: "Roboto Mono", "DejaVu Sans Mono", monospace; }
.textual-terminal { position: absolute; inset: 0; opacity: 0; }
body.-first-byte .textual-terminal { opacity: 1; }
.notice { max-width: 36em; margin: 2em auto; padding: 1em; line-height: 1.5; }
.closed { display: none; position: absolute; left: 0; right: 0; bottom: 0; z-index: 10;
  background: #0c181f; border-top: 1px solid #5e7a8a; }
body.-closed .closed { display: block; }
"""


def _document(body: str, *, script: bool) -> str:
    head_script = '<script src="/static/js/textual.js"></script>' if script else ""
    xterm = '<link rel="stylesheet" href="/static/css/xterm.css">' if script else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{TITLE}</title>{xterm}{head_script}<style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def app_page(websocket_url: str, font_size: int) -> str:
    """The page that runs the app: textual-serve's terminal, connecting to `websocket_url`."""
    return _document(
        "<div class='closed'><p class='notice'>The diary was closed (the session ended). "
        "Reload the page to open it again. If it closed by itself, the terminal running "
        "<code>diazlog serve</code> says why.</p></div>"
        f"<div id='terminal' class='textual-terminal' "
        f"data-session-websocket-url='{escape(websocket_url, quote=True)}' "
        f"data-font-size='{int(font_size)}'></div>",
        script=True,
    )


OPEN_ELSEWHERE = (
    "The diary is open elsewhere: another browser tab or window is using it through this "
    "server. Close that one (or use it), then reload this page. Nothing was changed."
)


def open_elsewhere_page() -> str:
    """What a second tab gets: one session at a time writes the diary."""
    return _document(f"<p class='notice' id='open-elsewhere'>{OPEN_ELSEWHERE}</p>", script=False)


FORBIDDEN = (
    "diazlog: this address needs the link `diazlog serve` printed (with its token), "
    "opened in this browser.\n"
)

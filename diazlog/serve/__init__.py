"""`diazlog serve`: the app in a browser, behind a per-launch token and an Origin check.

textual-serve and aiohttp are imported only here, never on the way to the terminal app's
first frame (diazlog/launch.py, diazlog/cli.py import this package only for `serve`).
"""

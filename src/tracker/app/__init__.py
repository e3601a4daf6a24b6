"""The use cases: what a command (or a notebook) asks of tracker, one module each.

Each joins the layers below it: definition files (`tracker.load`), the database
(`tracker.store`), the pure rules (`tracker.core`) and the renderers (`tracker.report`).
A use case takes an open `Session` and typed values (or the text the command line accepts),
raises `tracker.errors` exceptions naming its arguments, and returns typed results. Nothing
here prints, reads environment variables or knows a command-line flag.
"""

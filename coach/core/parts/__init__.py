"""The session's state, in parts that each own their fields and keep their own rules.

Each part is a small class with methods; none reads or writes another's
fields. The session's moves (``coach.core``: ``flow``, ``opening``,
``exercises``, ``interrupt``, ``rating``, and the command handlers) combine them through
a ``Context``.
"""

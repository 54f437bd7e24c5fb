"""Errors a person can act on. Library code raises these; only the CLI prints."""

from __future__ import annotations


class CoachError(Exception):
    """An error whose message says what happened and what to do about it."""


class ProgramError(CoachError):
    """A program file is not valid. ``problems`` holds every FILE:LINE message."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

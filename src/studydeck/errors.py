"""The one error base class, and warnings as data."""

from __future__ import annotations

from dataclasses import dataclass


class StudydeckError(Exception):
    """A problem with the user's input that they can fix.

    ``str()`` is the whole sentence the CLI prints after ``Error:``: the place
    (``file:line``), what is wrong, and the fix.
    """

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None, fix: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.fix = fix

    def __reduce__(self) -> tuple[object, ...]:
        # Keep file, line and fix when the error crosses from a worker process.
        return (self.__class__, (self.message,), self.__dict__)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        fix = f" {self.fix}" if self.fix else ""
        return f"{where}{self.message}{fix}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A warning about the notes: shown by the CLI as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )

"""Why a database file cannot be used, in words a user can act on."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A database problem the user must fix; str(exc) is one clear line."""


class NotADiazlogDatabase(StoreError):
    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path} {why}; diazlog left it untouched.")


class CorruptDatabase(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(
            f"{path} is damaged ({detail}); diazlog left it untouched. "
            "Restore a backup with `diazlog restore FILE`."
        )


class NewerDatabase(StoreError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"{path} was written by a newer diazlog (schema {found}, this version reads up to "
            f"{supported}); upgrade diazlog. The file was left untouched."
        )


class ReadOnlyDatabase(StoreError):
    def __init__(self, path: Path, what: str, fix: str = "") -> None:
        super().__init__(
            f"{path}: {what} is read-only, so nothing could be saved"
            + (f"; {fix}." if fix else ".")
        )


class DatabaseUnavailable(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path} could not be opened: {detail}")

"""The exceptions of the psim package."""


class Error(Exception):
    """Base class of psim's own exceptions."""


class ScenarioError(Error, ValueError):
    """A scenario (or its data) is invalid: where, which key, and why, as `psim check` says."""

    def __init__(self, file="", line=0, column=0, key="", message=""):
        super().__init__(file, line, column, key, message)
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message

    def __str__(self):
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}:{self.column}: " if self.line > 0 else f"{self.file}: "
        if self.key:
            where += f"{self.key}: "
        return where + self.message


class RunError(Error, RuntimeError):
    """A run failed (stopped by `diverged` or `stalled`, or its outputs are incomplete).

    `stopped_by` is the stop reason, `detail` what more the runtime said, `run` the Run
    with the files it wrote.
    """

    def __init__(self, stopped_by, detail, run):
        super().__init__(stopped_by, detail)
        self.stopped_by = stopped_by
        self.detail = detail
        self.run = run

    def __str__(self):
        return f"{self.stopped_by}: {self.detail}" if self.detail else self.stopped_by

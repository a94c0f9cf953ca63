"""What is wrong with a standards file, and the checked data of a good one."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    entry: str
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}: {self.message}" if self.entry else f"{where}: {self.message}"


class StandardsFileError(Exception):
    """The file cannot be loaded; `problems` lists everything that is wrong with it."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class StandardsSpec:
    """A checked, normalised standards file: plain data, ready to compare or write."""

    source: str
    data: dict = field(repr=False)

    @property
    def framework_slug(self):
        return self.data["framework"]["slug"]

    @property
    def version(self):
        return self.data["edition"]["version"]

    def criteria_count(self):
        return sum(len(value["criteria"]) for value in self.data["values"])

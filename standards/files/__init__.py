"""Reading and writing standards files (YAML).

A standards file holds one edition of a framework. `read_standards_file` checks the whole file
before anything is written and reports every problem it finds, each naming the file, the line,
the entry (e.g. ``values[3].criteria[2].tier``) and what is wrong. `dump_standards` writes the
same format back, so that load → export → load gives the same edition.

- problems.py: Problem, StandardsFileError, StandardsSpec;
- lines.py: YAML read with the line of every entry;
- checking.py: every rule a file must keep, with its message;
- reading.py and writing.py: from bytes to a checked spec, and back to YAML.
"""

from standards.files.checking import check_standards_data
from standards.files.problems import Problem, StandardsFileError, StandardsSpec
from standards.files.reading import MAX_FILE_BYTES, read_standards_bytes, read_standards_file, read_standards_text
from standards.files.writing import dump_standards

__all__ = [
    "MAX_FILE_BYTES",
    "Problem",
    "StandardsFileError",
    "StandardsSpec",
    "check_standards_data",
    "dump_standards",
    "read_standards_bytes",
    "read_standards_file",
    "read_standards_text",
]

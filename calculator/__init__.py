"""Self-assessment grading for GB/T 27922-2011 after-sales service certification.

Pure Python with no runtime dependency: the same package runs on the command line,
renders the site's tables at build time and runs in the visitor's browser on Pyodide.
"""

from calculator.assessment import Assessment, assess
from calculator.assessment import grade_total as grade
from calculator.documents import assess_document
from calculator.errors import InputError, InputErrors, Message
from calculator.levels import Level, LevelScale, load_scale
from calculator.profiles import Profile, load_profile, parse_profile, profile_names

__all__ = [
    "Assessment",
    "InputError",
    "InputErrors",
    "Level",
    "LevelScale",
    "Message",
    "Profile",
    "assess",
    "assess_document",
    "grade",
    "load_profile",
    "load_scale",
    "parse_profile",
    "profile_names",
]
__version__ = "0.2.0"  # the one place of the version: pyproject.toml reads it (CHANGELOG.md)

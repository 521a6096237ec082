"""Self-assessment grading for GB/T 27922-2011 after-sales service certification.

Pure Python with no runtime dependency: the same package runs on the command line,
renders the site's tables at build time and runs in the visitor's browser on Pyodide.
"""

from calculator.errors import InputError
from calculator.grading import GradeResult, grade, grade_on
from calculator.levels import Level, LevelScale, load_scale

__all__ = ["GradeResult", "InputError", "Level", "LevelScale", "grade", "grade_on", "load_scale"]
__version__ = "0.1.0"

"""Inside Pyodide (run by scripts/pyodide/in_pyodide.mjs): the site's standard-library fallback at work.

Prints "fallback ok" when every check holds; an AssertionError says which one did not.
"""

import sys

import sitecustomize

finder = sitecustomize.finder
assert finder is not None, "the first archive installs the fallback finder at start-up"
assert finder.archive is None, "start-up needs nothing from the second archive"

import calculator.browser  # noqa: E402, F401  # all the browser uses

assert finder.archive is None, "the calculator needs nothing from the second archive"
assert "calculator.cli" not in sys.modules, "the browser's entry point does not import the command line"

try:
    import no_such_module_anywhere  # noqa: F401
except ImportError:
    pass
else:
    raise AssertionError("an unknown module imported")
assert finder.archive is None, "a name in neither archive costs no download"

asked: list[str] = []
sitecustomize.on_miss = asked.append
import xml.dom.minidom  # noqa: E402  # a package only in the second archive

root = xml.dom.minidom.parseString("<a>1</a>").documentElement
assert root is not None and root.tagName == "a"
assert xml.__file__ is not None and xml.__file__.startswith(str(finder.archive) + "/"), xml.__file__
assert "汉字".encode("gbk") == b"\xba\xba\xd7\xd6", "a codec module missing from the first archive's encodings"
assert asked == ["xml", "encodings.gbk"], asked
print("fallback ok")

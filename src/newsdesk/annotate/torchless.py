"""spaCy without torch.

thinc, spaCy's machine-learning layer, imports torch whenever it is installed,
only to offer a bridge to torch models; the small English pipeline never uses
it. That import costs about a second and 250 MB in every process that parses
text, forked annotation workers included. Importing this module first makes
thinc see no torch; torch itself stays importable afterwards (the sentence
encoder's torch backend and its ONNX export load it when asked).
"""

from __future__ import annotations

import sys


def import_thinc_without_torch() -> None:
    if "thinc" in sys.modules or "torch" in sys.modules:
        return  # too late, or torch is wanted here anyway
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import thinc.compat  # noqa: F401
    finally:
        del sys.modules["torch"]


import_thinc_without_torch()

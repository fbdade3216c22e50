"""Find e-mail addresses, in clear or pipermail-obfuscated, in text: the privacy scans use it."""

from __future__ import annotations

import re

# "jo@example.org", "jo at example.org", "jo (at) example.org", "jo [at] example.org"; not
# "the list at lists.example.org/info/x", which is a web address (a path follows the host).
_HOST = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
ADDRESS = re.compile(
    r"[\w.+-]+(?:\s*@\s*" + _HOST + r"(?![\w-]|\.\w)"
    r"|\s(?:at|\(at\)|\[at\])\s" + _HOST + r"(?![\w/-]|\.\w))",
    re.IGNORECASE)


def addresses_in(text: str | None) -> list[str]:
    return ADDRESS.findall(text or "")

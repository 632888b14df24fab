r"""A text's words as runs of word characters, found faster than a regular expression finds them.

`re.findall(r"[^\W_]+", text)` steps through the text character by character. Here the text's UTF-8 bytes go
through a 256-byte table (in C), which makes every ASCII character that is not a word character a space and
leaves the bytes of other characters as they are; only characters beyond ASCII are then looked at by an
expression, and `str.split` cuts the words. A character matches `\w` exactly when it is alphanumeric
(`str.isalnum`) or the underscore, so both give the same words, which `tests/test_tokens.py` checks over
every code point.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def ascii_table(kept: Callable[[str], bool]) -> bytes:
    """A `bytes.translate` table for UTF-8 text that keeps the ASCII characters `kept` accepts, makes the other
    ASCII characters spaces, and leaves the bytes of the characters beyond ASCII as they are."""
    return bytes(c if c >= 0x80 or kept(chr(c)) else ord(" ") for c in range(256))


def count_bytes(data: bytes, which: bytes) -> int:
    """How many of `data`'s bytes are among `which`: one call in C, where counting each byte value would be one
    call apiece."""
    return len(data) - len(data.translate(None, which))


_LETTERS_AND_DIGITS = ascii_table(str.isalnum)
_WORD_CHARACTERS = ascii_table(lambda ch: ch.isalnum() or ch == "_")
_OTHER_BEYOND_ASCII = re.compile(r"[^\x00-\x7f\w]+")


def alphanumeric_runs(text: str) -> list[str]:
    """The runs of letters and digits of `text`: `re.findall(r"[^\\W_]+", text)`."""
    return _runs(text, _LETTERS_AND_DIGITS)


def word_runs(text: str) -> list[str]:
    """The runs of word characters (letters, digits, underscores) of `text`: `re.findall(r"\\w+", text)`."""
    return _runs(text, _WORD_CHARACTERS)


def _runs(text: str, table: bytes) -> list[str]:
    data = text.encode("utf-8", "surrogatepass")
    spaced = data.translate(table).decode("utf-8", "surrogatepass")
    if len(data) != len(text):  # characters beyond ASCII: those that are no word characters become spaces
        spaced = _OTHER_BEYOND_ASCII.sub(" ", spaced)
    return spaced.split()

// The generated tokenizer.py: SeqLab's character and word tokenizers and prompt encoding, in Python.
export const TOKENIZER_PY = String.raw`"""SeqLab's tokenizers: characters (code points), or words (tokenizer 1 or 2, as config.json's text.wordTokenizer says).

The word patterns are SeqLab's regular expressions; Python's re has no \p{L}, so the letter, mark and number classes
are built from unicodedata once, on first use (about a second). Unicode versions of Python and of Node may differ on
characters assigned recently; everything else tokenizes identically.
"""
import re
import sys
import unicodedata

UNKNOWN = "<unk>"
_classes = {}


def _class(prefix):
    """A character-class body for the Unicode categories starting with "prefix" (L letters, M marks, N numbers)."""
    if prefix not in _classes:
        ranges = []
        start = None
        for code in range(sys.maxunicode + 2):
            inside = code <= sys.maxunicode and unicodedata.category(chr(code)).startswith(prefix)
            if inside and start is None:
                start = code
            elif not inside and start is not None:
                end = code - 1
                ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(end)) if end > start else ""))
                start = None
        _classes[prefix] = "".join(ranges)
    return _classes[prefix]


def _word_pattern(version):
    L, M, N = _class("L"), _class("M"), _class("N")
    if version == 1:
        return re.compile("[%s%s_']+|\\s+|[^%s%s_'\\s]" % (L, N, L, N))
    suffix = "(?:s|d|m|t|ll|ve|re|st)(?![%s%s_'\u2019])" % (L, M)
    return re.compile(
        "|".join(
            [
                " ?[%s%s_]+(?:['\u2019](?!%s)[%s%s_]+)*" % (L, M, suffix, L, M),
                "['\u2019]%s" % suffix,
                " ?[%s]" % N,
                " ?[^\\s%s%s%s_]" % (L, M, N),
                "\\r?\\n|\\r",
                "[^\\S\\r\\n]+(?= \\S)|[^\\S\\r\\n]+",
            ]
        ),
        re.IGNORECASE,
    )


class Vocabulary:
    """config.json's vocabulary: token i has id i; id 0 is the unknown token."""

    def __init__(self, text_config):
        self.tokens = text_config["vocab"]
        self.kind = text_config["tokens"]
        self.version = text_config.get("wordTokenizer", 1)
        self.ids = {token: i for i, token in enumerate(self.tokens)}
        self._pattern = _word_pattern(self.version) if self.kind == "word" else None

    def tokenize(self, text):
        if self.kind == "char":
            return list(text)
        return [m.group(0) for m in self._pattern.finditer(text)]

    def encode(self, text):
        return [self.ids.get(token, 0) for token in self.tokenize(text)]

    def decode(self, ids):
        return "".join(self.tokens[i] if 0 <= i < len(self.tokens) else UNKNOWN for i in ids)

    def encode_prompt(self, prompt, max_tokens):
        """SeqLab's prompt encoding: the last "max_tokens" ids, and with words a trailing partial word held back
        (the continuation must start with it: "The ki" continues as " king"). Returns (ids, unknown tokens, held back)."""
        tokens = self.tokenize(prompt)
        last = tokens[-1] if tokens else ""
        extendable = re.match("^(?: ?[%s%s_]|[^\\S\\r\\n]+$)" % (_class("L"), _class("M")), last) if self.kind == "word" else None
        hold = self.kind == "word" and len(tokens) > 1 and extendable and any(t.startswith(last) for t in self.tokens)
        full = tokens[:-1] if hold else tokens
        context = full[-max_tokens:] if max_tokens > 0 else full
        ids = [self.ids.get(t, 0) for t in context]
        return ids, [t for t in full if t not in self.ids], last if hold else ""
`;

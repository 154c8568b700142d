"""Generate dotenv files and say what python-dotenv's `load_dotenv()` does with each.

usage: python tests/tools/dotenv_cases.py SEED COUNT
Prints JSON lines [file, preset, env, raised]:
  file    the file's contents: a string when they are valid UTF-8, else its bytes as a
          list of integers
  preset  the environment before loading (os.environ is set to exactly this)
  env     os.environ after `load_dotenv(path, override=False, encoding="utf-8")`
  raised  null, or the class name of the exception load_dotenv raised (UnicodeDecodeError
          for invalid UTF-8, ValueError for a name or value os.environ refuses); env is then
          what had been set before it raised
tests/dotenv_agreement.rs checks that credlint's `dotenv::load` gives the same env and the
same raised class for every line.

No subprocess: the real load_dotenv runs here, on a temporary file (so Python's universal
newlines apply, as they do for every program that loads a path), with os.environ replaced.
"""
import json
import logging
import os
import random
import sys
import tempfile

from dotenv import load_dotenv

# Keys the files and the preset environment share, so that presets, duplicates and
# references meet.
KEYS = ["A", "B", "C", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "k", "a.b", "1X", "_", "É",
        "x-y", "KEY$", "K\"Q", "日本"]
# Horizontal whitespace as Python's regexes see it ([^\S\r\n]): ASCII and Unicode, with
# the separators \x1c-\x1f that str.isspace() counts and Rust's char::is_whitespace does not.
HSPACE = [" ", " ", " ", "\t", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\xa0", "\u3000",
          "\u2028", "\x85"]
NEWLINES = ["\n"] * 8 + ["\r\n"] * 3 + ["\r"]
# Characters for values: quotes, escapes, comment marks, references and whitespace.
VALUE_CHARS = list("abcXYZ019_-./:@+=,;") + ["#", " #", "\t#", "$", "${", "}", "{", ":-",
                                              ":", "\\", "\\\\", "\\'", "\\\"", "\\n",
                                              "\\t", "\\x", "\\u00e9", "'", "\"", " ", "\t",
                                              "é", "日", "\u200b", "\x1c", "\xa0", "`"]


def ws(r, most=3):
    return "".join(r.choice(HSPACE) for _ in range(r.randint(0, most)))


def key(r):
    return r.choice(KEYS)


def reference(r):
    name = key(r) if r.random() < 0.85 else r.choice(["", "NOPE", "A:x", "A B", "${A", "é"])
    k = r.random()
    if k < 0.45:
        return "${" + name + "}"
    if k < 0.75:
        return "${" + name + ":-" + r.choice(["", "d", "dflt", "x y", "${B", "a:b", "$",
                                                "{", "-"]) + "}"
    if k < 0.85:
        return "$" + name
    return r.choice(["${" + name, "${" + name + ":x}", "${" + name + ":-", "${}", "$}",
                     "${:-d}", "${" + name + ":-${B}}", "${A:b:-c}", "${${A}}"])


def chars(r, most=8, extra=()):
    pool = VALUE_CHARS + list(extra)
    out = []
    for _ in range(r.randint(0, most)):
        out.append(reference(r) if r.random() < 0.15 else r.choice(pool))
    return "".join(out)


def value(r):
    k = r.random()
    if k < 0.08:
        return ""
    if k < 0.4:
        return chars(r)
    if k < 0.6:  # single quoted
        body = chars(r, extra=["\n", "\r\n", "\\\n"])
        return "'" + body + ("'" if r.random() < 0.9 else "")
    if k < 0.85:  # double quoted
        body = chars(r, extra=["\n", "\r\n", "\\a", "\\b", "\\f", "\\r", "\\v", "\\\n"])
        return "\"" + body + ("\"" if r.random() < 0.9 else "")
    if k < 0.95:
        return reference(r) + (chars(r, 3) if r.random() < 0.5 else "")
    return r.choice(["#x", " #x", "#", "'a'b", "\"a\"b", "'a' #c", "\"a\"#c", "\"\\\\\"",
                     "'\\\\'", "\"a\\\"", "'it\\'s'", "\"multi\nline\"", "'multi\r\nline'"])


def statement(r):
    k = r.random()
    if k < 0.08:
        return ws(r)
    if k < 0.16:
        return ws(r) + "#" + chars(r, 5)
    if k < 0.2:  # free-form noise
        return "".join(r.choice(VALUE_CHARS + ["=", "export ", "'", "\n"] + KEYS)
                       for _ in range(r.randint(1, 8)))
    s = ws(r, 2)
    if r.random() < 0.2:
        s += r.choice(["export", "export", "export", "exports", "EXPORT"]) + ws(r) + \
            r.choice(HSPACE[:5] + [""])
    q = r.random()
    if q < 0.07:
        s += "'" + r.choice(["", key(r), "my key", "a=b", "x\ny", "#k", "unterminated"]) + \
            r.choice(["'", "'", ""])
    elif q < 0.1:
        s += r.choice(["=", "", "#"])
    else:
        s += key(r)
    s += ws(r, 2)
    if r.random() < 0.85:
        s += "=" + ws(r, 2) + value(r)
        if r.random() < 0.2:
            s += ws(r, 2) + r.choice(["#", "# note", "#c", "junk", "'x'", "\""])
    elif r.random() < 0.3:
        s += r.choice(["# bare", "#", " VALUE", "junk"])
    return s


# Grammar-free noise over the characters the grammar turns on.
SOUP = ["A", "B", "=", "=", "'", "'", "\"", "\"", "\\", "#", " ", " ", "\t", "\n", "\n",
        "\r", "\r\n", "$", "${", "}", ":-", ":", "export ", "\x1c", "\xa0", "é", "\ufeff",
        "n", "x", "'A'"]


def text(r):
    if r.random() < 0.12:
        return "".join(r.choice(SOUP) for _ in range(r.randint(0, 30)))
    parts = []
    if r.random() < 0.08:
        parts.append("\ufeff" * r.randint(1, 2))
    for _ in range(r.randint(0, 9)):
        parts.append(statement(r))
        parts.append(r.choice(NEWLINES))
    if parts and r.random() < 0.3:
        parts.pop()  # no newline at the end
    return "".join(parts)


def content(r):
    data = text(r).encode("utf-8")
    k = r.random()
    if k < 0.03:  # invalid UTF-8: python-dotenv raises UnicodeDecodeError
        i = r.randint(0, len(data))
        bad = r.choice([b"\xff", b"\xc3", b"\xe9", b"\xed\xa0\x80", b"\xc0\xaf",
                        b"\xf4\x90\x80\x80", b"\xe6\x97"])
        data = data[:i] + bad + data[i:]
    elif k < 0.05:  # NUL: os.environ refuses it in a name or value (ValueError)
        i = r.randint(0, len(data))
        data = data[:i] + b"\x00" + data[i:]
    return data


def preset(r):
    env = {}
    for _ in range(r.randint(0, 4)):
        env[key(r)] = r.choice(["", "p", "pre set", "${A}", "#", "é", "v=1"])
    if r.random() < 0.05:
        env["PYTHON_DOTENV_DISABLED"] = r.choice(["1", "true", "TRUE", "t", "Yes", "y",
                                                  "yeſ", "0", "false", "", "on"])
    return env


def load(data, env, path):
    with open(path, "wb") as f:
        f.write(data)
    os.environ.clear()
    os.environ.update(env)
    raised = None
    try:
        load_dotenv(path, override=False, encoding="utf-8")
    except (UnicodeDecodeError, ValueError) as e:
        raised = type(e).__name__
    return dict(os.environ), raised


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    logging.getLogger("dotenv").setLevel(logging.CRITICAL)  # "could not parse" warnings
    saved = dict(os.environ)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, ".env")
        for _ in range(count):
            data, env = content(r), preset(r)
            got, raised = load(data, env, path)
            try:
                shown = data.decode("utf-8")
            except UnicodeDecodeError:
                shown = list(data)
            out.append(json.dumps([shown, env, got, raised], ensure_ascii=False))
        os.environ.clear()
        os.environ.update(saved)
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main()

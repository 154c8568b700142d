"""Generate date strings and say what `dateutil.parser.parse` does with each.

usage: python tests/tools/dateutil_cases.py SEED COUNT
Prints JSON lines [text, outcome], outcome "ok" or the exception's class name. botocore
calls parse() on AWS_CREDENTIAL_EXPIRATION; tests/dateutil_agreement.rs checks that credlint's
port gives the same outcome for every line.
"""
import json
import random
import sys
import warnings

from dateutil.parser import parse

FIXED = [
    "", " ", "2030-01-01T00:00:00Z", "2030-01-01 00:00:00+00:00", "not-a-date",
    "Mon, 01 Jan 2030 00:00:00 GMT", "01/02/2030", "Jan 5 2030", "5th of January 2030",
    "10:30 PM", "12am", "13pm", "2030", "1", "99999999999999999999", "2030-02-30",
    "2030-13-01", "25:00", "nan", "inf", "tomorrow", "2030-01-01T00:00:00.123456789Z",
    "20300101T101010", "20300101", "300101", "2030-01-01T10:10:10-0530", "GMT+3",
    "10:00 GMT+3", "Sep.20.2009", "1 h 30 m", "12h04", "2030 Jan of 30", "Jan-01-99",
    "3 am", "0:00", "10,5", "a.m.", "2030-W01", "1e5", "2030/1/1 10:10:10 (UTC)",
    "10:00 -0300 (BRST)", "29 Feb 2031", "29 Feb 2032", "31", "32", "2147483648",
    "Tuesday", "May", "Z", "2030-01-01T", "T10:00", "10:00:00.5", "10:00:60", "24:00",
]
WORDS = ["Jan", "january", "Sept", "May", "Mon", "tuesday", "am", "PM", "a", "p", "UTC",
         "GMT", "Z", "z", "EST", "BRST", "at", "on", "of", "and", "st", "th", "T", "h", "m",
         "s", "hours", "minutes", "xyz", "now", "nan", "infinity", "ad", "CET"]
SEPS = ["-", "/", ".", ":", " ", ",", "+", "T", "", "  ", "(", ")", ";", "'", "_", "Z"]


def number(r):
    n = r.choice([1, 1, 2, 2, 2, 4, 4, 3, 6, 8, 12, 14, 5, 10, 20])
    s = "".join(r.choice("0123456789") for _ in range(n))
    if r.random() < 0.15:
        s += "." + "".join(r.choice("0123456789") for _ in range(r.randint(0, 8)))
    return s


def iso(r):
    y, mo, d = r.randint(0, 10000), r.randint(0, 13), r.randint(0, 32)
    s = f"{y:04d}-{mo:02d}-{d:02d}"
    if r.random() < 0.7:
        s += r.choice(["T", " "]) + f"{r.randint(0, 25):02d}:{r.randint(0, 61):02d}"
        if r.random() < 0.7:
            s += f":{r.randint(0, 61):02d}"
            if r.random() < 0.3:
                s += "." + str(r.randint(0, 999999999))
        s += r.choice(["", "Z", "z", "+00:00", "-05:30", "+0000", " UTC", " GMT", "+5",
                       " EST", "+123", "-99:99"])
    return s


def junk(r):
    parts = []
    for _ in range(r.randint(1, 7)):
        k = r.random()
        if k < 0.45:
            parts.append(number(r))
        elif k < 0.8:
            parts.append(r.choice(WORDS))
        parts.append(r.choice(SEPS))
    return "".join(parts).strip() if r.random() < 0.8 else "".join(parts)


ZEROS = [0x660, 0x966, 0xFF10, 0x1D7CE, 0xE50]  # Arabic-Indic, Devanagari, full-width, ...
ODD = ["\u00b2", "\u2460", "\u216b", "\u017f", "\u0345", "\u01c5", "\u02b0", "\u00aa",
       "\u00bd", "\u3007", "\u0663"]


def unicode_digits(r, text):
    """Other scripts' digits (int() and float() read them) and odd letters and numerals."""
    zero = r.choice(ZEROS)
    out = "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() and r.random() < 0.7 else c
                  for c in text)
    if r.random() < 0.4:
        i = r.randint(0, len(out))
        out = out[:i] + r.choice(ODD) + out[i:]
    return out


def outcome(text):
    try:
        parse(text)
        return "ok"
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return type(e).__name__


def main():
    warnings.simplefilter("ignore")  # unknown time zone names are only warned about
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    cases = list(FIXED)
    while len(cases) < count:
        case = iso(r) if r.random() < 0.4 else junk(r)
        cases.append(unicode_digits(r, case) if r.random() < 0.12 else case)
    for c in cases:
        print(json.dumps([c, outcome(c)]))


if __name__ == "__main__":
    main()

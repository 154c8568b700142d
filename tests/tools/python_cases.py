"""Generate inputs for one of the Python functions credlint ports, and say what Python does.

usage: python tests/tools/python_cases.py KIND SEED COUNT
KIND is one of:
  shlex  shlex.split(text)                          -> the words
  url    urllib.parse.urlsplit(text).hostname       -> the host (null when None)
  ip     ipaddress.ip_address(text)                 -> "4", "4 loopback", "6", "6 loopback"
  int    int(text)                                  -> "ok"
Prints JSON lines [text, result], or [text, "ValueError: message"] where Python raises.
botocore splits `[profile ...]` headers and credential_process with shlex, and checks the
container and instance-metadata endpoints with urlsplit and ip_address, and reads the
instance-metadata timeout and attempts with int();
tests/python_ports.rs checks that credlint's ports agree on every line.
"""
import ipaddress
import json
import random
import shlex
import sys
from urllib.parse import urlsplit

SHLEX = ["a", "b", "x y", " ", "  ", "\t", "\r", "\n", "\"", "'", "\\", "#", "$", "é",
         "\u00a0", "\u2028", "\x0b", "\x0c", "=", ";", "profile", "-", "~"]
URL_HEAD = ["http://", "https://", "HTTP://", " http://", "\x01http://", "http:", "//", "",
            "h\ttp://", "1http://", "a+b.c://", "http:///"]
URL_HOST = ["localhost", "LOCALHOST", "127.0.0.1", "169.254.170.2", "[::1]", "[::1%25eth0]",
            "[::1%]", "[fd00:ec2::23]", "[1.2.3.4]", "[v1.x]", "[vz.x]", "[::1", "::1]",
            "u:p@localhost", "a@b@127.0.0.1", "ex\uff03ample.com", "ex\u00e4mple.com",
            "exa\tmple.com", "local\nhost", "", "[", "]", "host:99", "[::ffff:127.0.0.1]"]
URL_TAIL = ["", "/", "/creds", ":8080/x", "?a=b", "#f", "\n", "\t/x", " ", "/[", "%"]
IP_PART = ["0", "1", "00", "01", "127", "255", "256", "ffff", "FFFF", "12345", "g", "", "::",
           ":", ".", "%", "%25eth0", "1.2.3.4", "0:0", "x"]


def shlex_text(r):
    return "".join(r.choice(SHLEX) for _ in range(r.randint(0, 12)))


def url_text(r):
    text = r.choice(URL_HEAD) + r.choice(URL_HOST) + r.choice(URL_TAIL)
    if r.random() < 0.3:
        i = r.randint(0, len(text))
        text = text[:i] + r.choice(["[", "]", "@", ":", "\t", " ", "%"]) + text[i:]
    return text


def ip_text(r):
    if r.random() < 0.3:
        sep = r.choice([".", ":", ":", "::"])
        return sep.join(r.choice(IP_PART) for _ in range(r.randint(1, 9)))
    if r.random() < 0.3:
        text = str(ipaddress.IPv4Address(r.choice([0x7F000001, r.getrandbits(32)])))
    else:
        ip = ipaddress.IPv6Address(r.choice([1, 0, r.getrandbits(128), r.getrandbits(16) << 64]))
        text = r.choice([ip.compressed, ip.exploded, ip.compressed.upper()])
        if r.random() < 0.2:
            text = text.rsplit(":", 2)[0] + ":" + ".".join(str(r.randint(0, 255)) for _ in range(4))
        if r.random() < 0.2:
            text += r.choice(["%eth0", "%", "%25", "%a%b"])
    for _ in range(r.choice([0, 0, 1, 2])):
        i = r.randint(0, len(text))
        if r.random() < 0.5 and text:
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + r.choice([":", ".", "%", "0", "f", "1", "::", "/"]) + text[i:]
    return text


INT_PART = ["0", "1", "9", "_", "+", "-", " ", "\t", "\u3000", "\u0663", "\uff10",
            "\U0001d7ce", "\u00b2", "\u2167", "a", ".", "e", "\x1c", "\u00a0", "\u200b"]


def int_text(r):
    return "".join(r.choice(INT_PART) for _ in range(r.randint(0, 6)))


def int_result(text):
    int(text)
    return "ok"


def ip_result(text):
    ip = ipaddress.ip_address(text)
    return f"{ip.version}{' loopback' if ip.is_loopback else ''}"


KINDS = {
    "shlex": (shlex_text, shlex.split),
    "url": (url_text, lambda text: urlsplit(text).hostname),
    "ip": (ip_text, ip_result),
    "int": (int_text, int_result),
}


def main():
    kind, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    make, run = KINDS[kind]
    r = random.Random(seed)
    for _ in range(count):
        text = make(r)
        try:
            out = run(text)
        except ValueError as e:
            out = f"ValueError: {e}"
        print(json.dumps([text, out]))


main()

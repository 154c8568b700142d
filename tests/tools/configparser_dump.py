"""Parse every file in a folder with Python's configparser exactly as botocore does
(RawConfigParser(), strict, read([path])) and print one JSON line per file:
{"file", "error": class name | null, "sections": [[name, [[key, value], ...]], ...],
 "defaults": [[key, value], ...]}."""
import configparser
import json
import os
import sys

folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    cp = configparser.RawConfigParser()
    out = {"file": name, "error": None, "sections": [], "defaults": []}
    try:
        cp.read([os.path.join(folder, name)])
        out["sections"] = [[s, [[k, v] for k, v in cp._sections[s].items()]] for s in cp.sections()]
        out["defaults"] = [[k, v] for k, v in cp._defaults.items()]
    except (configparser.Error, UnicodeDecodeError) as e:
        out["error"] = type(e).__name__
    print(json.dumps(out))

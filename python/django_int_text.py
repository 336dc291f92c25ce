"""What Python's int() makes of cache bytes, as Django's RedisSerializer.loads tries first.

stdin: a JSON list of hex strings. stdout: a JSON list, each the decimal text of int(bytes) or null
where int() raises ValueError. Used by test/integrations/django-values.test.ts.
"""
import json
import sys

results = []
for text in json.load(sys.stdin):
    try:
        results.append(str(int(bytes.fromhex(text))))
    except ValueError:
        results.append(None)
print(json.dumps(results))

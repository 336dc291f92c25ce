"""The CPython side of bench/floors.ts, in bench/python_timer.py's style: a process for one statement.

  python3 bench/python_statement_timer.py DATA_DIR SETUP STMT

SETUP runs once (with DATA = the data directory); then each stdin line times one evaluation of the
expression STMT, answered as {"seconds": s}. The result is freed after the clock, as in
python_timer.py; the cyclic GC stays on (as in the harness's main CPython rows).
"""
import json
import sys
import time

data_dir, setup, stmt = sys.argv[1:4]
namespace = {"DATA": data_dir}
exec(setup, namespace)
call = eval(f"lambda: ({stmt})", namespace)

for _ in sys.stdin:
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    del result
    sys.stdout.write(json.dumps({"seconds": elapsed}) + "\n")
    sys.stdout.flush()

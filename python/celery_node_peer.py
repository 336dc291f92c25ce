"""A Python producer of tasks a Node consumer runs (test/integrations/celery-consumer.test.ts).

Run by Debian's /usr/bin/python3 with CELERY_REDIS_URL set. argv: queue. Sends node.multiply(6, 7)
and node.divide(1, 0) through Celery's own API to that queue, waits for their results with
AsyncResult.get() (which unpickles what Node stored) and prints one JSON line of their reprs.
"""
import json
import sys

from celery_app import app


def outcome(result):
    try:
        return repr(result.get(timeout=30))
    except Exception as e:  # the stored exception, re-raised by Celery
        return repr(e)


def main():
    queue = sys.argv[1]
    product = app.send_task("node.multiply", args=(6, 7), kwargs={"scale": 1.5}, queue=queue)
    quotient = app.send_task("node.divide", args=(1, 0), queue=queue)
    print(json.dumps({"multiply": outcome(product), "divide": outcome(quotient)}))


main()

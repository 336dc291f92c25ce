"""Celery's own messages, for the Node message to be compared with (test/integrations/celery-message.test.ts).

Run by Debian's /usr/bin/python3 with CELERY_REDIS_URL set. argv: queue, then the task ids to use.
Sends, through Celery's own API, to a queue no worker consumes (the test reads them with LRANGE):
  1. app.send_task('tasks.add', (2, 3))
  2. echo.apply_async(RICH_ARGS, RICH_KWARGS, eta, expires, time limits, priority 5, shadow, retries)
Prints json.dumps of a few awkward strings, the text kombu's JSON would hold for them.
"""
import datetime
import json
import sys

from celery_app import app, echo

UTC = datetime.timezone.utc
RICH_ARGS = (2, "é", 1.5, None, [1, 2], b"\x00\xff", 2**70)
RICH_KWARGS = {"label": "sum é", "when": datetime.datetime(2024, 1, 2, 3, 4, 5, 678901), "nested": {"k": (1, True)}}


def main():
    queue, add_id, echo_id = sys.argv[1:4]
    app.send_task("tasks.add", args=(2, 3), queue=queue, task_id=add_id)
    echo.apply_async(
        RICH_ARGS,
        RICH_KWARGS,
        queue=queue,
        task_id=echo_id,
        eta=datetime.datetime(2030, 1, 2, 3, 4, 5, 250000, tzinfo=UTC),
        expires=datetime.datetime(2030, 1, 3, tzinfo=UTC),
        time_limit=30,
        soft_time_limit=20,
        priority=5,
        shadow="echo-shadow",
        retries=2,
    )
    print(json.dumps(["é", "\u2028", "\U0001f600", "\x00\x1f\x7f", 'q"\\/', "\ud800"]))


main()

"""The Celery app the Node integration tests talk to (test/integrations/celery.test.ts).

Run by Debian's /usr/bin/python3 (python3-celery 5.2, kombu 5.2), with CELERY_REDIS_URL naming
the Redis database used as both broker and result backend. Pickle is the task and result
serializer, as in the services the integration is for.
"""
import dataclasses
import os

from celery import Celery

REDIS_URL = os.environ.get("CELERY_REDIS_URL", "redis://127.0.0.1:6379/3")

app = Celery("celery_app", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_serializer="pickle",
    result_serializer="pickle",
    accept_content=["pickle", "json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@dataclasses.dataclass
class Point:
    x: int
    y: int
    label: str


@app.task(name="tasks.add")
def add(x, y):
    return x + y


@app.task(name="tasks.make_point")
def make_point(x, y, label="origin"):
    """A result a schema can type: a dataclass instance."""
    return Point(x, y, label)


@app.task(name="tasks.fail")
def fail(message):
    raise ValueError(message)


@app.task(name="tasks.echo")
def echo(*args, **kwargs):
    """What the worker received, to check a Node message's arguments arrive as sent."""
    return [list(args), kwargs]


class PaymentDeclined(Exception):
    """An application's own exception class: on no list the Node reader knows."""

    def __init__(self, reason, amount):
        super().__init__(reason, amount)
        self.code = "card"


@app.task(name="tasks.decline")
def decline(amount):
    raise PaymentDeclined("card declined", amount)


@app.task(name="tasks.fail_unpicklable")
def fail_unpicklable():
    """An exception that does not pickle: Celery stores its UnpickleableExceptionWrapper instead."""
    raise RuntimeError("no pickle for this", lambda: 0)

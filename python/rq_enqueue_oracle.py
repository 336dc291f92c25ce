"""RQ's own enqueue, for test/integrations/rq-enqueue.test.ts: enqueues each case below on queue
`compare` with Debian's python3-rq and prints `{"case": name, "id": job id}` per line. The test
enqueues the same cases from Node and compares the two jobs field by field.

Usage: /usr/bin/python3 rq_enqueue_oracle.py redis://127.0.0.1:PORT/1"""
import datetime
import json
import sys

from redis import Redis
from rq import Queue, Retry

from myapp.models import Address, User

USER = User(
    name="Ada",
    age=36,
    score=9.5,
    hobbies=["math", "poetry"],
    is_active=True,
    address=Address("12 St James's Square", "SW1Y 4JH"),
    created=datetime.datetime(2024, 5, 17, 9, 30, 0, 123456),
)


def cases(q):
    yield "add", lambda: q.enqueue("rq_tasks.add", 2, 3)
    yield "no-args", lambda: q.enqueue("rq_tasks.nothing")
    yield "kwargs-and-options", lambda: q.enqueue_call(
        "rq_tasks.add",
        args=(2,),
        kwargs={"b": 3.5, "a_first": None},
        timeout="15m",
        result_ttl=600,
        ttl=900,
        failure_ttl=1200,
        meta={"source": "node", "tries": 1},
        retry=Retry(max=3, interval=[10, 20]),
    )
    yield "values", lambda: q.enqueue(
        "rq_tasks.add",
        [1, "a", (2, 3)],
        {"k": (1, 2), "é🎉": b"\x00\xff"},
        None,
        True,
        1.5,
        2**70,
        "x" * 100,
        "é🎉" * 40,
    )
    yield "typed-user", lambda: q.enqueue("rq_tasks.birthday", USER, hobby="tea")
    yield "at-front", lambda: q.enqueue("rq_tasks.add", 1, 1, at_front=True, description="one and one", job_timeout=-1)


def main():
    q = Queue("compare", connection=Redis.from_url(sys.argv[1]))
    for name, enqueue in cases(q):
        print(json.dumps({"case": name, "id": enqueue().id}))


if __name__ == "__main__":
    main()

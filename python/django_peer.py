"""Django's side of test/integrations/django.test.ts: the real RedisCache and cache session engine.

    DJANGO_REDIS_URL=redis://127.0.0.1:PORT/2 DJANGO_DB_PATH=/tmp/x.sqlite3 python django_peer.py write
        FLUSHDB, then Django caches every value of django_app.cases.CASES under "case:<name>", plus
        versioned, prefixed, timed and hostile entries and a logged-in session; prints JSON of what
        Node needs to check them (the pickles CPython makes, the session key, the user's password field).
    ... python django_peer.py check < node.json
        Django reads what Node wrote (the names and session keys in node.json) and prints JSON verdicts.

Run with the venv python of test/support/python-venv.ts (Django 5.2, redis-py).
"""
import json
import os
import pickle
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_app.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.cache import SessionStore  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client  # noqa: E402

from django_app.cases import CASES  # noqa: E402


def raw_redis():
    return cache._cache.get_client(write=True)


class Hostile:
    """Pickles as a call of os.system: a poisoned cache entry. Never unpickled here."""

    def __reduce__(self):
        return (os.system, ("touch " + os.environ["DJANGO_MARKER_PATH"],))


def write():
    raw_redis().flushdb()
    for name, value in CASES.items():
        cache.set("case:" + name, value)
    cache.set("versioned", "version two", version=2)
    cache.set("versioned", "version one")
    caches["prefixed"].set("greeting", "hello from shop")
    cache.set("short", "x", timeout=60)
    cache.set("forever", "y", timeout=None)
    raw_redis().set(cache.make_key("hostile"), pickle.dumps(Hostile(), pickle.HIGHEST_PROTOCOL))

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("ada", password="correct horse")
    client = Client()
    assert client.login(username="ada", password="correct horse")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = SessionStore(session_key)
    store["cart"] = [1, 2, 3]
    store.save()
    cached_db = CachedDbSessionStore()
    cached_db["flavour"] = "cached_db"
    cached_db.save()
    hostile_session = cache.make_key(SessionStore.cache_key_prefix + "hostilesessionkey")
    raw_redis().set(hostile_session, pickle.dumps({"_auth_user_id": Hostile()}, pickle.HIGHEST_PROTOCOL))

    print(json.dumps({
        "pickles": {name: stored_bytes(value) for name, value in CASES.items()},
        "sessionKey": session_key,
        "cachedDbSessionKey": cached_db.session_key,
        "userId": str(user.pk),
        "password": user.password,
        "secretKeys": [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS],
        "sessionHash": user.get_session_auth_hash(),
        "sessionTtl": raw_redis().ttl(cache.make_key(SessionStore.cache_key_prefix + session_key)),
    }))


def stored_bytes(value):
    """What RedisSerializer hands redis-py, as redis-py sends it: hex."""
    dumped = cache._cache._serializer.dumps(value)
    return (str(dumped).encode() if type(dumped) is int else dumped).hex()


def check(node):
    raw = raw_redis()
    verdicts = {}
    for name in node["cases"]:
        key = "node:" + name
        got = cache.get(key, "<missing>")
        want = CASES[name]
        verdicts[name] = {
            "equal": got == want and type(got) is type(want),
            "repr": repr(got)[:200],
            "stored": raw.get(cache.make_key(key)).hex(),
            "ttl": raw.ttl(cache.make_key(key)),
        }
    request = HttpRequest()
    request.session = SessionStore(node["sessionKey"])
    user = get_user(request)
    print(json.dumps({
        "cases": verdicts,
        "versioned": [cache.get("node:versioned", version=v) for v in (1, 7)],
        "prefixed": caches["prefixed"].get("node:greeting"),
        "prefixedTtl": raw.ttl(caches["prefixed"].make_key("node:greeting")),
        "persistentTtl": raw.ttl(cache.make_key("node:forever")),
        "counter": cache.get("node:counter"),
        "hugeIntEqual": cache.get("node:huge") == 10**4300,
        "session": dict(request.session.items()),
        "sessionTtl": raw.ttl(cache.make_key(SessionStore.cache_key_prefix + node["sessionKey"])),
        "loggedIn": user.username if user.is_authenticated else None,
    }))


if __name__ == "__main__":
    if sys.argv[1:] == ["write"]:
        write()
    elif sys.argv[1:] == ["check"]:
        check(json.load(sys.stdin))
    else:
        sys.exit(__doc__)

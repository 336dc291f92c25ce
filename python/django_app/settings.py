# Settings of the test project: Django's built-in Redis cache on the URL in DJANGO_REDIS_URL (the
# tests use database 2), the cache session engine, and a SQLite file for the auth tables.
import os

SECRET_KEY = "typed-pickle-test-secret-key-not-for-production"
SECRET_KEY_FALLBACKS = ["an-older-secret-key"]
DEBUG = False
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DJANGO_DB_PATH"]},
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DJANGO_REDIS_URL"],
    },
    "prefixed": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DJANGO_REDIS_URL"],
        "KEY_PREFIX": "shop",
        "VERSION": 3,
        "TIMEOUT": 60,
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: the tests log in, they test no hashing
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

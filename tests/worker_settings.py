"""Settings of the worker processes that the worker's tests start: the test settings, on
the test database that pytest-django created, with the database task backend, and a mail
sink that records each message in a file (slowly, so that a test can kill a worker in
the middle of a send)."""

import os

from cluster.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["CITE_TEST_DATABASE"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAIL_BACKEND = "tests.mail_sink.SlowFileBackend"

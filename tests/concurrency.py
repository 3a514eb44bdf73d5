"""Run calls at the same moment from several threads, each with its own connection.

Tests that use it need real transactions: mark them ``django_db(transaction=True)``.
"""

import threading

from django.db import connections


def run_concurrently(function, arguments, *, timeout=60):
    """Call ``function(*args)`` for each ``args`` of ``arguments`` in its own thread, all
    released at once; return ``(results, errors)`` in completion order."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def call(args):
        try:
            barrier.wait(timeout=10)
            results.append(function(*args))
        except Exception as error:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(args,)) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors

"""Whether the database answers, decided within a bounded time.

A frozen PostgreSQL accepts the TCP connection and then never replies, so a query on the
site's own (kept-alive) connection would wait for as long as the kernel does. The check
opens a fresh connection in a helper thread and waits for it at most `timeout` seconds
(libpq's own connect timeout cannot go below 2 s); the thread gives up by itself soon after."""

import threading

from django.db import DatabaseError, connection


def database_answers(*, timeout: int) -> bool:
    if connection.vendor != "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone() == (1,)
        except DatabaseError:
            return False
    return postgresql_answers(connection.get_connection_params(), timeout=timeout)


def postgresql_answers(params: dict, *, timeout: float) -> bool:
    import psycopg

    params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
    params.update(connect_timeout=max(2, round(timeout)), options=f"-c statement_timeout={round(timeout * 1000)}")
    answers = []

    def probe():
        try:
            with psycopg.connect(**params, autocommit=True) as probe_connection:
                answers.append(probe_connection.execute("SELECT 1").fetchone() == (1,))
        except psycopg.Error:
            answers.append(False)

    worker = threading.Thread(target=probe, daemon=True, name="healthz-probe")
    worker.start()
    worker.join(timeout)
    return bool(answers and answers[0])

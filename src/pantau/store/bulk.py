"""Many-row INSERTs whose values are converted to the driver's form ahead of time.

SQLAlchemy's ``executemany`` converts every value (dates to text on SQLite, JSON to text) and builds
each row's parameters while the statement runs, inside the transaction, which on SQLite holds the
database's only write lock. A ``RowWriter`` does the same conversion with the same bind processors
when a row is made (``row``), which can be before the transaction opens, and sends the prepared
rows to the driver at once (``insert``). Values may still be set on a prepared row (``set``), e.g. a
case id known only once the transaction has read the cases.

On SQLite the rows go in one ``executemany``; on PostgreSQL in one ``COPY … FROM STDIN`` (psycopg),
which writes a thousand rows in about a quarter of the time of an INSERT per row, and holds the
transaction's row locks that much less (``benchmarks/ingest_throughput.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.exc import DBAPIError

Row = list[Any] | dict[str, Any]  # positional (SQLite's qmark) or named (psycopg's pyformat)


class RowWriter:
    """INSERT INTO ``table`` (``keys``) for one dialect: prepared rows, written at once."""

    def __init__(self, table: Table, dialect: Dialect, keys: Sequence[str]) -> None:
        # inline(): no RETURNING of generated keys (nothing reads them back from an executemany)
        compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(keys))
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        bound = list(compiled.positiontup or ()) if self.positional else list(compiled.binds)
        if sorted(bound) != sorted(keys):  # e.g. a column with a default that the rows do not carry
            raise ValueError(f"{table.name}: the statement binds {sorted(bound)}, not the columns {sorted(keys)}")
        self.keys = bound if self.positional else list(keys)
        # psycopg (PostgreSQL): the rows go in by COPY; other drivers take the executemany
        columns = ", ".join(map(compiled.preparer.quote, self.keys))
        self.copy_sql = f"COPY {compiled.preparer.format_table(table)} ({columns}) FROM STDIN" \
            if dialect.driver == "psycopg" else None
        self._index = {k: n for n, k in enumerate(self.keys)}
        self._process: dict[str, Callable[[Any], Any]] = {}
        for key in self.keys:
            processor = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._process[key] = processor

    def _value(self, key: str, value: Any) -> Any:
        process = self._process.get(key)  # given None too: a JSON column's None is JSON null, as in SQLAlchemy
        return value if process is None else process(value)

    def row(self, values: Mapping[str, Any]) -> Row:
        if self.positional:
            return [self._value(k, values[k]) for k in self.keys]
        return {k: self._value(k, values[k]) for k in self.keys}

    def set(self, row: Row, key: str, value: Any) -> None:
        if isinstance(row, list):
            row[self._index[key]] = self._value(key, value)
        else:
            row[key] = self._value(key, value)

    def insert(self, connection: Connection, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self.copy_sql is not None:
            self._copy(connection, self.copy_sql, rows)
        else:
            connection.exec_driver_sql(self.sql, [tuple(r) for r in rows] if self.positional else list(rows))

    def _copy(self, connection: Connection, copy_sql: str, rows: Sequence[Row]) -> None:
        """COPY through the driver's own cursor. Its errors are raised as SQLAlchemy's, as a statement's
        would be (a unique violation as IntegrityError, for the callers' race retries; a lost server as
        a disconnect, the connection invalidated), since SQLAlchemy does not see this statement."""
        dialect = connection.dialect
        driver = connection.connection.dbapi_connection  # psycopg's own connection
        try:
            with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:  # columns in self.keys order, as the COPY names them
                    copy.write_row([row[k] for k in self.keys] if isinstance(row, dict) else row)
        except dialect.loaded_dbapi.Error as exc:
            lost = dialect.is_disconnect(exc, driver, None)
            if lost:
                connection.invalidate(exc)
            raise DBAPIError.instance(copy_sql, None, exc, dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=dialect) from exc


_WRITERS: dict[tuple[str, str, str, tuple[str, ...]], RowWriter] = {}


def writer(table: Table, dialect: Dialect, keys: Sequence[str]) -> RowWriter:
    """The (cached) writer for these columns of ``table`` on this kind of database and driver."""
    key = (table.name, dialect.name, dialect.driver, tuple(keys))
    found = _WRITERS.get(key)
    if found is None:
        found = _WRITERS[key] = RowWriter(table, dialect, keys)
    return found

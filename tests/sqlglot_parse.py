"""Parses SQL with sqlglot, an independent second parser, for tests/engines.rs.

Reads a JSON list of {"dialect", "name", "sql"} from standard input, parses each with
sqlglot.parse(sql, read=dialect) at error level RAISE, and prints {"parsed": n, "failures":
[{"name", "dialect", "error"}]}. Every statement of a file must parse; none may come back empty.
"""

import json
import sys

import sqlglot
from sqlglot.errors import ErrorLevel


def check(item):
    statements = sqlglot.parse(item["sql"], read=item["dialect"], error_level=ErrorLevel.RAISE)
    if not [s for s in statements if s is not None]:
        raise ValueError("no statement")


def main():
    failures = []
    parsed = 0
    for item in json.load(sys.stdin):
        try:
            check(item)
            parsed += 1
        except Exception as error:  # noqa: BLE001 - the message is the report
            failures.append({"name": item["name"], "dialect": item["dialect"], "error": str(error)})
    json.dump({"parsed": parsed, "failures": failures}, sys.stdout)


if __name__ == "__main__":
    main()

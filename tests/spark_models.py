"""Builds nexus models on Apache Spark in local mode, for tests/engines.rs.

Reads one JSON job from standard input: the fixture source tables (typed columns, rows as text)
and, per scenario, the schema statement, every model's emitted SELECT for the databricks dialect
in dependency order, and the data test queries. Starts Spark once (start-up takes seconds), loads
the sources, builds each scenario's models and prints JSON: {scenario: {"models": {model:
[[text|null]]}, "data_test_failures": [row count per data test]}}, timestamps as canonical UTC
text. A failing statement fails the run with Spark's message.

Models are created with CREATE TABLE ... USING parquet AS <select>: open-source Spark's built-in
catalog cannot CREATE OR REPLACE (a Delta feature), so the Databricks DDL itself is parse-checked
in the Rust test instead of executed here.
"""

import json
import os
import sys
import tempfile


def session(warehouse):
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("nexus-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", warehouse)
        .getOrCreate()
    )


def quote(name):
    return "`" + name.replace("`", "``") + "`"


def load(spark, table):
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    names = [c["name"] for c in table["columns"]]
    schema = StructType([StructField(n, StringType(), True) for n in names])
    frame = spark.createDataFrame(table["rows"], schema)
    typed = [
        F.col(c["name"]).cast("timestamp") if c["type"] == "timestamp" else F.col(c["name"])
        for c in table["columns"]
    ]
    spark.sql("create schema if not exists " + quote(table["schema"]))
    relation = quote(table["schema"]) + "." + quote(table["table"])
    frame.select(*typed).write.mode("overwrite").saveAsTable(relation)


def rows(spark, relation):
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType

    frame = spark.sql("select * from " + relation)
    # Formatted by Spark in the session time zone (UTC), not by Python in the machine's.
    cells = [
        F.date_format(F.col(quote(f.name)), "yyyy-MM-dd HH:mm:ss.SSSSSS").alias(f.name)
        if isinstance(f.dataType, TimestampType)
        else F.col(quote(f.name)).cast("string").alias(f.name)
        for f in frame.schema.fields
    ]
    return [list(r) for r in frame.select(*cells).collect()]


def build(spark, scenario):
    spark.sql(scenario["create_schema"].rstrip().rstrip(";"))
    out = {}
    for model in scenario["models"]:
        relation = model["relation"]
        spark.sql("drop table if exists " + relation)
        try:
            spark.sql("create table " + relation + " using parquet as\n" + model["sql"])
        except Exception as error:  # noqa: BLE001 - the message is the report
            raise SystemExit(f"model {model['name']} failed on Spark: {error}\n{model['sql']}")
        out[model["name"]] = rows(spark, relation)
    counts = [spark.sql(query).count() for query in scenario["data_tests"]]
    return {"models": out, "data_test_failures": counts}


def main():
    job = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="nexus-spark-") as warehouse:
        spark = session(warehouse)
        spark.sparkContext.setLogLevel("ERROR")
        try:
            for table in job["sources"]:
                load(spark, table)
            result = {s["name"]: build(spark, s) for s in job["scenarios"]}
        finally:
            spark.stop()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    main()

"""`cablegram spark INPUT OUTPUT`: code a Parquet file of documents on Apache Spark into a Parquet file of events.

Rows are read exactly as `cablegram code file.parquet` reads them (same fields, same ids for rows without one:
`<file stem>-<row>`), then coded with PySpark `mapInPandas`: each Python worker of an executor loads the models
once (workers are reused across tasks) and codes its partitions in streaming batches. A record that cannot be
read becomes a row with only `error` set, so one pass writes everything and the driver reports the skips.
On a cluster, with cablegram installed in the driver's and executors' Python environment:
`spark-submit --master yarn --conf spark.executor.cores=4 "$(python -c 'import cablegram.spark as s; print(s.__file__)')" IN OUT [PARTITIONS]`
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Iterator

COLUMNS = [("id", "string"), ("event_type", "string"), ("mode", "string"), ("quad", "string"),
           ("status", "string"), ("confidence", "double"), ("date", "string"), ("date_text", "string"),
           ("actor_text", "string"), ("actor_name", "string"), ("actor_country", "string"),
           ("actor_sector", "string"), ("recipient_text", "string"), ("recipient_name", "string"),
           ("recipient_country", "string"), ("recipient_sector", "string"), ("location_name", "string"),
           ("location_country", "string"), ("lat", "double"), ("lon", "double"), ("num_mentions", "long"),
           ("doc_ids", "string"), ("sources", "string"), ("hedged", "boolean"), ("speaker", "string"),
           ("sentence", "string"), ("event", "string"), ("error", "string")]
SCHEMA = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
ROW = "_cablegram_row"  # 1-based row number in the input file, added by the driver
_coder = None


def _clean(value):
    """pandas turns missing values into NaN; records want None."""
    return None if isinstance(value, float) and math.isnan(value) else value


def code_batches(batches, source: str) -> Iterator:
    """mapInPandas body: pandas batches of document rows -> pandas batches of event rows (and error rows)."""
    import pandas as pd

    from .documents import _from_record
    from .models import Skipped
    from .output import flatten

    global _coder
    if _coder is None:
        from .coding.coder import Coder

        _coder = Coder()
    stem = Path(source).stem
    for batch in batches:
        docs, rows = [], []
        for record in batch.to_dict("records"):
            record = {k: _clean(v) for k, v in record.items()}
            row = record.pop(ROW)
            item = _from_record(record, f"{source}:{row}", f"{stem}-{row}")
            if isinstance(item, Skipped):
                rows.append({"error": f"{item.origin}: {item.reason}"})
            else:
                docs.append(item)

        def failed(doc, exc):
            rows.append({"error": f"{doc.origin or doc.id}: coding failed: {type(exc).__name__}: {exc}"})

        for _doc, events in _coder.code_stream(docs, on_error=failed):
            for ev in events:
                d = ev.to_dict()
                rows.append({**flatten(d), "event": json.dumps(d, ensure_ascii=False, sort_keys=True)})
        if rows:  # an empty frame has no column types for Arrow to convert
            yield pd.DataFrame({name: pd.Series([r.get(name) for r in rows],
                                                dtype="float64" if kind == "double" else object)
                                for name, kind in COLUMNS})


def run(source: str, target: str, master: str | None = None, partitions: int | None = None) -> tuple[int, list[str]]:
    """Code Parquet `source` into Parquet `target` (overwritten); returns (events written, error messages)."""
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local mode: workers run this interpreter
    builder = (SparkSession.builder.appName("cablegram")
               .config("spark.python.worker.reuse", "true")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
               .config("spark.executorEnv.OMP_NUM_THREADS", "1")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        docs = spark.read.parquet(source)
        numbered = docs.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1))
        docs = spark.createDataFrame(numbered, docs.schema.add(ROW, "long"))
        if partitions:
            docs = docs.repartition(partitions)
        path = str(source)
        events = docs.mapInPandas(lambda batches: code_batches(batches, path), schema=SCHEMA)
        events.write.mode("overwrite").parquet(target)
        status = [r.error for r in spark.read.parquet(target).select("error").collect()]
        return sum(e is None for e in status), [e for e in status if e is not None]
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point for spark-submit: INPUT OUTPUT [PARTITIONS]."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: spark.py INPUT.parquet OUTPUT [PARTITIONS]", file=sys.stderr)
        return 1
    count, errors = run(args[0], args[1], partitions=int(args[2]) if len(args) == 3 else None)
    for e in errors:
        print(f"skipped {e}", file=sys.stderr)
    print(f"{count} event(s) written to {args[1]}", file=sys.stderr)
    return 2 if errors else 0


if __name__ == "__main__":  # spark-submit runs this file as a script: use the installed module, so executors
    from cablegram.spark import main as installed_main  # unpickle its functions by reference, models cached

    raise SystemExit(installed_main())

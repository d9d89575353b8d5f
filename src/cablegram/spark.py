"""`cablegram spark INPUT OUTPUT`: code a Parquet file of documents on Apache Spark into a Parquet file of events,
merged across documents as a local ingest merges them, with stories in OUTPUT_stories.

Rows are read exactly as `cablegram code file.parquet` reads them (same fields, same ids for rows without one:
`<file stem>-<row>`), then coded with PySpark `mapInPandas`: each Python worker of an executor loads the models
once (workers are reused across tasks) and codes its partitions in streaming batches. A record that cannot be
read becomes a row with only `error` set, so one pass writes everything and the driver reports the skips.
The coded events are then grouped by block and merged on the executors, and the driver builds the stories
(spark_merge.py); `--no-merge` writes the coded events instead. On a cluster (benchmarks/README.md):
`spark-submit --master yarn --conf spark.executor.cores=4 "$(python -c 'import cablegram.spark as s; print(s.__file__)')" [--no-merge] IN OUT [PARTITIONS]`"""

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
DOC_COLUMNS = [("block", "string"), ("doc_id", "string"), ("doc_title", "string"), ("doc_source", "string"),
               ("doc_published", "string")]  # for merging and stories; not written with --no-merge
CODED_SCHEMA = SCHEMA + ", " + ", ".join(f"{name} {kind}" for name, kind in DOC_COLUMNS)
STORY_COLUMNS = "id string, title string, parties string, first_date string, last_date string, " \
                "num_events long, num_documents long, story string"
ROWS_PER_PARTITION = 32  # documents per input partition at least, so task start-up stays small beside coding
PARTITIONS_PER_CORE = 3  # several tasks per core even out documents that take longer than others
ROW = "_cablegram_row"  # 1-based row number in the input file, added by the driver
_coder = None


def _clean(value):
    """pandas turns missing values into NaN; records want None."""
    return None if isinstance(value, float) and math.isnan(value) else value


def code_batches(batches, source: str) -> Iterator:
    """mapInPandas body: pandas batches of document rows -> pandas batches of event rows (and error rows)."""
    import pandas as pd

    from .consolidate.blocks import report_keys
    from .documents import document_from_record
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
            item = document_from_record(record, f"{source}:{row}", f"{stem}-{row}")
            if isinstance(item, Skipped):
                rows.append({"error": f"{item.origin}: {item.reason}"})
            else:
                docs.append(item)

        def failed(doc, exc):
            rows.append({"error": f"{doc.origin or doc.id}: coding failed: {type(exc).__name__}: {exc}"})

        for doc, events in _coder.code_stream(docs, on_error=failed):
            meta = {"doc_id": doc.id, "doc_title": doc.title, "doc_source": doc.source, "doc_published": doc.published}
            unique = list({ev.id: ev for ev in reversed(events)}.values())  # as the store keeps them
            blocks = dict(zip((ev.id for ev in unique), report_keys(unique)))
            for ev in events:
                d, block = ev.to_dict(), blocks[ev.id]
                rows.append({**flatten(d), "event": json.dumps(d, ensure_ascii=False, sort_keys=True),
                             "block": block, **meta})
        if rows:  # an empty frame has no column types for Arrow to convert
            yield pd.DataFrame({name: pd.Series([r.get(name) for r in rows],
                                                dtype="float64" if kind == "double" else object)
                                for name, kind in COLUMNS + DOC_COLUMNS})


def partition_count(rows: int, cores: int) -> int:
    """Input partitions: PARTITIONS_PER_CORE per core, but none smaller than ROWS_PER_PARTITION documents."""
    return max(1, min(cores * PARTITIONS_PER_CORE, math.ceil(rows / ROWS_PER_PARTITION)))


def stories_path(target: str) -> str:
    """Where the stories of a merged run go: beside the events, `<target>_stories`."""
    return str(target).rstrip("/") + "_stories"


def session(master: str | None = None):
    """The Spark session cablegram runs in. Python workers are reused, so each loads the models once. Adaptive
    execution must not coalesce the merge's shuffle partitions: it sizes them by bytes, and the coded events of
    thousands of reports are a few megabytes, so every block would be merged in one task on one core."""
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local mode: workers run this interpreter
    builder = (SparkSession.builder.appName("cablegram")
               .config("spark.python.worker.reuse", "true")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
               .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
               .config("spark.executorEnv.OMP_NUM_THREADS", "1")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def merge_frame(spark, coded):
    """The merge as a DataFrame: coded events (columns `event`, `block`) grouped by block (by pair where the pair
    has timeless events) and merged on the executors, one task per shuffle partition."""
    from .spark_merge import GROUP_SCHEMA, group_key, merge_group, timeless_pairs

    pairs = timeless_pairs([r.block for r in coded.select("block").distinct().collect()])
    keyed = coded.select("event", "block").rdd.map(lambda r: (group_key(r.block, pairs), r.event, r.block))
    keyed = spark.createDataFrame(keyed, "grp string, event string, block string")
    return keyed.groupBy("grp").applyInPandas(merge_group, schema=GROUP_SCHEMA)


def run(source: str, target: str, master: str | None = None, partitions: int | None = None,
        merge: bool = True) -> tuple[int, list[str]]:
    """Code Parquet `source` into Parquet `target` (overwritten): merged events, and stories in
    `stories_path(target)`, or with `merge=False` the events as coded per document. Returns (events written,
    error messages)."""
    from pyspark import StorageLevel

    spark = session(master)
    try:
        docs = spark.read.parquet(source)
        numbered = docs.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1))
        docs = spark.createDataFrame(numbered, docs.schema.add(ROW, "long"))
        parts = partitions or partition_count(docs.count(), spark.sparkContext.defaultParallelism)
        spark.conf.set("spark.sql.shuffle.partitions", str(parts))
        docs = docs.repartition(parts)
        path = str(source)
        coded = docs.mapInPandas(lambda batches: code_batches(batches, path), schema=CODED_SCHEMA)
        if not merge:
            coded.select([name for name, _ in COLUMNS]).write.mode("overwrite").parquet(target)
            status = [r.error for r in spark.read.parquet(target).select("error").collect()]
            return sum(e is None for e in status), [e for e in status if e is not None]
        coded = coded.persist(StorageLevel.MEMORY_AND_DISK)
        errors = [r.error for r in coded.where("error IS NOT NULL").select("error").collect()]
        count = _merge(spark, coded.where("error IS NULL"), target)
        coded.unpersist()
        return count, errors
    finally:
        spark.stop()


def _merge(spark, coded, target: str) -> int:
    """Merge coded events block by block on the executors, build stories on the driver, write both; the
    number of merged events."""
    import pandas as pd

    from .output import flatten
    from .spark_merge import build_stories

    rows = merge_frame(spark, coded).collect()
    documents = {r.doc_id: {"title": r.doc_title, "source": r.doc_source, "published": r.doc_published}
                 for r in coded.select("doc_id", "doc_title", "doc_source", "doc_published").distinct().collect()}
    events, stories = build_stories(rows, documents)
    records = []
    for ev in sorted(events, key=lambda e: e.id):
        d = ev.to_dict()
        records.append({**flatten(d), "event": json.dumps(d, ensure_ascii=False, sort_keys=True)})
    frame = pd.DataFrame({name: pd.Series([r.get(name) for r in records], dtype="float64" if kind == "double"
                                          else object) for name, kind in COLUMNS})
    spark.createDataFrame(frame, schema=SCHEMA).write.mode("overwrite").parquet(target)
    story_rows = [(st["id"], st["title"], json.dumps(st["parties"]), st["first_date"], st["last_date"],
                   st["num_events"], st["num_documents"], json.dumps(st, ensure_ascii=False)) for st in stories]
    spark.createDataFrame(story_rows, STORY_COLUMNS).write.mode("overwrite").parquet(stories_path(target))
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """Entry point for spark-submit: [--no-merge] INPUT OUTPUT [PARTITIONS]."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    merge = "--no-merge" not in args
    args = [a for a in args if a != "--no-merge"]
    if len(args) not in (2, 3):
        print("usage: spark.py [--no-merge] INPUT.parquet OUTPUT [PARTITIONS]", file=sys.stderr)
        return 1
    count, errors = run(args[0], args[1], partitions=int(args[2]) if len(args) == 3 else None, merge=merge)
    for e in errors:
        print(f"skipped {e}", file=sys.stderr)
    print(f"{count} event(s) written to {args[1]}", file=sys.stderr)
    return 2 if errors else 0


if __name__ == "__main__":  # spark-submit runs this file as a script: use the installed module, so executors
    from cablegram.spark import main as installed_main  # unpickle its functions by reference, models cached

    raise SystemExit(installed_main())

"""Adding creators from the page: upload a CSV/JSONL (or load the demo set), watch the progress,
see what was rejected and why."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app.ingest import IngestReport
from app.ui import state

Ingest = Callable[[list[Path] | None, Callable[[int, int], None]], IngestReport]


def _safe_name(name: str) -> str:
    """An uploaded file's name, reduced to a plain file name."""
    base = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[:120] or "upload"


def draw_data(stats: dict[str, object], uploads_dir: Path, ingest: Ingest) -> None:
    """Store figures, the demo data button, the uploader, and the last ingest's report."""
    st.subheader("Creator data")
    left, right = st.columns(2)
    left.metric("Creators", f"{stats.get('creators', 0):,}")
    right.metric("Posts", f"{stats.get('posts', 0):,}")
    st.caption(f"Store: {stats.get('store', '')}")
    if not stats.get("creators"):
        st.info(
            "The store is empty. Load the bundled demo creators (synthetic data, takes a couple "
            "of minutes the first time), or upload your own file below.",
            icon=":material/database:",
        )
        if st.button("Load the demo creators", key="ingest-demo", type="primary"):
            _run(ingest, None)

    st.markdown("**Upload creators**: JSON Lines, a JSON array, or `creators.csv` (+ `posts.csv`)")
    files = st.file_uploader(
        "Creator files",
        type=["jsonl", "json", "csv", "ndjson"],
        accept_multiple_files=True,
        key="upload",
        label_visibility="collapsed",
    )
    if st.button("Add to the store", key="ingest-upload", disabled=not files):
        uploads_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=uploads_dir) as folder:
            paths = []
            for upload in files or []:
                path = Path(folder) / _safe_name(upload.name)
                path.write_bytes(upload.getvalue())
                paths.append(path)
            # posts.csv is read beside creators.csv, not on its own
            main = [p for p in paths if p.name.lower() != "posts.csv"] or paths
            _run(ingest, main)

    report = st.session_state.get("ingest_report")
    if report:
        _draw_report(report)


def _run(ingest: Ingest, paths: list[Path] | None) -> None:
    bar = st.progress(0.0, text="Reading and embedding creators…")

    def progress(done: int, total: int) -> None:
        share = min(1.0, done / total) if total else 1.0
        bar.progress(share, text=f"{done:,} of {total:,} records")

    with state.shown_errors():
        report = ingest(paths, progress)
        bar.progress(1.0, text="Done")
        st.session_state.ingest_report = {
            "summary": report.summary(),
            "rejects": [
                {"file": Path(r.file).name, "line": r.line, "id": r.id or "", "reason": r.reason}
                for r in report.rejects
            ],
            "repairs": [
                {
                    "file": Path(r.file).name,
                    "line": r.line,
                    "id": r.id,
                    "repairs": "; ".join(r.notes),
                }
                for r in report.repairs
            ],
        }
        state.flash(f"{report.ingested:,} creators taken, {report.rejected:,} rejected")
        st.cache_data.clear()  # the chart's creator points changed


def _draw_report(report: dict[str, Any]) -> None:
    summary = report["summary"]
    st.markdown("**Last import**")
    cols = st.columns(4)
    cols[0].metric("Taken", summary["ingested"])
    cols[1].metric("Unchanged", summary["unchanged"])
    cols[2].metric("Rejected", summary["rejected"])
    cols[3].metric("Repaired", summary["repaired"])
    if report["rejects"]:
        st.markdown("**Rejected rows** (fix them and upload again)")
        st.dataframe(pd.DataFrame(report["rejects"]), hide_index=True, width="stretch")
    if report["repairs"]:
        with st.expander(f"Rows taken after a repair ({len(report['repairs'])})"):
            st.dataframe(pd.DataFrame(report["repairs"]), hide_index=True, width="stretch")

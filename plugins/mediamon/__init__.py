"""mediamon: a media-monitoring pipeline (discover, fetch, extract, enrich, report) on Apache Airflow."""

__version__ = "0.1.0"

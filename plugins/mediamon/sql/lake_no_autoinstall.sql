-- DuckLake store (store/ducklake.py): never download an extension (they come from the PyPI wheels).
SET autoinstall_known_extensions = false;

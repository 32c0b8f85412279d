"""Imported boundaries in the database, and the service's region index built from them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.regions import ImportReport, Region, RegionIndex, load_centroids, load_geojson
from pantau.store.schema import RegionPolygon


def import_boundaries(session: Session, path: Path, *, repair: bool = False) -> ImportReport:
    """Validate ``path`` and store its accepted features (replacing earlier polygons of the same codes)."""
    report = load_geojson(path, repair=repair)
    now = datetime.now(UTC)
    for region in report.accepted:
        row = session.get(RegionPolygon, region.code) or RegionPolygon(code=region.code)
        row.level, row.name, row.source, row.imported_at = region.level, region.name, path.name, now
        row.geometry_wkb = shapely.to_wkb(region.geometry, hex=True)
        session.add(row)
    audit.record(session, "cli", "regions.import", path.name,
                 {"accepted": len(report.accepted), "errors": len(report.errors), "warnings": len(report.warnings)})
    return report


def build_index(session: Session) -> RegionIndex:
    """Polygons from the database, with the shipped Kota Malang centroids as the last fallback."""
    regions = [
        Region(code=row.code, level=row.level, name=row.name,  # type: ignore[arg-type]
               geometry=shapely.from_wkb(row.geometry_wkb))
        for row in session.execute(select(RegionPolygon)).scalars()
    ]
    return RegionIndex(regions, centroids=load_centroids())

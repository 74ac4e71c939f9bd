//! Fuzz target: arbitrary text as the daily report's basemap (GeoJSON land polygons), then the
//! map drawn over it. Nothing may panic; a basemap that parses draws an SVG document, and the
//! rings kept never exceed the stated limit.

#![no_main]

use std::sync::OnceLock;

use kuroshio_daily::Lang;
use kuroshio_daily::map::{BASEMAP_RINGS_MAX, Basemap, svg};
use kuroshio_zones::Catalogue;
use libfuzzer_sys::fuzz_target;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(basemap) = Basemap::from_geojson(text) {
        assert!(basemap.len() <= BASEMAP_RINGS_MAX);
        let out = svg(Lang::Ja, catalogue(), Some(&basemap), &[]);
        assert!(out.starts_with("<svg") && out.ends_with("</svg>"));
    }
});

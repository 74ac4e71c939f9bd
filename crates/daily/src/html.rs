//! The report as one self-contained HTML page: inline CSS, the inline SVG map, no script, no
//! external resource, so it prints to PDF the same everywhere and can be mailed as a file.
//!
//! The TLP banner heads and foots every printed page (a fixed element repeats on each page
//! in print) in FIRST's TLP 2.0 colours (<https://www.first.org/tlp/>: RED #FF2B2B, AMBER
//! #FFC000, GREEN #33FF00, CLEAR #FFFFFF, each on black), with the releasability beside it.

use std::fmt::Write as _;

use kuroshio_model::{FurtherSharing, Marking, Tlp};
use kuroshio_zones::Catalogue;

use crate::classify::Category;
use crate::i18n::{self, Lang, texts};
use crate::map::{self, Basemap, escape};
use crate::report::{DailyReport, OfficialFigures};
use crate::window::{Date, taipei};

/// The TLP label's colour (FIRST TLP 2.0).
fn tlp_colour(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Red => "#FF2B2B",
        Tlp::Amber | Tlp::AmberStrict => "#FFC000",
        Tlp::Green => "#33FF00",
        Tlp::Clear => "#FFFFFF",
    }
}

/// `TLP:AMBER · REL TO Japan (JP), Taiwan (TW)`.
fn banner_text(lang: Lang, m: &Marking) -> String {
    let t = texts(lang);
    let rel: Vec<String> =
        m.releasable_to().iter().map(|p| i18n::partner(lang, p.as_str())).collect();
    format!("{} · {}: {}", m.tlp().label(), t.releasable_to, rel.join(", "))
}

fn taipei_time(rfc3339: &str) -> String {
    match kuroshio_model::Timestamp::parse(rfc3339) {
        Ok(t) => {
            let (y, mo, d, h, mi) = taipei(t);
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
        }
        Err(_) => rfc3339.to_owned(),
    }
}

fn opt(v: Option<u64>) -> String {
    v.map_or_else(|| "–".to_owned(), |n| n.to_string())
}

fn mean(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"))
}

const CSS: &str = r#"
@page { size: A4; margin: 16mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK TC", "Hiragino Sans", "Microsoft JhengHei", sans-serif; color: #1b1f24; margin: 0; font-size: 10.5pt; line-height: 1.4; }
main { padding: 34px 18px 34px 18px; max-width: 960px; margin: 0 auto; }
.tlp { background: #000; font-weight: bold; font-size: 10pt; padding: 4px 10px; display: flex; justify-content: space-between; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.tlp.top { position: fixed; top: 0; left: 0; right: 0; }
.tlp.bottom { position: fixed; bottom: 0; left: 0; right: 0; }
h1 { font-size: 17pt; margin: 4px 0 2px 0; }
h2 { font-size: 12pt; margin: 16px 0 6px 0; border-bottom: 1.5px solid #3d5a98; padding-bottom: 2px; break-after: avoid; }
.meta { color: #444; font-size: 9.5pt; }
.meta div { margin: 1px 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; break-inside: avoid; }
th, td { border: 1px solid #c7ccd3; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.big td.n { font-size: 12pt; font-weight: bold; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.map { border: 1px solid #c7ccd3; break-inside: avoid; }
.note { color: #555; font-size: 8.5pt; }
figure.chart { margin: 4px 0; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
ul.rules { font-size: 8.5pt; color: #333; padding-left: 18px; }
footer { margin-top: 14px; font-size: 8.5pt; color: #555; }
"#;

/// Renders `report` as HTML in `lang`, with the map drawn over `catalogue` and `basemap`.
pub fn render(
    report: &DailyReport,
    lang: Lang,
    catalogue: &Catalogue,
    basemap: Option<&Basemap>,
) -> String {
    let t = texts(lang);
    let m = &report.marking;
    let banner = banner_text(lang, m);
    let colour = tlp_colour(m.tlp());
    let mut h = String::with_capacity(64 * 1024);
    let date = i18n::date(lang, report.date);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{CSS}</style></head><body>",
        lang.tag(),
        escape(t.title),
        escape(&date)
    );
    for pos in ["top", "bottom"] {
        let _ = write!(
            h,
            r#"<div class="tlp {pos}" style="color:{colour}"><span>{}</span><span>{}</span></div>"#,
            escape(&banner),
            escape(m.tlp().label())
        );
    }
    h.push_str("<main>");
    let _ = write!(h, "<h1>{}</h1><div class=\"meta\">", escape(t.title));
    let _ = write!(h, "<div><b>{} {}</b></div>", escape(t.report_of), escape(&date));
    let _ = write!(
        h,
        "<div>{}: {} – {} (UTC+8)</div>",
        escape(t.window),
        escape(&taipei_time(&report.from)),
        escape(&taipei_time(&report.to))
    );
    let _ = write!(
        h,
        "<div>{}: {}</div>",
        escape(t.compiled_by),
        escape(&i18n::partner(lang, report.partner.as_str()))
    );
    let further = match m.further_sharing() {
        FurtherSharing::Permitted => t.further_permitted,
        FurtherSharing::OriginatorOnly => t.further_originator_only,
    };
    let _ = write!(
        h,
        "<div>{}: <b>{}</b> — {} {}: {}.</div></div>",
        escape(t.marking),
        escape(m.tlp().label()),
        escape(i18n::tlp_meaning(lang, m.tlp())),
        escape(t.further_sharing),
        escape(further)
    );
    if report.inputs.truncated {
        let _ = write!(h, "<p class=\"note\"><b>{}</b></p>", escape(t.truncated));
    }

    // MND categories, with MND's own figures when present.
    let mnd = report
        .official
        .iter()
        .find(|o| o.source == "mnd" && o.figures.is_some())
        .and_then(|o| o.figures.clone());
    let _ = write!(
        h,
        "<h2>{}</h2><table class=\"big\"><tr><th></th><th>{}</th>",
        escape(t.summary),
        escape(t.this_node)
    );
    if mnd.is_some() {
        let _ = write!(h, "<th>{}</th>", escape(t.mnd));
    }
    h.push_str("</tr>");
    let f = &report.figures;
    let o = mnd.clone().unwrap_or_default();
    let sectors: Vec<&str> = f.sectors.iter().map(|&s| i18n::sector(lang, s)).collect();
    let sep = if lang == Lang::En { ", " } else { "、" };
    let rows: [(Option<Category>, &str, String, Option<u64>); 5] = [
        (Some(Category::PlaAircraft), t.aircraft, f.aircraft.to_string(), o.aircraft),
        (None, t.crossed, f.crossed.to_string(), o.crossed),
        (Some(Category::PlanVessel), t.naval, f.naval.to_string(), o.naval),
        (Some(Category::OfficialShip), t.official, f.official.to_string(), o.official),
        (None, t.balloons, format!("{} ({})", f.balloons, t.balloons_not_observed), o.balloons),
    ];
    for (cat, label, ours, theirs) in rows {
        let sw = cat.map_or(String::new(), |c| {
            format!(r#"<span class="sw" style="background:{}"></span>"#, map::colour(c))
        });
        let indent = if cat.is_none() && label == t.crossed { "&nbsp;&nbsp;&nbsp;" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{indent}{sw}{}</td><td class=\"n\">{}</td>",
            escape(label),
            escape(&ours)
        );
        if mnd.is_some() {
            let _ = write!(h, "<td class=\"n\">{}</td>", opt(theirs));
        }
        h.push_str("</tr>");
    }
    let _ = write!(
        h,
        "<tr><td>&nbsp;&nbsp;&nbsp;{}</td><td colspan=\"2\">{}</td></tr></table>",
        escape(t.sectors),
        escape(&if sectors.is_empty() { t.none.to_owned() } else { sectors.join(sep) })
    );

    // Map.
    let _ = write!(
        h,
        "<h2>{}</h2><div class=\"map\">{}</div>",
        escape(t.map),
        map::svg(lang, catalogue, basemap, &report.tracks)
    );
    let _ = write!(
        h,
        "<p class=\"note\">{} {}</p>",
        escape(if basemap.is_some_and(|b| !b.is_empty()) { t.coastlines } else { t.no_coastlines }),
        escape(t.dashed_note)
    );

    // Median line.
    let ml = &report.median_line;
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><td>{}</td><td class=\"n\">{} {}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr><tr><td>{}</td><td class=\"n\">{} {}</td><td>{}</td><td class=\"n\">{} {}</td><td></td><td></td></tr></table>",
        escape(t.median_line),
        escape(t.median_line),
        ml.crossings,
        escape(t.crossings),
        escape(t.eastward),
        ml.eastward,
        escape(t.westward),
        ml.westward,
        escape(i18n::category(lang, Category::PlaAircraft)),
        ml.aircraft,
        escape(t.aircraft_unit),
        escape(t.naval),
        ml.ships,
        escape(t.ships_unit),
    );

    // Strait transits.
    let _ = write!(h, "<h2>{}</h2>", escape(t.transits));
    if report.transits.is_empty() {
        let _ = write!(h, "<p>{}</p>", escape(t.none));
    } else {
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            escape(t.strait),
            escape(t.direction),
            escape(t.kind),
            escape(t.count)
        );
        for tr in &report.transits {
            let name = catalogue.get(&tr.zone).map_or_else(
                || tr.zone.clone(),
                |(_, z)| match lang {
                    Lang::En => z.meta.name_en.clone(),
                    Lang::Ja => z.meta.name_ja.clone(),
                    Lang::ZhTw => z.meta.name_zh_hant.clone(),
                },
            );
            let unit =
                if tr.category == Category::PlaAircraft { t.aircraft_unit } else { t.ships_unit };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{} {}</td></tr>",
                escape(&name),
                escape(&i18n::direction(lang, &tr.direction)),
                escape(i18n::category(lang, tr.category)),
                tr.count,
                escape(unit)
            );
        }
        h.push_str("</table>");
    }

    // Notable events.
    let n = &report.notable;
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr></table>",
        escape(t.notable),
        escape(t.ais_gap),
        n.ais_gap,
        escape(t.encounter),
        n.encounter,
        escape(t.identity_conflict),
        n.identity_conflict
    );
    if !n.items.is_empty() {
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            escape(t.time),
            escape(t.kind),
            escape(t.target),
            escape(t.position)
        );
        for item in &n.items {
            let kind = match item.kind {
                kuroshio_detect::EventKind::AisGap => t.ais_gap,
                kuroshio_detect::EventKind::Encounter => t.encounter,
                _ => t.identity_conflict,
            };
            let who = match (&item.target, &item.name) {
                (Some(k), Some(n)) => format!("{k} ({n})"),
                (Some(k), None) => k.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => "–".to_owned(),
            };
            let pos = item
                .position
                .map_or_else(|| "–".to_owned(), |p| format!("{:.3}°N {:.3}°E", p[1], p[0]));
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&taipei_time(&item.time)),
                escape(kind),
                escape(&who),
                escape(&pos)
            );
        }
        h.push_str("</table>");
        let total =
            n.ais_gap.saturating_add(n.encounter).saturating_add(n.identity_conflict) as usize;
        if total > n.items.len() {
            let _ = write!(h, "<p class=\"note\">{} {}</p>", total - n.items.len(), escape(t.more));
        }
    }

    // Official records.
    let _ = write!(h, "<h2>{}</h2>", escape(t.official_records));
    if report.official.is_empty() {
        let _ = write!(h, "<p>{}</p>", escape(t.no_official));
    } else {
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            escape(t.source),
            escape(t.document),
            escape(t.window),
            escape(i18n::category(lang, Category::PlaAircraft)),
            escape(t.crossed),
            escape(t.naval),
            escape(t.official)
        );
        for r in &report.official {
            let f: OfficialFigures = r.figures.clone().unwrap_or_default();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{} – {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&i18n::source(lang, &r.source)),
                escape(&r.document),
                escape(&taipei_time(&r.from)),
                escape(&taipei_time(&r.to)),
                opt(f.aircraft),
                opt(f.crossed),
                opt(f.naval),
                opt(f.official)
            );
        }
        h.push_str("</table>");
    }

    // Comparison.
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(t.comparison),
        escape(i18n::category(lang, Category::PlaAircraft)),
        escape(t.crossed),
        escape(t.naval),
        escape(t.official),
        escape(t.days_with_record),
        escape(t.aircraft_max)
    );
    let _ = write!(
        h,
        "<tr><td><b>{} ({})</b></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">1</td><td class=\"n\">{}</td></tr>",
        escape(t.today),
        escape(t.this_node),
        f.aircraft,
        f.crossed,
        f.naval,
        f.official,
        f.aircraft
    );
    for p in &report.comparison {
        for s in &p.sources {
            let label = format!(
                "{} — {}",
                t.previous_days.replace("{}", &p.days.to_string()),
                i18n::source(lang, &s.source)
            );
            if s.days == 0 {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td colspan=\"6\">{}</td></tr>",
                    escape(&label),
                    escape(t.no_records)
                );
                continue;
            }
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&label),
                mean(s.aircraft_mean),
                mean(s.crossed_mean),
                mean(s.naval_mean),
                mean(s.official_mean),
                s.days,
                opt(s.aircraft_max)
            );
        }
    }
    h.push_str("</table>");

    // Trends of the official records.
    let _ = write!(h, "<h2>{}</h2>", escape(t.trends));
    if report.trends_monthly.is_empty() && report.trends_yearly.is_empty() {
        let _ = write!(h, "<p>{}</p>", escape(t.no_trends));
    } else {
        let _ = write!(h, "<p class=\"note\">{}</p>", escape(t.trends_note));
        for (heading, totals) in
            [(t.by_month, &report.trends_monthly), (t.by_year, &report.trends_yearly)]
        {
            if totals.is_empty() {
                continue;
            }
            let _ = write!(h, "<h3>{}</h3>", escape(heading));
            for svg in crate::trends::charts(totals, t.trend_charts) {
                let _ = write!(h, "<figure class=\"chart\">{svg}</figure>");
            }
        }
    }

    // Rules.
    let _ = write!(h, "<h2>{}</h2><ul class=\"rules\">", escape(t.rules));
    for r in t.rule_lines {
        let _ = write!(h, "<li>{}</li>", escape(r));
    }
    h.push_str("</ul>");
    let _ = writeln!(
        h,
        "<footer>{} {} · {} {}</footer></main></body></html>",
        escape(t.footer),
        crate::report::FORMAT,
        escape(&report.from),
        escape(&report.to)
    );
    h
}

/// A short date for file names and titles.
pub fn file_stem(date: Date, lang: Lang) -> String {
    format!("daily-{date}-{}", lang.tag())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kuroshio_model::PartnerCode;

    #[test]
    fn banner_shows_the_level_and_partners() {
        let tw = PartnerCode::parse("TW").unwrap();
        let jp = PartnerCode::parse("JP").unwrap();
        let m = Marking::new(tw, Tlp::Amber, [jp], FurtherSharing::Permitted);
        assert_eq!(banner_text(Lang::En, &m), "TLP:AMBER · Releasable to: Japan (JP), Taiwan (TW)");
        assert_eq!(banner_text(Lang::ZhTw, &m), "TLP:AMBER · 可釋出對象: 日本 (JP), 臺灣 (TW)");
        assert_eq!(tlp_colour(Tlp::Red), "#FF2B2B");
        assert_eq!(taipei_time("2024-10-13T22:00:00Z"), "2024-10-14 06:00");
    }
}

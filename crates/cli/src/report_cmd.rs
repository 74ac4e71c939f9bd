//! `kuroshio report daily`: the day's PLA-activity report from the node's store, as JSON, HTML
//! or PDF, in English, Japanese or Traditional Chinese.
//!
//! The figures come from `kuroshio-daily`; this command opens the store, loads the zone
//! catalogue, the node's marking policy and (when the web map has been built) the Natural
//! Earth basemap, stores the day's own figures as an activity record of source `node` (so the
//! next reports can compare with it), and writes the output. PDF is printed by Chromium in
//! headless mode from the same HTML (`--print-to-pdf`); without a Chromium the command fails
//! and says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use kuroshio_daily::{Basemap, Date, Lang, Options};
use kuroshio_detect::EventPolicy;
use kuroshio_model::{Marking, PartnerCode, Timestamp};
use kuroshio_store::TimeRange;

/// Longest basemap file read: the web build's 1:10m land cut to the region is a few MB.
const BASEMAP_BYTES_MAX: u64 = 64 << 20;

/// Longest policy file read.
const POLICY_BYTES_MAX: u64 = 1 << 20;

/// Where Debian installs Chromium.
pub const CHROMIUM_DEFAULT: &str = "/usr/bin/chromium";

/// What `kuroshio report` makes. Each report is one variant with its own argument struct.
#[derive(Subcommand)]
pub enum ReportCmd {
    /// The daily report on PLA activity around Taiwan, from the node's store: counts in MND's
    /// categories (aircraft, of which crossed the median line and entered the ADIZ by sector;
    /// PLAN vessels; official ships; balloons), median-line crossings, strait transits in
    /// Japan's terms, notable events (dark vessels, encounters, identity conflicts), official
    /// MND/JSO records of the same window, the previous 7 and 30 days, and a map.
    ///
    /// The window is MND's: 06:00 to 06:00 Taipei time (UTC+8) ending on --date, unless --from
    /// and --to say otherwise. The report's marking is the strictest combination of the node's
    /// policy default and every event it counts. The day's figures are stored as an activity
    /// record of source `node` (unless --no-record or a custom window), which later reports
    /// compare with.
    #[command(after_help = "Examples:\n  \
        kuroshio report daily --store node-data --date 2024-10-15 --format json\n  \
        kuroshio report daily --store node-data --date 2024-10-15 --lang ja --out daily-ja.html\n  \
        kuroshio report daily --store node-data --date 2024-10-15 --lang zh-TW --format pdf --out daily.pdf")]
    Daily(DailyArgs),
    /// Import official releases or MND-derived tables into the store's activity records: each
    /// document stored with its raw text, source and window, or listed as a failure with its
    /// reason. Prints a JSON summary; a second import of the same file stores nothing twice.
    #[command(after_help = "Examples:\n  \
        kuroshio report import --store node-data --kind jso japan_mod_texts.json\n  \
        kuroshio report import --store node-data --kind mnd --published 2025-03-01 mnd.txt\n  \
        kuroshio report import --store node-data --kind dashboard JapanandBattleship.csv")]
    Import(ImportArgs),
    /// Monthly or yearly totals from the store's activity records (aircraft apart by what
    /// they count, median-line crossings, PLAN vessels, official ships, balloons, Japan's
    /// strait transits), as JSON or as an HTML page of charts.
    Trends(TrendsArgs),
    /// One ship followed across Japan's releases: every imported release naming the hull
    /// number, oldest first, as NDJSON.
    Hull(HullArgs),
    /// The areas of the imported PRC navigation warnings valid in a time range, as a GeoJSON
    /// FeatureCollection of the zone catalogue's form: temporary zones to give the node with
    /// --zones. A warning published in Chinese and in English is one zone.
    #[command(after_help = "Example:\n  \
        kuroshio report zones --store node-data --from 2026-03-16 --to 2026-03-18 > warnings.geojson\n  \
        kuroshio serve --store node-data --zones warnings.geojson")]
    Zones(ZonesArgs),
}

/// The arguments of `kuroshio report zones`.
#[derive(Args)]
pub struct ZonesArgs {
    /// The store: a directory or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    store: String,
    /// Start of the range (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    from: String,
    /// End of the range, excluded (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    to: String,
}

/// The arguments of `kuroshio report import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The store: a directory or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    store: String,
    /// What the files hold.
    #[arg(long, value_enum)]
    kind: crate::activity_cmd::ImportKind,
    /// Publication date of an MND report whose text dates its window only relatively ("up
    /// until 6 a.m. today"), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<String>,
    /// The files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// The arguments of `kuroshio report trends`.
#[derive(Args)]
pub struct TrendsArgs {
    /// The store: a directory or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    store: String,
    /// Period summed.
    #[arg(long, value_enum, default_value_t = TrendPeriod::Month)]
    by: TrendPeriod,
    /// First day, YYYY-MM-DD (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: String,
    /// Day after the last, YYYY-MM-DD (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TrendFormat::Json)]
    format: TrendFormat,
}

/// Periods of `report trends`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendPeriod {
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// Output formats of `report trends`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    /// A JSON array, one object per period.
    Json,
    /// An HTML page of SVG bar charts.
    Html,
}

/// The arguments of `kuroshio report hull`.
#[derive(Args)]
pub struct HullArgs {
    /// The store: a directory or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    store: String,
    /// The hull number, as Japan's releases give it (`119`).
    hull: String,
}

/// The arguments of `kuroshio report daily`.
#[derive(Args)]
pub struct DailyArgs {
    /// The store: a directory or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    store: String,
    /// The report's date, YYYY-MM-DD: the day MND's window ends on (Taipei time); today
    /// in Taipei when absent.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Language of the HTML and PDF: en, ja or zh-TW.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Output file; standard output when absent (required for pdf).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Window start instead of MND's (RFC 3339); needs --to.
    #[arg(long, value_name = "TIME", requires = "to")]
    from: Option<String>,
    /// Window end, excluded (RFC 3339); needs --from.
    #[arg(long, value_name = "TIME", requires = "from")]
    to: Option<String>,
    /// The node's partner code, originator of the report.
    #[arg(long, default_value = "TW", value_parser = crate::parse_partner)]
    partner: PartnerCode,
    /// The node's marking policy (JSON, as for `replay`); its default rule is the report's
    /// base marking. The conservative default (TLP:AMBER+STRICT, originator only) when
    /// absent.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// GeoJSON files of further zones, merged into the built-in catalogue.
    #[arg(long = "zones", value_name = "FILE")]
    zones: Vec<PathBuf>,
    /// Land polygons for the map (GeoJSON); the web map's basemap
    /// (web/dist/basemap/land-10m.geojson, made by scripts/build-web) when absent and
    /// built.
    #[arg(long, value_name = "FILE")]
    basemap: Option<PathBuf>,
    /// Chromium (or Chrome) to print the PDF with.
    #[arg(long, value_name = "PATH", default_value = CHROMIUM_DEFAULT)]
    chromium: PathBuf,
    /// Do not store the day's figures as an activity record.
    #[arg(long)]
    no_record: bool,
}

/// Output formats of the report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page.
    Html,
    /// The HTML printed to PDF by Chromium.
    Pdf,
    /// The figures as JSON.
    Json,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("{s:?} is not a report language (en, ja, zh-TW)"))
}

fn read_limited(path: &Path, max: u64, what: &str) -> anyhow::Result<String> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("reading {what} {}", path.display()))?
        .len();
    if len > max {
        bail!("{what} {} is {len} bytes; at most {max} are read", path.display());
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {what} {}", path.display()))
}

/// Runs the command.
pub fn run(cmd: ReportCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ReportCmd::Daily(args) => daily(args),
        ReportCmd::Import(args) => import(args),
        ReportCmd::Trends(args) => trends(args),
        ReportCmd::Hull(args) => hull(args),
        ReportCmd::Zones(args) => zones(args),
    }
}

/// `kuroshio report zones`.
fn zones(args: ZonesArgs) -> anyhow::Result<ExitCode> {
    let time = |t: &str| crate::store_cmd::parse_time(t).map_err(anyhow::Error::msg);
    let range = TimeRange::new(time(&args.from)?, time(&args.to)?)
        .context("--to must not be before --from")?;
    let store = crate::store_cmd::open(&args.store)?;
    let collection = crate::activity_cmd::warning_zones(store.as_ref(), range)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{collection}")?;
    Ok(ExitCode::SUCCESS)
}

/// `kuroshio report import`: a JSON summary per file on standard output; fails when a file
/// cannot be read at all.
fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let published = match &args.published {
        Some(d) => Some(
            crate::activity_cmd::parse_date(d)
                .with_context(|| format!("--published {d:?} is not a YYYY-MM-DD date"))?,
        ),
        None => None,
    };
    let mut store = crate::store_cmd::open(&args.store)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let summary = crate::activity_cmd::import(store.as_mut(), args.kind, file, published)?;
        writeln!(out, "{}", summary.to_json())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `kuroshio report trends`.
fn trends(args: TrendsArgs) -> anyhow::Result<ExitCode> {
    let day = |d: &str| -> anyhow::Result<Timestamp> {
        let (y, m, dd) = crate::store_cmd::parse_date(d).map_err(anyhow::Error::msg)?;
        Timestamp::from_civil(y, m, dd, 0, 0, 0, 0).with_context(|| format!("{d:?} is not a date"))
    };
    let range = TimeRange::new(day(&args.from)?, day(&args.to)?)
        .context("--to must not be before --from")?;
    let period = match args.by {
        TrendPeriod::Month => kuroshio_reports::trends::Period::Month,
        TrendPeriod::Year => kuroshio_reports::trends::Period::Year,
    };
    let store = crate::store_cmd::open(&args.store)?;
    let totals = crate::activity_cmd::trends(store.as_ref(), range, period)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        TrendFormat::Json => writeln!(out, "{}", serde_json::to_string(&totals)?)?,
        TrendFormat::Html => {
            let title = format!("PLA activity, {} to {}", args.from, args.to);
            out.write_all(crate::activity_cmd::trends_html(&totals, &title).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `kuroshio report hull`: fails (exit 1) when no imported release names the hull.
fn hull(args: HullArgs) -> anyhow::Result<ExitCode> {
    let store = crate::store_cmd::open(&args.store)?;
    let hull = kuroshio_reports::text::normalize(&args.hull);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let found = crate::activity_cmd::hull_chain(store.as_ref(), hull.trim(), &mut out)?;
    out.flush()?;
    Ok(if found > 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `kuroshio report daily`.
fn daily(args: DailyArgs) -> anyhow::Result<ExitCode> {
    let DailyArgs {
        store,
        date,
        lang,
        format,
        out,
        from,
        to,
        partner,
        policy,
        zones,
        basemap,
        chromium,
        no_record,
    } = args;
    if format == ReportFormat::Pdf && out.is_none() {
        bail!("--format pdf needs --out FILE");
    }
    let date = match &date {
        Some(d) => {
            Date::parse(d).with_context(|| format!("--date {d:?} is not a date (YYYY-MM-DD)"))?
        }
        None => Date::taipei_of(crate::store_cmd::now()),
    };
    let window = match (&from, &to) {
        (Some(f), Some(t)) => {
            let f = Timestamp::parse(f).with_context(|| format!("--from {f:?}"))?;
            let t = Timestamp::parse(t).with_context(|| format!("--to {t:?}"))?;
            TimeRange::new(f, t).context("--from is after --to")?
        }
        _ => date.mnd_window(),
    };
    let policy = match &policy {
        Some(path) => {
            serde_json::from_str::<EventPolicy>(&read_limited(path, POLICY_BYTES_MAX, "policy")?)
                .with_context(|| format!("policy {}", path.display()))?
        }
        None => EventPolicy::default(),
    };
    let rule = &policy.default;
    let base =
        Marking::new(partner, rule.tlp, rule.releasable_to.iter().copied(), rule.further_sharing);
    let catalogue = crate::zones::load(&zones)?;
    let basemap = load_basemap(basemap.as_deref())?;
    let mut store = crate::store_cmd::open(&store)?;
    let options = Options { date, window, partner, base_marking: base, catalogue: &catalogue };
    let report = kuroshio_daily::compute(&*store, &options)
        .with_context(|| format!("computing the report for {date}"))?;
    // Only MND-window reports are the day's record: a custom window would not compare.
    if !no_record && from.is_none() {
        store
            .put_activity(&kuroshio_daily::to_activity(&report, window))
            .context("storing the day's figures")?;
    }
    let bytes = match format {
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s.into_bytes()
        }
        ReportFormat::Html => {
            kuroshio_daily::html::render(&report, lang, &catalogue, basemap.as_ref()).into_bytes()
        }
        ReportFormat::Pdf => {
            let html = kuroshio_daily::html::render(&report, lang, &catalogue, basemap.as_ref());
            print_pdf(&chromium, &html)?
        }
    };
    match &out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The basemap named, or the web build's when it exists; `None` when there is none.
fn load_basemap(path: Option<&Path>) -> anyhow::Result<Option<Basemap>> {
    let (path, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => {
            let p = kuroshio_api::static_files::WebRoot::locate()
                .dir()
                .join("basemap")
                .join("land-10m.geojson");
            if !p.is_file() {
                return Ok(None);
            }
            (p, false)
        }
    };
    let text = read_limited(&path, BASEMAP_BYTES_MAX, "basemap")?;
    match Basemap::from_geojson(&text) {
        Ok(b) => Ok(Some(b)),
        Err(e) if explicit => Err(e).with_context(|| format!("basemap {}", path.display())),
        // A broken web build should not stop the report: the map falls back to zones.
        Err(_) => Ok(None),
    }
}

/// Prints `html` to PDF with headless Chromium and returns the PDF's bytes.
fn print_pdf(chromium: &Path, html: &str) -> anyhow::Result<Vec<u8>> {
    if !chromium.is_file() {
        bail!(
            "{} not found: PDF output prints the HTML with Chromium (Debian: apt-get install \
             chromium), or pass --chromium PATH; --format html works without it",
            chromium.display()
        );
    }
    let dir = std::env::temp_dir().join(format!(
        "kuroshio-report-{}-{}",
        std::process::id(),
        crate::store_cmd::now().unix_nanos()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = (|| {
        let page = dir.join("report.html");
        let pdf = dir.join("report.pdf");
        std::fs::write(&page, html).with_context(|| format!("writing {}", page.display()))?;
        let output = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
                "--print-to-pdf-no-header",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .with_context(|| format!("running {}", chromium.display()))?;
        let bytes = std::fs::read(&pdf).ok().filter(|b| b.starts_with(b"%PDF"));
        match bytes {
            Some(b) if output.status.success() => Ok(b),
            _ => bail!(
                "{} did not print the PDF ({}): {}",
                chromium.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")
            ),
        }
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

//! The report's words in English, Japanese and Traditional Chinese.
//!
//! Every piece of interface text the HTML shows comes from here; zone names come from the
//! catalogue's own `name_ja` / `name_zh_hant`. The Chinese follows the wording of MND's
//! releases (共機, 共艦, 公務船, 逾越海峽中線); the Japanese that of the Joint Staff Office's
//! (中国海軍艦艇, 公船, 北西進). Numbers are written with Arabic digits in all three, as both
//! ministries do. TLP labels are kept as FIRST writes them (`TLP:AMBER`), with a translated
//! explanation (FIRST, "Traffic Light Protocol (TLP) Version 2.0", <https://www.first.org/tlp/>).

use kuroshio_model::Tlp;

use crate::classify::Category;
use crate::window::Date;
use kuroshio_model::AdizSector as Sector;

/// A language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
    /// Traditional Chinese (Taiwan).
    ZhTw,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ja, Lang::ZhTw];

    /// Parses `en`, `ja` or `zh-TW` (case-insensitive; `zh-Hant` and `zh_TW` too).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            "zh-tw" | "zh-hant" | "zh-hant-tw" => Some(Lang::ZhTw),
            _ => None,
        }
    }

    /// The BCP 47 tag for `lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::ZhTw => "zh-Hant-TW",
        }
    }
}

/// The fixed words of one language.
#[derive(Debug)]
pub struct Texts {
    /// Document title.
    pub title: &'static str,
    /// Subtitle before the date.
    pub report_of: &'static str,
    /// "Window".
    pub window: &'static str,
    /// "Compiled by the node of".
    pub compiled_by: &'static str,
    /// "Marking".
    pub marking: &'static str,
    /// "Releasable to".
    pub releasable_to: &'static str,
    /// "Further sharing".
    pub further_sharing: &'static str,
    /// Further sharing permitted.
    pub further_permitted: &'static str,
    /// Originator only.
    pub further_originator_only: &'static str,
    /// Section: MND categories.
    pub summary: &'static str,
    /// Column: this node.
    pub this_node: &'static str,
    /// Column: MND.
    pub mnd: &'static str,
    /// Row: PLA aircraft.
    pub aircraft: &'static str,
    /// Row: crossed the median line and entered the ADIZ.
    pub crossed: &'static str,
    /// Row: sectors.
    pub sectors: &'static str,
    /// Row: PLAN vessels.
    pub naval: &'static str,
    /// Row: official ships.
    pub official: &'static str,
    /// Row: balloons.
    pub balloons: &'static str,
    /// Balloons are not observed.
    pub balloons_not_observed: &'static str,
    /// Section: median line.
    pub median_line: &'static str,
    /// "crossings".
    pub crossings: &'static str,
    /// "eastward".
    pub eastward: &'static str,
    /// "westward".
    pub westward: &'static str,
    /// "aircraft" (unit).
    pub aircraft_unit: &'static str,
    /// "ships" (unit).
    pub ships_unit: &'static str,
    /// Section: strait transits.
    pub transits: &'static str,
    /// Column: strait.
    pub strait: &'static str,
    /// Column: direction.
    pub direction: &'static str,
    /// Column: type.
    pub kind: &'static str,
    /// Column: count.
    pub count: &'static str,
    /// "None".
    pub none: &'static str,
    /// Section: notable events.
    pub notable: &'static str,
    /// AIS gaps.
    pub ais_gap: &'static str,
    /// Encounters.
    pub encounter: &'static str,
    /// Identity conflicts.
    pub identity_conflict: &'static str,
    /// Column: time.
    pub time: &'static str,
    /// Column: target.
    pub target: &'static str,
    /// Column: position.
    pub position: &'static str,
    /// "and N more".
    pub more: &'static str,
    /// Section: official records.
    pub official_records: &'static str,
    /// Column: source.
    pub source: &'static str,
    /// Column: document.
    pub document: &'static str,
    /// No official record.
    pub no_official: &'static str,
    /// Section: comparison.
    pub comparison: &'static str,
    /// Section: monthly and yearly trends of the official records.
    pub trends: &'static str,
    /// Note under the trends: where the figures come from.
    pub trends_note: &'static str,
    /// No official records for the trends.
    pub no_trends: &'static str,
    /// Chart titles: aircraft, median-line crossings, PLAN vessel-days, Japan's strait
    /// transits (ships).
    pub trend_charts: [&'static str; 4],
    /// Heading of the monthly charts.
    pub by_month: &'static str,
    /// Heading of the yearly charts.
    pub by_year: &'static str,
    /// "This report".
    pub today: &'static str,
    /// "Previous N days" prefix/suffix, with `{}` for N.
    pub previous_days: &'static str,
    /// "days with a record".
    pub days_with_record: &'static str,
    /// "most aircraft in one day".
    pub aircraft_max: &'static str,
    /// "no records".
    pub no_records: &'static str,
    /// Section: map.
    pub map: &'static str,
    /// Coastline credit.
    pub coastlines: &'static str,
    /// Coastlines missing.
    pub no_coastlines: &'static str,
    /// Dashed lines are approximate or reconstructed.
    pub dashed_note: &'static str,
    /// Section: rules.
    pub rules: &'static str,
    /// The rules, translated.
    pub rule_lines: [&'static str; 6],
    /// Footer.
    pub footer: &'static str,
    /// "Limit reached: some inputs were cut".
    pub truncated: &'static str,
}

const EN: Texts = Texts {
    title: "PLA activity around Taiwan",
    report_of: "Daily report for",
    window: "Window",
    compiled_by: "Compiled by the node of",
    marking: "Marking",
    releasable_to: "Releasable to",
    further_sharing: "Further sharing",
    further_permitted: "permitted within the TLP level",
    further_originator_only: "originator only",
    summary: "Summary in Taiwan MND's categories",
    this_node: "This node",
    mnd: "Taiwan MND",
    aircraft: "PLA aircraft (sorties)",
    crossed: "of which crossed the median line and entered the ADIZ",
    sectors: "ADIZ sectors entered",
    naval: "PLAN vessels",
    official: "Official ships",
    balloons: "Balloons",
    balloons_not_observed: "not observable by the node's sensors",
    median_line: "Median-line crossings",
    crossings: "crossings",
    eastward: "eastward",
    westward: "westward",
    aircraft_unit: "aircraft",
    ships_unit: "ships",
    transits: "Strait transits (in the terms of Japan's Joint Staff Office)",
    strait: "Strait",
    direction: "Direction",
    kind: "Type",
    count: "Count",
    none: "None",
    notable: "Notable events",
    ais_gap: "Vessels gone dark (AIS gap)",
    encounter: "Encounters at sea",
    identity_conflict: "Identity conflicts",
    time: "Time (UTC+8)",
    target: "Target",
    position: "Position",
    more: "more not listed",
    official_records: "Official reports for the same window",
    source: "Source",
    document: "Document",
    no_official: "No official report for this window is in the node's store.",
    comparison: "Comparison with the previous 7 and 30 days (mean per day)",
    trends: "Trends from official records",
    trends_note: "Sums of Taiwan MND's daily reports (and the tables derived from them) and of Japan Joint Staff Office releases held in this node's store; one record per day.",
    no_trends: "No official records in the store for this period (import them with kuroshio report import).",
    trend_charts: [
        "PLA aircraft (MND)",
        "Crossed the median line (MND)",
        "PLAN vessels, vessel-days (MND)",
        "Ships through straits near Japan (Joint Staff Office)",
    ],
    by_month: "Last twelve months",
    by_year: "By year",
    today: "This report",
    previous_days: "Previous {} days",
    days_with_record: "days with a record",
    aircraft_max: "most aircraft in a day",
    no_records: "no records",
    map: "Map",
    coastlines: "Coastlines: Natural Earth (public domain), via world-atlas.",
    no_coastlines: "Coastlines not available (the web map's basemap is not built); zones and 12 nm limits only.",
    dashed_note: "Dashed: approximate or reconstructed lines (never official).",
    rules: "Counting rules",
    rule_lines: [
        "Window: 06:00 to 06:00 Taipei time (UTC+8), as MND counts, unless another was asked for.",
        "PLA aircraft: sensor tracks with an altitude and a fix in the window, one sortie each.",
        "Crossed/entered: PLA aircraft with a fix inside the ROC ADIZ east of the median line (reconstructed outline); the sector of each such fix by position (east of 122° E eastern; otherwise north of 24.5° N northern, 23°–24.5° N central, south of 23° N south-western west of 121° E, south-eastern east of it).",
        "PLAN vessels: sensor tracks named PLAN, AIS military ships (type 35) with Chinese MIDs. Official ships: AIS law-enforcement ships (type 55) or coast-guard names with Chinese MIDs.",
        "Median-line crossings and strait transits: the engine's crossing events of the tracks counted above, at the catalogue's lines and gates.",
        "Notable events: every AIS gap, encounter and identity conflict in the window.",
    ],
    footer: "Computed by Kuroshio from the node's store. The same inputs give the same figures.",
    truncated: "A read limit was reached: some inputs were cut and the figures may be low.",
};

const JA: Texts = Texts {
    title: "台湾周辺における中国軍の活動",
    report_of: "日報",
    window: "集計期間",
    compiled_by: "作成ノード",
    marking: "取扱区分",
    releasable_to: "提供可能先",
    further_sharing: "再提供",
    further_permitted: "TLP区分の範囲内で可",
    further_originator_only: "作成者のみ",
    summary: "台湾国防部の区分による集計",
    this_node: "本ノード",
    mnd: "台湾国防部",
    aircraft: "中国軍機（延べ機数）",
    crossed: "うち中間線を越え防空識別圏に進入",
    sectors: "進入した空域",
    naval: "中国海軍艦艇",
    official: "公船",
    balloons: "気球",
    balloons_not_observed: "本ノードのセンサーでは観測できない",
    median_line: "中間線の横断",
    crossings: "回",
    eastward: "東向き",
    westward: "西向き",
    aircraft_unit: "機",
    ships_unit: "隻",
    transits: "海峡の通過（統合幕僚監部の表記による）",
    strait: "海峡",
    direction: "針路",
    kind: "種別",
    count: "数",
    none: "なし",
    notable: "注目すべき事象",
    ais_gap: "AIS発信の途絶（ダーク化）",
    encounter: "洋上での会合",
    identity_conflict: "識別情報の矛盾",
    time: "時刻（UTC+8）",
    target: "対象",
    position: "位置",
    more: "件は省略",
    official_records: "同じ期間の公式発表",
    source: "発表元",
    document: "文書",
    no_official: "この期間の公式発表は本ノードに登録されていない。",
    comparison: "過去7日間・30日間との比較（1日平均）",
    trends: "公表資料に基づく推移",
    trends_note: "本ノードに保存された台湾国防部の日報（およびそれに基づく表）と統合幕僚監部の公表資料の集計。1日1件。",
    no_trends: "この期間の公表資料はストアにありません（kuroshio report import で取り込めます）。",
    trend_charts: [
        "中国軍機（台湾国防部）",
        "中間線を越えた機数（台湾国防部）",
        "中国海軍艦艇、延べ隻数（台湾国防部）",
        "日本周辺の海峡を通過した艦艇（統合幕僚監部）",
    ],
    by_month: "過去12か月",
    by_year: "年別",
    today: "本報告",
    previous_days: "過去{}日間",
    days_with_record: "記録のある日数",
    aircraft_max: "1日の最多機数",
    no_records: "記録なし",
    map: "地図",
    coastlines: "海岸線：Natural Earth（パブリックドメイン、world-atlas経由）",
    no_coastlines: "海岸線データなし（ウェブ地図の背景地図が未構築）。区域と12海里線のみ表示。",
    dashed_note: "破線：概略または再構成の線（公式のものではない）。",
    rules: "集計規則",
    rule_lines: [
        "集計期間：台湾国防部と同じく台北時間（UTC+8）6時から翌6時まで（別の期間の指定がない限り）。",
        "中国軍機：高度を持ち期間内に位置のあるセンサー航跡。1航跡を1機と数える。",
        "中間線を越え進入：中間線以東の中華民国防空識別圏（再構成した範囲）内に位置のあった中国軍機。空域はその位置による（東経122度以東は東部、それ以外は北緯24.5度以北が北部、23〜24.5度が中部、23度以南は東経121度以西が南西部、以東が南東部）。",
        "中国海軍艦艇：PLANの名を持つセンサー航跡、中国のMIDを持つAIS軍用船（船種35）。公船：中国のMIDを持つAIS法執行船（船種55）または海警の船名。",
        "中間線の横断と海峡の通過：上記で数えた航跡について、区域カタログの線とゲートでエンジンが検知した横断事象。",
        "注目すべき事象：期間内のAIS途絶、会合、識別情報の矛盾のすべて。",
    ],
    footer: "Kuroshioが本ノードの蓄積データから算出。同じ入力からは同じ数値が得られる。",
    truncated: "読み出し上限に達したため一部の入力が切り捨てられ、数値が過小の可能性がある。",
};

const ZH_TW: Texts = Texts {
    title: "中共解放軍臺海周邊海、空域動態",
    report_of: "每日報告",
    window: "統計期間",
    compiled_by: "產製節點",
    marking: "分級標示",
    releasable_to: "可釋出對象",
    further_sharing: "再分享",
    further_permitted: "依TLP等級允許",
    further_originator_only: "僅限原始單位",
    summary: "依國防部分類統計",
    this_node: "本節點",
    mnd: "國防部",
    aircraft: "共機（架次）",
    crossed: "其中逾越海峽中線進入空域",
    sectors: "進入空域",
    naval: "共艦",
    official: "公務船",
    balloons: "空飄氣球",
    balloons_not_observed: "本節點感測器無法偵測",
    median_line: "逾越海峽中線",
    crossings: "次",
    eastward: "向東",
    westward: "向西",
    aircraft_unit: "架",
    ships_unit: "艘",
    transits: "通過海峽（依日本統合幕僚監部用語）",
    strait: "海峽",
    direction: "航向",
    kind: "類別",
    count: "數量",
    none: "無",
    notable: "重要事件",
    ais_gap: "AIS訊號中斷（暗船）",
    encounter: "海上會合",
    identity_conflict: "識別資料衝突",
    time: "時間（UTC+8）",
    target: "目標",
    position: "位置",
    more: "筆未列出",
    official_records: "同期間官方發布",
    source: "來源",
    document: "文件",
    no_official: "本節點尚無此期間的官方發布紀錄。",
    comparison: "與前7日及前30日比較（每日平均）",
    trends: "官方資料統計趨勢",
    trends_note: "本節點儲存之國防部每日共機動態（及據其整理之表格）與日本統合幕僚監部發布資料之加總；每日一筆。",
    no_trends: "本期間儲存庫中無官方資料（可用 kuroshio report import 匯入）。",
    trend_charts: [
        "共機架次（國防部）",
        "逾越海峽中線架次（國防部）",
        "共艦艘次（國防部）",
        "通過日本周邊海峽之艦艇（統合幕僚監部）",
    ],
    by_month: "最近十二個月",
    by_year: "年度",
    today: "本報告",
    previous_days: "前{}日",
    days_with_record: "有紀錄天數",
    aircraft_max: "單日最多架次",
    no_records: "無紀錄",
    map: "地圖",
    coastlines: "海岸線：Natural Earth（公有領域，經由world-atlas）",
    no_coastlines: "無海岸線資料（網頁地圖底圖未建置），僅顯示區域及12浬線。",
    dashed_note: "虛線：概略或重建之線（非官方）。",
    rules: "統計規則",
    rule_lines: [
        "統計期間：與國防部相同，臺北時間（UTC+8）上午6時至翌日上午6時（另有指定者除外）。",
        "共機：有高度且於期間內有定位的感測器航跡，每一航跡計一架次。",
        "逾越中線進入空域：於海峽中線以東之中華民國防空識別區（重建範圍）內有定位的共機；空域依定位判定（東經122度以東為東部；其餘北緯24.5度以北為北部、23至24.5度為中部、23度以南東經121度以西為西南、以東為東南）。",
        "共艦：名稱為PLAN的感測器航跡、具中國MID的AIS軍事船舶（船種35）。公務船：具中國MID的AIS執法船舶（船種55）或海警船名。",
        "逾越中線與通過海峽：上列航跡在區域目錄之線與閘門上由引擎偵得的穿越事件。",
        "重要事件：期間內所有AIS中斷、會合及識別資料衝突事件。",
    ],
    footer: "由Kuroshio依本節點儲存資料計算；相同輸入得相同數值。",
    truncated: "已達讀取上限，部分輸入遭截斷，數值可能偏低。",
};

/// The words of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ja => &JA,
        Lang::ZhTw => &ZH_TW,
    }
}

/// A category's name.
pub fn category(lang: Lang, c: Category) -> &'static str {
    let t = texts(lang);
    match c {
        Category::PlaAircraft => match lang {
            Lang::En => "PLA aircraft",
            Lang::Ja => "中国軍機",
            Lang::ZhTw => "共機",
        },
        Category::PlanVessel => t.naval,
        Category::OfficialShip => t.official,
    }
}

/// A sector's name.
pub fn sector(lang: Lang, s: Sector) -> &'static str {
    match (lang, s) {
        (Lang::En, _) => s.name(),
        (Lang::Ja, Sector::Northern) => "北部",
        (Lang::Ja, Sector::Central) => "中部",
        (Lang::Ja, Sector::Southwestern) => "南西部",
        (Lang::Ja, Sector::Southeastern) => "南東部",
        (Lang::Ja, Sector::Eastern) => "東部",
        (Lang::ZhTw, Sector::Northern) => "北部",
        (Lang::ZhTw, Sector::Central) => "中部",
        (Lang::ZhTw, Sector::Southwestern) => "西南",
        (Lang::ZhTw, Sector::Southeastern) => "東南",
        (Lang::ZhTw, Sector::Eastern) => "東部",
    }
}

/// A direction word of the catalogue (`south-eastbound`, `eastward`) in `lang`: the Joint
/// Staff Office's 北西進 style in Japanese, 往西北 in Chinese. Unknown words stay as they are.
pub fn direction(lang: Lang, word: &str) -> String {
    let base = word.split(" (").next().unwrap_or(word).trim();
    let (ja, zh) = match base {
        "northbound" => ("北進", "往北"),
        "southbound" => ("南進", "往南"),
        "eastbound" | "eastward" => ("東進", "往東"),
        "westbound" | "westward" => ("西進", "往西"),
        "north-eastbound" => ("北東進", "往東北"),
        "north-westbound" => ("北西進", "往西北"),
        "south-eastbound" => ("南東進", "往東南"),
        "south-westbound" => ("南西進", "往西南"),
        _ => return base.to_owned(),
    };
    match lang {
        Lang::En => base.to_owned(),
        Lang::Ja => ja.to_owned(),
        Lang::ZhTw => zh.to_owned(),
    }
}

/// A date: `15 October 2024`, `2024年10月15日`, `2024年（民國113年）10月15日`.
pub fn date(lang: Lang, d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::En => {
            let m = MONTHS.get(usize::from(d.month).saturating_sub(1)).copied().unwrap_or("");
            format!("{} {m} {}", d.day, d.year)
        }
        Lang::Ja => format!("{}年{}月{}日", d.year, d.month, d.day),
        // The ROC calendar counts years from 1912 (民國元年).
        Lang::ZhTw => format!("{}年（民國{}年）{}月{}日", d.year, d.year - 1911, d.month, d.day),
    }
}

/// A partner's name, or its code when unknown.
pub fn partner(lang: Lang, code: &str) -> String {
    let name = match (lang, code) {
        (Lang::En, "JP") => "Japan",
        (Lang::En, "US") => "United States",
        (Lang::En, "TW") => "Taiwan",
        (Lang::Ja, "JP") => "日本",
        (Lang::Ja, "US") => "米国",
        (Lang::Ja, "TW") => "台湾",
        (Lang::ZhTw, "JP") => "日本",
        (Lang::ZhTw, "US") => "美國",
        (Lang::ZhTw, "TW") => "臺灣",
        _ => return code.to_owned(),
    };
    format!("{name} ({code})")
}

/// An official source's name.
pub fn source(lang: Lang, source: &str) -> String {
    let name = match (lang, source) {
        (Lang::En, "mnd") => "Taiwan Ministry of National Defense",
        (Lang::En, "jso") => "Japan Joint Staff Office",
        (Lang::En, "node") => "This node",
        (Lang::Ja, "mnd") => "台湾国防部",
        (Lang::Ja, "jso") => "統合幕僚監部",
        (Lang::Ja, "node") => "本ノード",
        (Lang::ZhTw, "mnd") => "國防部",
        (Lang::ZhTw, "jso") => "日本統合幕僚監部",
        (Lang::ZhTw, "node") => "本節點",
        _ => source,
    };
    name.to_owned()
}

/// What a TLP level allows, in `lang` (FIRST TLP 2.0 definitions).
pub fn tlp_meaning(lang: Lang, tlp: Tlp) -> &'static str {
    match (lang, tlp) {
        (Lang::En, Tlp::Clear) => {
            "Recipients can spread this to the world; there is no limit on disclosure."
        }
        (Lang::En, Tlp::Green) => {
            "Limited disclosure: recipients can spread this within their community."
        }
        (Lang::En, Tlp::Amber) => {
            "Limited disclosure: recipients can only spread this on a need-to-know basis within their organization and its clients."
        }
        (Lang::En, Tlp::AmberStrict) => {
            "Limited disclosure: recipients can only spread this on a need-to-know basis within their organization."
        }
        (Lang::En, Tlp::Red) => {
            "For the eyes and ears of individual recipients only, no further disclosure."
        }
        (Lang::Ja, Tlp::Clear) => "開示の制限はない。",
        (Lang::Ja, Tlp::Green) => "限定開示：受領者は自らのコミュニティ内で共有できる。",
        (Lang::Ja, Tlp::Amber) => {
            "限定開示：受領者は自組織とその顧客の中で、知る必要のある者に限り共有できる。"
        }
        (Lang::Ja, Tlp::AmberStrict) => {
            "限定開示：受領者は自組織の中で、知る必要のある者に限り共有できる。"
        }
        (Lang::Ja, Tlp::Red) => "受領者本人限り。これ以上の開示はできない。",
        (Lang::ZhTw, Tlp::Clear) => "揭露不受限制。",
        (Lang::ZhTw, Tlp::Green) => "限制揭露：接收者可在其社群內分享。",
        (Lang::ZhTw, Tlp::Amber) => "限制揭露：接收者僅可依需知原則在其組織及客戶內分享。",
        (Lang::ZhTw, Tlp::AmberStrict) => "限制揭露：接收者僅可依需知原則在其組織內分享。",
        (Lang::ZhTw, Tlp::Red) => "僅限個別接收者本人，不得再揭露。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_differ_by_language() {
        assert_eq!(direction(Lang::Ja, "north-westbound"), "北西進");
        assert_eq!(direction(Lang::ZhTw, "south-eastbound (East China Sea → Pacific)"), "往東南");
        assert_eq!(direction(Lang::En, "southbound"), "southbound");
        let d = Date { year: 2024, month: 10, day: 15 };
        assert_eq!(date(Lang::En, d), "15 October 2024");
        assert_eq!(date(Lang::Ja, d), "2024年10月15日");
        assert_eq!(date(Lang::ZhTw, d), "2024年（民國113年）10月15日");
        assert_eq!(Lang::parse("zh-TW"), Some(Lang::ZhTw));
        assert_eq!(Lang::parse("fr"), None);
        // Every language has every rule line, none empty, and none shared with English.
        for lang in [Lang::Ja, Lang::ZhTw] {
            for (a, b) in texts(lang).rule_lines.iter().zip(texts(Lang::En).rule_lines) {
                assert!(!a.is_empty() && *a != b);
            }
        }
    }
}

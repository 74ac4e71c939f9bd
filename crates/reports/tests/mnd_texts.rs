//! MND daily reports of every era, in Chinese and English, and the scenario generator's
//! MND-style reports read back.
//!
//! No raw MND text is in the shared data, so the fixtures below are written from the wording
//! MND published, as quoted by the pages cited next to each (the figures are those of the
//! cited day). Where a page paraphrases, the fixture uses MND's own sentence form of that era
//! with the page's figures.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_model::Timestamp;
use kuroshio_reports::mnd::{
    self, AircraftScope, Language, Report, Sector, TaipeiDate, Window, WindowBasis,
};
use kuroshio_sim::report as genr;

fn date(y: i32, m: u8, d: u8) -> TaipeiDate {
    TaipeiDate::new(y, m, d).unwrap()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

/// What a report must say; `None` fields are not checked.
#[derive(Default)]
struct Expect {
    aircraft: Option<u32>,
    crossed: Option<u32>,
    median: Option<bool>,
    sectors: Option<&'static [Sector]>,
    naval: Option<u32>,
    official: Option<u32>,
    balloons: Option<u32>,
}

fn check(text: &str, published: Option<TaipeiDate>, window: Window, e: &Expect) -> Report {
    let r = mnd::parse(text, published).unwrap_or_else(|err| panic!("{err}: {text}"));
    assert!(r.is_fully_parsed(), "{:#?}", r);
    assert_eq!(r.window, Some(window), "{text}");
    assert_eq!(r.raw, text);
    if let Some(n) = e.aircraft {
        assert_eq!(r.aircraft, Some(n), "aircraft: {text}");
    }
    if let Some(n) = e.crossed {
        assert_eq!(r.crossed, Some(n), "crossed: {text}");
    }
    if let Some(m) = e.median {
        assert_eq!(r.crossed_median_line, m, "median line: {text}");
    }
    if let Some(s) = e.sectors {
        assert_eq!(r.sectors, s, "sectors: {text}");
    }
    if let Some(n) = e.naval {
        assert_eq!(r.naval, Some(n), "naval: {text}");
    }
    if let Some(n) = e.official {
        assert_eq!(r.official, Some(n), "official: {text}");
    }
    if let Some(n) = e.balloons {
        assert_eq!(r.balloon_count, Some(n), "balloons: {text}");
        assert_eq!(r.balloons.len(), n as usize, "balloon details: {text}");
    }
    r
}

use Sector::*;

/// The full release with its stated window (ROC dates, weekdays, `0600時`): MND's release of
/// 31 July 2026 (ROC 115), as quoted in full in the pla-data-dashboard scraper's regression
/// test (repository https://github.com/s0914712/pla-data-dashboard, file
/// scripts/analysis/test_scraper_dates.py).
#[test]
fn full_release_with_roc_window_2026() {
    let text = "中共解放軍臺海周邊海、空域動態\n\n一、日期：\n\
        中華民國115年7月30日（星期四）0600時至115年7月31日（星期五）0600時止。\n\n\
        二、活動動態：\n\
        迄0600時止，偵獲共機27架次（逾越中線進入北部、中部、西南及東部空域22架次）、\
        共艦9艘及公務船2艘，持續在臺海周邊活動。國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。";
    let w = Window {
        start: ts("2026-07-29T22:00:00Z"),
        end: ts("2026-07-30T22:00:00Z"),
        basis: WindowBasis::Stated,
    };
    // The stated window needs no publication date.
    let r = check(
        text,
        None,
        w,
        &Expect {
            aircraft: Some(27),
            crossed: Some(22),
            median: Some(true),
            sectors: Some(&[Northern, Central, Southwestern, Eastern]),
            naval: Some(9),
            official: Some(2),
            balloons: Some(0),
        },
    );
    assert_eq!(r.language, Language::Chinese);
    assert_eq!(r.aircraft_scope, AircraftScope::AroundTaiwan);
    // The daily record of the activity database: dated by the window's last day.
    let day = kuroshio_reports::datasets::from_mnd_report(&r).unwrap();
    assert_eq!(day.date, date(2026, 7, 31));
    assert_eq!(
        (day.aircraft, day.crossed_median_line, day.naval, day.official, day.balloons),
        (Some(27), Some(22), Some(9), Some(2), Some(0))
    );
    assert_eq!(day.raw, text);
    // Full-width digits, as some copies carry them.
    let wide: String = text
        .chars()
        .map(
            |c| if c.is_ascii_digit() { char::from_u32(u32::from(c) + 0xFEE0).unwrap() } else { c },
        )
        .collect();
    let r2 = mnd::parse(&wide, None).unwrap();
    assert_eq!(
        (r2.aircraft, r2.crossed, r2.naval, r2.official),
        (Some(27), Some(22), Some(9), Some(2))
    );
    assert_eq!(r2.window, Some(w));
}

/// English posts on X since 2025 ("N out of M sorties", number words), figures of 15 and 14
/// September 2025 quoted at
/// https://www.business-standard.com/amp/external-affairs-defence-security/news/taiwan-detects-26-pla-aircraft-9-naval-vessels-operating-near-territory-125091500066_1.html
#[test]
fn english_posts_2025() {
    let d = date(2025, 9, 15);
    check(
        "26 PLA aircraft, 9 PLAN vessels and 1 official ship operating around Taiwan were \
         detected up until 6 a.m. (UTC+8) today. 23 out of 26 sorties crossed the median line \
         and entered Taiwan's northern, southwestern and eastern ADIZ. We have monitored the \
         situation and responded.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(26),
            crossed: Some(23),
            median: Some(true),
            sectors: Some(&[Northern, Southwestern, Eastern]),
            naval: Some(9),
            official: Some(1),
            balloons: Some(0),
        },
    );
    let d = date(2025, 9, 14);
    check(
        "27 PLA aircraft, 14 PLAN vessels and six official ships operating around Taiwan were \
         detected up until 6 a.m. (UTC+8) today. 26 sorties crossed the median line and \
         entered Taiwan's northern, central, southwestern and eastern ADIZ. We have monitored \
         the situation and responded.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(27),
            crossed: Some(26),
            sectors: Some(&[Northern, Central, Southwestern, Eastern]),
            naval: Some(14),
            official: Some(6),
            ..Expect::default()
        },
    );
}

/// 2026 posts: "8 sorties of PLA aircraft", quoted (6 February 2026) at
/// https://www.tribuneindia.com/news/world/taiwan-detects-8-sorties-of-pla-aircraft-6-vessels-around-its-waters/
/// and a day without crossings (27 January 2026) at
/// https://www.business-standard.com/amp/world-news/taiwan-detects-2-chinese-aircraft-5-naval-vessels-around-its-territory-126012700090_1.html
#[test]
fn english_posts_2026() {
    let d = date(2026, 2, 6);
    check(
        "8 sorties of PLA aircraft and 6 PLAN vessels operating around Taiwan were detected up \
         until 6 a.m. (UTC+8) today. 6 out of 8 sorties crossed the median line and entered \
         Taiwan’s southwestern and eastern ADIZ. We have monitored the situation and responded.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(8),
            crossed: Some(6),
            sectors: Some(&[Southwestern, Eastern]),
            naval: Some(6),
            official: Some(0),
            ..Expect::default()
        },
    );
    let d = date(2026, 1, 27);
    let r = check(
        "2 PLA aircraft, 5 PLAN vessels and 1 official ship operating around Taiwan were \
         detected up until 6 a.m. (UTC+8) today. We have monitored the situation and responded.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect { aircraft: Some(2), naval: Some(5), official: Some(1), ..Expect::default() },
    );
    assert_eq!(r.crossed, None);
    assert!(r.sectors.is_empty());
}

/// 2023–2024 posts: "by 6 a.m.(UTC+8)", "1 of the detected aircraft (Y-8 ASW)had entered
/// Taiwan’s SW ADIZ" (17 December 2023, quoted at
/// https://www.rbc.ua/rus/news/kitayski-meteozondi-peretnuli-protoku-i-nablizilis-1702874738.html),
/// "1 of the aircraft entered Taiwans SW ADIZ" (11 February 2024, quoted at
/// https://www.portfolio.hu/global/20240211/hat-kinai-katonai-repulogep-es-negy-hadihajo-jelent-meg-tajvannal-668363),
/// "7 of the aircraft crossed the median line of the Taiwan Strait" (26 April 2024, quoted at
/// https://newstodaynet.com/2024/04/26/taiwan-reports-chinese-military-incursions-near-island/),
/// a day with ships only (21 May 2024, quoted at
/// https://www.jagran.com/world/other-taiwan-chinese-naval-ships-seen-around-taiwan-alert-issued-defense-ministry-issued-statement-23722251.html).
#[test]
fn english_posts_2023_2024() {
    let d = date(2023, 12, 18);
    check(
        "6 PLA aircraft and 2 PLAN vessels around Taiwan were detected by 6 a.m.(UTC+8) today. \
         1 of the detected aircraft (Y-8 ASW)had entered Taiwan’s SW ADIZ. #ROCArmedForces have \
         monitored the situation and tasked appropriate forces to respond.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(6),
            crossed: Some(1),
            median: Some(false),
            sectors: Some(&[Southwestern]),
            naval: Some(2),
            ..Expect::default()
        },
    );
    let d = date(2024, 2, 11);
    check(
        "6 PLA aircraft and 4 PLAN vessels operating around Taiwan were detected up until 6 a.m. \
         (UTC+8) today. 1 of the aircraft entered Taiwans SW ADIZ. #ROCArmedForces have \
         monitored the situation and employed appropriate forces to respond.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect { aircraft: Some(6), crossed: Some(1), naval: Some(4), ..Expect::default() },
    );
    let d = date(2024, 4, 26);
    check(
        "10 PLA aircraft and 6 PLAN vessels operating around Taiwan were detected up until 6 a.m. \
         (UTC+8) today. 7 of the aircraft crossed the median line of the Taiwan Strait and \
         entered Taiwan's southwestern ADIZ. #ROCArmedForces have monitored the situation and \
         responded accordingly.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(10),
            crossed: Some(7),
            median: Some(true),
            sectors: Some(&[Southwestern]),
            naval: Some(6),
            ..Expect::default()
        },
    );
    let d = date(2024, 5, 21);
    check(
        "8 PLAN vessels operating around Taiwan were detected up until 6 a.m. (UTC+8) today. \
         #ROCArmedForces have monitored the situation and responded accordingly.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect { aircraft: Some(0), naval: Some(8), official: Some(0), ..Expect::default() },
    );
    // A relative window without the publication date cannot be placed: an issue, not a guess.
    let r =
        mnd::parse("8 PLAN vessels operating around Taiwan were detected up until 6 a.m.", None)
            .unwrap();
    assert!(!r.is_fully_parsed());
    assert_eq!(r.issues[0].reason, "the window needs the publication date");
}

/// The Chinese release of the reporting-day era (`至上午6時止`, Military News Agency form, 1 March
/// 2025; see crates/sim/src/report.rs) and of 2023 (`其中進入西南空域1架次`, `艘次`, 11 June 2023,
/// https://n.yam.com/Article/20230611927824).
#[test]
fn chinese_releases_2023_2025() {
    let d = date(2025, 3, 1);
    check(
        "至上午6時止，偵獲共機17架次（其中逾越海峽中線進入北部、中部、西南及東南空域15架次）、\
         共艦8艘及公務船3艘，持續在臺海周邊活動。國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(17),
            crossed: Some(15),
            median: Some(true),
            sectors: Some(&[Northern, Central, Southwestern, Southeastern]),
            naval: Some(8),
            official: Some(3),
            balloons: Some(0),
        },
    );
    let d = date(2023, 6, 11);
    check(
        "國防部今日表示，至上午6時止，偵獲共機4架次（其中進入西南空域1架次）、共艦5艘次，\
         持續在臺海周邊活動。國防部強調，國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(4),
            crossed: Some(1),
            median: Some(false),
            sectors: Some(&[Southwestern]),
            naval: Some(5),
            official: Some(0),
            ..Expect::default()
        },
    );
}

/// News copies of the releases (relative days, `台`, the crossing clause split by a comma):
/// 16 January 2026,
/// https://tw.news.yahoo.com/%E4%B8%AD%E5%9C%8B%E9%AC%A7%E5%A4%A0%E6%B2%92-%E5%81%B5%E7%8D%B245%E6%A9%9F%E8%89%A6-1%E5%85%AC%E5%8B%99%E8%88%B9%E5%87%BA%E6%B5%B7%E6%93%BE%E5%8F%B0-18%E6%9E%B6%E6%AC%A1%E8%B6%8A%E4%B8%AD%E7%B7%9A%E9%97%96%E6%88%91%E7%A9%BA%E5%9F%9F-023847781.html
/// and
/// 22 September 2024, https://newtalk.tw/news/view/2024-09-22/937265
#[test]
fn news_copies() {
    let d = date(2026, 1, 16);
    check(
        "國防部今日發布新聞稿，公布中國解放軍台海周邊海、空域動態。至上午6時止，共偵獲中國軍機34架次；\
         其中18架次逾越海峽中線，進入北部、西南及東部空域。另國軍還偵獲中國軍艦11艘次及公務船1艘，持續在台海周邊活動。",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(34),
            crossed: Some(18),
            median: Some(true),
            sectors: Some(&[Northern, Southwestern, Eastern]),
            naval: Some(11),
            official: Some(1),
            balloons: Some(0),
        },
    );
    let d = date(2024, 9, 22);
    check(
        "國防部發布即時軍事動態，自昨(21)天上午6時起至今(22)天上午6時止，偵獲6架次共機，其中3架次逾越中線進入中部空域，\
         另有共艦6艘次，持續在台海周邊活動，國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(6),
            crossed: Some(3),
            sectors: Some(&[Central]),
            naval: Some(6),
            official: Some(0),
            ..Expect::default()
        },
    );
}

/// The 2022 "as of 5 p.m." releases (截至下午5時): 18 October 2022,
/// https://cn4.rti.tw/news/view/id/2144838 ; and the English tweet form of 14 October 2022,
/// https://www.taiwannews.com.tw/en/news/4686756 (one Su-30 crossed the median line, three J-16
/// entered the south-western ADIZ).
#[test]
fn five_pm_era_2022() {
    let d = date(2022, 10, 18);
    let w = Window {
        start: ts("2022-10-17T09:00:00Z"),
        end: ts("2022-10-18T09:00:00Z"),
        basis: WindowBasis::UntilFivePm,
    };
    check(
        "國防部今天(18日)指出，截至下午5時，偵獲共機8架次(其中進入西南空域1架次)、共艦5艘次，\
         持續於臺灣周邊海空域活動。",
        Some(d),
        w,
        &Expect { aircraft: Some(8), crossed: Some(1), naval: Some(5), ..Expect::default() },
    );
    let d = date(2022, 10, 14);
    let r = mnd::parse(
        "23 PLA aircraft and 5 PLAN vessels around Taiwan were detected by 5 p.m. today. \
         4 of the detected aircraft crossed the median line or entered Taiwan's SW ADIZ.",
        Some(d),
    )
    .unwrap();
    assert!(r.is_fully_parsed(), "{r:#?}");
    assert_eq!(r.window.unwrap().basis, WindowBasis::UntilFivePm);
    assert_eq!((r.aircraft, r.crossed, r.naval), (Some(23), Some(4), Some(5)));
}

/// The ADIZ-entry era (until mid-2022): per-type lists, no ships, the calendar day. Chinese:
/// the Air Force's notice of 10 October 2020, quoted at https://www.ctwant.com/article/77746 ;
/// English: the MND tweet form "PLA aircraft (types*n) entered Taiwan's SW ADIZ on <date>",
/// with the aircraft of 9 July 2022 as reported at
/// https://www.himalayaustralia.com.au/2022/07/12/taiwan-reports-five-chinese-military-aircraft-intruded-into-air-defense-identification-zone/
#[test]
fn adiz_entry_era() {
    let d = date(2020, 10, 10);
    let r = check(
        "中共解放軍派遣運8反潛機1架進入我西南空域活動，我國空軍派遣空中巡邏兵力應對，並廣播驅離，以防空飛彈追監。",
        Some(d),
        Window::calendar_day(d).unwrap(),
        &Expect {
            aircraft: Some(1),
            sectors: Some(&[Southwestern]),
            median: Some(false),
            ..Expect::default()
        },
    );
    assert_eq!(r.aircraft_scope, AircraftScope::AdizEntries);
    assert_eq!(r.aircraft_types[0].name, "運8反潛機");
    assert_eq!(r.naval, None, "the ADIZ-entry releases did not report ships");

    let r = check(
        "空軍司令部公布今日多架次共機進入我西南空域活動情形，共有運-8反潛機1架次，運-8技術偵察機1架次，\
         蘇-30機2架次，殲-16機2架次，殲-10機2架次，空軍除派遣空中巡邏兵力應對，進行廣播驅離外，\
         並實施防空飛彈追監。",
        Some(d),
        Window::calendar_day(d).unwrap(),
        &Expect { aircraft: Some(8), sectors: Some(&[Southwestern]), ..Expect::default() },
    );
    let names: Vec<_> = r.aircraft_types.iter().map(|t| (t.name.as_str(), t.count)).collect();
    assert_eq!(
        names,
        [("運-8反潛機", 1), ("運-8技術偵察機", 1), ("蘇-30機", 2), ("殲-16機", 2), ("殲-10機", 2)]
    );

    let d = date(2022, 7, 9);
    let r = check(
        "PLA aircraft (J-16*2, Y-8 EW*1, Y-8 ASW*1, KJ-500*1) entered Taiwan's SW ADIZ on July 9, 2022.",
        None,
        Window::calendar_day(d).unwrap(),
        &Expect { aircraft: Some(5), sectors: Some(&[Southwestern]), ..Expect::default() },
    );
    assert_eq!(r.aircraft_scope, AircraftScope::AdizEntries);
    assert_eq!(r.aircraft_types.len(), 4);
}

/// Balloons with their details. MND's text of 9 January 2024 (four balloons listed together),
/// quoted at http://34.80.99.34/news/content/72/102615 , and of 16 January 2024 (simplified
/// characters in the copy, "2萬1,000呎"), quoted at
/// https://nextapple.com.sg/politics/20240116/34AC675C00CBE1B2F6F0A4615046B655
#[test]
fn balloons_2024() {
    let d = date(2024, 1, 9);
    let text = "至今天清晨6時止，偵獲共機10架次、共艦4艘次，其中共機2架次進入西南空域，持續在臺海周邊活動。\
        國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。\
        另外，昨日上午11時53分、下午1時58分、晚上7時36分及8時24分各偵獲空飄氣球1枚，逾越海峽中線，\
        分別位於基隆西方117浬、屏東西北方155浬、基隆西南方170浬及基隆西南方172浬，\
        高度約2萬5000呎、3萬3000呎、2萬呎及1萬5000呎，續向東飄行，\
        並於昨下午1時07分、下午4時、晚間10時24分及9時43分消失。";
    let r = check(
        text,
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(10),
            crossed: Some(2),
            sectors: Some(&[Southwestern]),
            naval: Some(4),
            balloons: Some(4),
            ..Expect::default()
        },
    );
    let b = &r.balloons;
    assert_eq!(b[0].detected, Some(ts("2024-01-08T03:53:00Z")));
    assert_eq!(b[1].detected, Some(ts("2024-01-08T05:58:00Z")));
    // 晚上7時36分 and then "8時24分" under the same 晚上 are given without the part of the day
    // on the second; the parser reads what is written.
    assert_eq!(b[0].disappeared, Some(ts("2024-01-08T05:07:00Z")));
    assert_eq!(b[2].disappeared, Some(ts("2024-01-08T14:24:00Z")));
    assert_eq!(
        b.iter()
            .map(|x| (x.place.as_deref().unwrap(), x.distance_nmi.unwrap()))
            .collect::<Vec<_>>(),
        [("基隆", 117), ("屏東", 155), ("基隆", 170), ("基隆", 172)]
    );
    assert_eq!(b[1].direction.as_deref(), Some("西北"));
    assert_eq!(
        b.iter().map(|x| x.altitude_ft.unwrap()).collect::<Vec<_>>(),
        [25_000, 33_000, 20_000, 15_000]
    );
    assert!(b.iter().all(|x| x.crossed_median_line));

    let d = date(2024, 1, 16);
    let r = check(
        "国防部表示，昨日14时20分侦获空飘气球1枚，逾越海峡中线，分于屏东西方北方125浬，高度约2万1,000呎，\
         续向东飘行，并于昨日15时09分消失。另外，自15日上午6时迄今早6时止，侦获共机15架次（其中进入西南空域2架次）、\
         共舰3艘次，持续在台海周边活动。",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(15),
            crossed: Some(2),
            naval: Some(3),
            balloons: Some(1),
            ..Expect::default()
        },
    );
    let b = &r.balloons[0];
    assert_eq!(b.detected, Some(ts("2024-01-15T06:20:00Z")));
    assert_eq!(b.disappeared, Some(ts("2024-01-15T07:09:00Z")));
    assert_eq!(
        (b.place.as_deref(), b.distance_nmi, b.altitude_ft),
        (Some("屏東"), Some(125), Some(21_000))
    );
}

/// English balloon details in the form MND's posts used (7 December 2023: one balloon
/// 101 nautical miles southwest of Keelung at 21,000 ft, 11:52 to 12:55), as reported at
/// https://www.taiwannews.com.tw/en/news/5055169 and https://www.anews.com.tr/asia/2023/12/08/taiwan-says-it-detected-chinese-balloon-over-waters-close-to-island-nation
#[test]
fn balloons_english_2023() {
    let d = date(2023, 12, 8);
    let r = check(
        "26 PLA aircraft, 10 PLAN vessels and 1 PRC balloon around Taiwan were detected by 6 a.m.(UTC+8) \
         today. 15 of the detected aircraft crossed the median line and entered Taiwan's N, SW and E ADIZ. \
         1 PRC balloon was detected at 11:52 crossing the median line 101 nautical miles southwest of \
         Keelung at an altitude of 21,000 ft, headed east and disappeared at 12:55.",
        Some(d),
        Window::reporting_day(d).unwrap(),
        &Expect {
            aircraft: Some(26),
            crossed: Some(15),
            sectors: Some(&[Northern, Southwestern, Eastern]),
            naval: Some(10),
            balloons: Some(1),
            ..Expect::default()
        },
    );
    let b = &r.balloons[0];
    assert_eq!(b.detected, Some(ts("2023-12-07T03:52:00Z")));
    assert_eq!(b.disappeared, Some(ts("2023-12-07T04:55:00Z")));
    assert_eq!(
        (b.place.as_deref(), b.distance_nmi, b.altitude_ft),
        (Some("keelung"), Some(101), Some(21_000))
    );
}

/// Nothing detected: every category zero.
#[test]
fn nothing_detected() {
    let d = date(2026, 3, 11);
    let r = mnd::parse(
        "至上午6時止，未偵獲共機、共艦及公務船在臺海周邊活動。國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。",
        Some(d),
    )
    .unwrap();
    assert!(r.is_fully_parsed(), "{r:#?}");
    assert_eq!((r.aircraft, r.naval, r.official), (Some(0), Some(0), Some(0)));
}

/// Unreadable parts are issues, never silent.
#[test]
fn issues_are_reported() {
    let d = Some(date(2026, 3, 11));
    let r =
        mnd::parse("至上午6時止，偵獲共機5架次（其中進入西北空域3架次）、共艦2艘。", d).unwrap();
    assert_eq!(r.issues.len(), 1, "{r:#?}");
    assert_eq!(r.issues[0].reason, "unknown ADIZ sector");
    assert!(!r.is_fully_parsed());
    let r = mnd::parse("至上午6時止，偵獲共機5架次、共艦2艘。另偵獲空飄氣球。", d).unwrap();
    assert_eq!(r.issues[0].reason, "balloon sentence without a count");
}

/// Counts of one generated day.
fn gen_counts(
    aircraft: u32,
    crossed: u32,
    sectors: &[genr::Sector],
    naval: u32,
    official: u32,
) -> genr::DayCounts {
    genr::DayCounts {
        aircraft: (0..aircraft).collect(),
        crossed: (0..crossed).collect(),
        sectors: sectors.iter().copied().collect(),
        naval: (100..100 + naval).collect(),
        official: (200..200 + official).collect(),
    }
}

fn sector_of(s: genr::Sector) -> Sector {
    match s {
        genr::Sector::Northern => Northern,
        genr::Sector::Central => Central,
        genr::Sector::Southwestern => Southwestern,
        genr::Sector::Southeastern => Southeastern,
        genr::Sector::Eastern => Eastern,
    }
}

fn assert_round_trip(r: &Report, c: &genr::DayCounts) {
    assert!(r.is_fully_parsed(), "{r:#?}");
    assert_eq!(r.aircraft, Some(c.aircraft.len() as u32));
    assert_eq!(r.naval, Some(c.naval.len() as u32));
    assert_eq!(r.official, Some(c.official.len() as u32));
    if c.crossed.is_empty() {
        assert_eq!(r.crossed, None);
    } else {
        assert_eq!(r.crossed, Some(c.crossed.len() as u32));
        assert!(r.crossed_median_line);
    }
    let want: Vec<Sector> = c.sectors.iter().map(|&s| sector_of(s)).collect();
    assert_eq!(r.sectors, want);
}

/// The scenario generator's MND-style text (crates/sim/src/report.rs) read back, in both
/// languages, over a grid of counts including zeros and singulars.
#[test]
fn generator_round_trip() {
    use genr::Sector as G;
    let sector_sets: [&[G]; 5] = [
        &[],
        &[G::Southwestern],
        &[G::Northern, G::Eastern],
        &[G::Northern, G::Central, G::Southwestern],
        &[G::Northern, G::Central, G::Southwestern, G::Southeastern, G::Eastern],
    ];
    let d = date(2026, 3, 11);
    let mut checked = 0;
    for aircraft in [0, 1, 2, 26] {
        for naval in [0, 1, 9] {
            for official in [0, 1, 3] {
                for sectors in sector_sets {
                    let crossed =
                        if aircraft == 0 || sectors.is_empty() { 0 } else { aircraft.min(23) };
                    let c = gen_counts(
                        aircraft,
                        crossed,
                        if crossed == 0 { &[] } else { sectors },
                        naval,
                        official,
                    );
                    for text in [genr::english(&c), genr::chinese(&c)] {
                        let r =
                            mnd::parse(&text, Some(d)).unwrap_or_else(|e| panic!("{e}: {text}"));
                        assert_eq!(r.window, Window::reporting_day(d), "{text}");
                        assert_round_trip(&r, &c);
                        checked += 1;
                    }
                }
            }
        }
    }
    println!("generator round trip: {checked} texts");
    assert_eq!(checked, 4 * 3 * 3 * 5 * 2);
}

/// The generator's multi-day text with headings ("== 2026-03-11: 2026-03-10 06:00 to
/// 2026-03-11 06:00 (UTC+8) =="): each day's section states its window.
#[test]
fn generator_daily_reports_state_their_window() {
    let start = ts("2026-03-10T00:00:00Z").unix_millis();
    let mut tally = genr::Tally::new();
    tally.observe(genr::Role::Aircraft, 1, start + 3_600_000, true, 120.5, 24.8);
    tally.observe(genr::Role::Aircraft, 2, start + 3_600_000, false, 119.0, 24.0);
    tally.observe(genr::Role::Naval, 3, start + 7_200_000, false, 119.0, 24.0);
    tally.observe(genr::Role::Official, 4, start + 30 * 3_600_000, false, 119.0, 24.0);
    let text = genr::daily_reports(&tally, start, start + 2 * 86_400_000);
    let sections: Vec<&str> = text.split("== ").filter(|s| !s.is_empty()).collect();
    assert_eq!(sections.len(), 3, "{text}");
    let mut seen = Vec::new();
    for section in sections {
        let (english, chinese) = section.split_once("中共解放軍").unwrap();
        let (heading, _) = english.split_once('\n').unwrap();
        for part in [english.to_owned(), format!("{heading}\n中共解放軍{chinese}")] {
            let r = mnd::parse(&part, None).unwrap_or_else(|e| panic!("{e}: {part}"));
            assert!(r.is_fully_parsed(), "{r:#?}");
            let w = r.window.unwrap();
            assert_eq!(w.basis, WindowBasis::Stated);
            assert_eq!(w.end.nanos_since(w.start), 86_400_000_000_000);
            seen.push((
                w.end_date(),
                r.aircraft.unwrap(),
                r.crossed,
                r.naval.unwrap(),
                r.official.unwrap(),
            ));
        }
    }
    assert_eq!(
        seen,
        [
            (date(2026, 3, 11), 2, Some(1), 1, 0),
            (date(2026, 3, 11), 2, Some(1), 1, 0),
            (date(2026, 3, 12), 0, None, 0, 1),
            (date(2026, 3, 12), 0, None, 0, 1),
            (date(2026, 3, 13), 0, None, 0, 0),
            (date(2026, 3, 13), 0, None, 0, 0),
        ]
    );
}

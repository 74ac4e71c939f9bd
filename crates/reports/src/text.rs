//! Text helpers for Japanese release text: width folding, dates in the Japanese era, numbers
//! and bracket-aware splitting.

use serde::{Deserialize, Serialize};

/// Folds full-width ASCII (U+FF01..U+FF5E: `０-９`, `Ａ-Ｚ`, `（`, `－` …) to ASCII and drops all
/// whitespace, including the ideographic space and the line breaks that PDF text extraction
/// inserts in the middle of words.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match u32::from(c) {
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A calendar date in Japan Standard Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JstDate {
    /// Gregorian year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

/// First Gregorian year of each era, minus one: era year N is Gregorian `base + N`.
/// Reiwa 1 = 2019 and Heisei 1 = 1989 (Cabinet Office era tables).
const ERAS: [(&str, i32); 2] = [("令和", 2018), ("平成", 1988)];

/// Leading ASCII digits of `s` (commas inside a number are allowed): value and byte length.
pub fn leading_number(s: &str) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut len = 0;
    let mut digits = 0;
    for (i, c) in s.char_indices() {
        if let Some(d) = c.to_digit(10) {
            value = value.checked_mul(10)?.checked_add(d)?;
            digits += 1;
            len = i + 1;
        } else if c == ',' && digits > 0 && s[i + 1..].starts_with(|n: char| n.is_ascii_digit()) {
            len = i + 1;
        } else {
            break;
        }
    }
    (digits > 0).then_some((value, len))
}

/// A date at the start of `s`: `令和8年3月9日`, `2026年2月28日`, `3月9日` or `9日`. Missing
/// fields come from `context` (the last date read). Returns the date and the bytes consumed
/// (including a following weekday in brackets, `(月)`).
pub fn leading_date(s: &str, context: JstDate) -> Option<(JstDate, usize)> {
    let mut pos = 0;
    let mut year = None;
    for (era, base) in ERAS {
        if let Some(rest) = s.strip_prefix(era) {
            let (n, len) = leading_number(rest)?;
            let after = &rest[len..];
            after.strip_prefix('年')?;
            year = Some(base + i32::try_from(n).ok()?);
            pos = era.len() + len + '年'.len_utf8();
            break;
        }
    }
    if year.is_none() {
        if let Some((n, len)) = leading_number(s) {
            if s[len..].starts_with('年') && n >= 1000 {
                year = Some(i32::try_from(n).ok()?);
                pos = len + '年'.len_utf8();
            }
        }
    }
    let (first, len) = leading_number(&s[pos..])?;
    let after_first = &s[pos + len..];
    let (month, day, consumed) = if after_first.starts_with('月') {
        let rest = &after_first['月'.len_utf8()..];
        let (d, dlen) = leading_number(rest)?;
        rest[dlen..].strip_prefix('日')?;
        (first, d, pos + len + '月'.len_utf8() + dlen + '日'.len_utf8())
    } else if after_first.starts_with('日') && year.is_none() {
        (u32::from(context.month), first, len + '日'.len_utf8())
    } else {
        return None;
    };
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day).ok().filter(|d| (1..=31).contains(d))?;
    let year = year.unwrap_or(context.year);
    let mut consumed = consumed;
    // A weekday in brackets: (月) … (日), also 月・祝 style holidays.
    if let Some(rest) = s[consumed..].strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            if close <= 3 * 4 {
                consumed += 1 + close + 1;
            }
        }
    }
    Some((JstDate { year, month, day }, consumed))
}

/// Every date in `s`, read left to right, each inheriting missing fields from the previous one
/// (the first from `context`).
pub fn all_dates(s: &str, context: JstDate) -> Vec<JstDate> {
    let mut out = Vec::new();
    let mut ctx = context;
    let mut i = 0;
    while i < s.len() {
        // Only start at a char boundary that is not inside a longer number.
        let prev_digit = s[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if !prev_digit {
            if let Some((d, len)) = leading_date(&s[i..], ctx) {
                out.push(d);
                ctx = d;
                i += len;
                continue;
            }
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Splits `s` at each occurrence of any of `separators` that is outside `()` and `「」`.
pub fn split_top_level<'a>(s: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut depth: u32 = 0;
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '(' | '「' => depth += 1,
            ')' | '」' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            if let Some(sep) = separators.iter().find(|sep| rest.starts_with(**sep)) {
                parts.push(&s[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
        }
        i += c.len_utf8();
    }
    parts.push(&s[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// `s` without bracketed `(...)` parts (the prefecture after a place name, weekdays, …).
pub fn strip_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth: u32 = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: JstDate = JstDate { year: 2026, month: 3, day: 10 };

    #[test]
    fn normalize_folds_full_width_and_drops_breaks() {
        assert_eq!(
            normalize("約\n１００ｋｍ（艦番号「１１９」）　Ｐ－３Ｃ"),
            "約100km(艦番号「119」)P-3C"
        );
    }

    #[test]
    fn dates_in_era_western_and_partial_forms() {
        assert_eq!(
            leading_date("令和8年3月9日(月)午後", CTX),
            Some((JstDate { year: 2026, month: 3, day: 9 }, "令和8年3月9日(月)".len()))
        );
        assert_eq!(leading_date("令和7年10月3日", CTX).map(|d| d.0.year), Some(2025));
        assert_eq!(leading_date("平成31年4月30日", CTX).map(|d| d.0.year), Some(2019));
        assert_eq!(leading_date("2026年2月28日現在", CTX).map(|d| d.0.month), Some(2));
        assert_eq!(
            leading_date("30日(月)から", CTX).map(|d| d.0),
            Some(JstDate { day: 30, ..CTX })
        );
        assert_eq!(leading_date("12月1日", CTX).map(|d| d.0.month), Some(12));
        assert_eq!(leading_date("30", CTX), None);
        assert_eq!(leading_date("13月1日", CTX), None);
        assert_eq!(leading_date("令和8年", CTX), None);
    }

    #[test]
    fn all_dates_inherit_year_and_month() {
        let d = all_dates(
            "令和7年10月3日(金)に対馬海峡を南西進し、10月5日(日)から6日(月)にかけて",
            CTX,
        );
        assert_eq!(
            d,
            vec![
                JstDate { year: 2025, month: 10, day: 3 },
                JstDate { year: 2025, month: 10, day: 5 },
                JstDate { year: 2025, month: 10, day: 6 },
            ]
        );
        assert!(all_dates("艦番号「119」", CTX).is_empty());
    }

    #[test]
    fn split_respects_brackets() {
        assert_eq!(
            split_top_level("A級(艦番号「1」及び「2」)、B級及びC", &["、", "及び"]),
            vec!["A級(艦番号「1」及び「2」)", "B級", "C"]
        );
        assert_eq!(strip_parens("宮古島(沖縄県)の北"), "宮古島の北");
        assert_eq!(leading_number("1,090km"), Some((1090, 5)));
        assert_eq!(leading_number("99999999999"), None);
    }
}

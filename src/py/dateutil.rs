//! Whether `dateutil.parser.parse(value)` raises, and with which class: botocore's env
//! provider passes a non-empty `AWS_CREDENTIAL_EXPIRATION` through it before it returns
//! credentials. A port of python-dateutil 2.9's `_timelex`, `parser._parse`,
//! `_parse_numeric_token`, `_ymd` and `_build_naive` with the default `parserinfo`
//! (dayfirst and yearfirst off, not fuzzy), kept close to the Python so the two can be
//! read side by side; `tests/dateutil_agreement.rs` compares it with the real parser.
//!
//! Approximations: "today" (the default date dateutil fills in, and the year two-digit
//! years are placed around) is taken in UTC, not local time; digits are ASCII where
//! Python's `int()` would also take other Unicode decimal digits; a weekday that moves
//! the date past year 9999 is not detected.

use std::fmt;

/// What `parse` raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// `dateutil.parser.ParserError` (a `ValueError`).
    Parser(String),
    /// `OverflowError`: a field does not fit in a C int.
    Overflow(String),
}

impl DateError {
    /// Python's class name.
    #[must_use]
    pub fn class(&self) -> &'static str {
        match self {
            Self::Parser(_) => "ParserError",
            Self::Overflow(_) => "OverflowError",
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parser(m) | Self::Overflow(m) => f.write_str(m),
        }
    }
}

/// A `ValueError` or `IndexError` inside `_parse`: the string has an unknown format.
struct Unknown;

type R<T> = Result<T, Unknown>;

/// `parser.parse(timestr)`.
///
/// # Errors
/// The exception Python would raise.
pub fn parse(timestr: &str) -> Result<(), DateError> {
    let today = Today::now();
    let Ok(res) = parse_tokens(&timelex(timestr), today) else {
        return Err(DateError::Parser(format!(
            "Unknown string format: {timestr}"
        )));
    };
    if res.is_empty() {
        return Err(DateError::Parser(format!(
            "String does not contain a date: {timestr}"
        )));
    }
    build_naive(&res, today).map_err(|e| match e {
        DateError::Parser(m) => DateError::Parser(format!("{m}: {timestr}")),
        other @ DateError::Overflow(_) => other,
    })
}

/// The civil date used for fields the string does not give.
#[derive(Clone, Copy)]
struct Today {
    year: i128,
    month: i128,
    day: i128,
}

impl Today {
    fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i128::from(secs / 86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i128::from(month <= 2);
        Self { year, month, day }
    }

    /// `parserinfo.convertyear`: a two-digit year within 50 years of this one.
    fn convertyear(self, year: i128, century_specified: bool) -> i128 {
        let mut year = year;
        if year < 100 && !century_specified {
            year += self.year / 100 * 100;
            if year >= self.year + 50 {
                year -= 100;
            } else if year < self.year - 50 {
                year += 100;
            }
        }
        year
    }
}

// ---------------------------------------------------------------------------------------
// _timelex

/// `str.isalpha` for one character.
fn isword(c: char) -> bool {
    c.is_alphabetic()
}

/// `str.isdigit` for one character: a decimal digit of any script, or one of the other
/// characters Unicode gives a digit value (superscripts, circled digits, …), as `CPython`
/// 3.11 (Unicode 14.0) has them.
fn isnum(c: char) -> bool {
    const OTHER_DIGITS: [(u32, u32); 20] = [
        (0xB2, 0xB3),
        (0xB9, 0xB9),
        (0x1369, 0x1371),
        (0x19DA, 0x19DA),
        (0x2070, 0x2070),
        (0x2074, 0x2079),
        (0x2080, 0x2089),
        (0x2460, 0x2468),
        (0x2474, 0x247C),
        (0x2488, 0x2490),
        (0x24EA, 0x24EA),
        (0x24F5, 0x24FD),
        (0x24FF, 0x24FF),
        (0x2776, 0x277E),
        (0x2780, 0x2788),
        (0x278A, 0x2792),
        (0x10A40, 0x10A43),
        (0x10E60, 0x10E68),
        (0x11052, 0x1105A),
        (0x1F100, 0x1F10A),
    ];
    super::text::py_decimal(c).is_some()
        || OTHER_DIGITS
            .iter()
            .any(|&(a, b)| (a..=b).contains(&u32::from(c)))
}

fn isspace(c: char) -> bool {
    super::text::py_space(c)
}

/// `_timelex.split`: runs of letters, runs of digits (with `.` and `,` inside), one token
/// per whitespace character (as " ") and per other character.
fn timelex(s: &str) -> Vec<String> {
    let mut chars = s.chars().filter(|&c| c != '\0').peekable();
    let mut out = Vec::new();
    loop {
        let mut token = String::new();
        let mut state = None::<&str>;
        let mut seenletters = false;
        while let Some(&c) = chars.peek() {
            match state {
                None => {
                    chars.next();
                    token.push(c);
                    if isword(c) {
                        state = Some("a");
                    } else if isnum(c) {
                        state = Some("0");
                    } else {
                        if isspace(c) {
                            token = " ".into();
                        }
                        break;
                    }
                }
                Some("a") => {
                    seenletters = true;
                    if isword(c) {
                        token.push(c);
                    } else if c == '.' {
                        token.push(c);
                        state = Some("a.");
                    } else {
                        break;
                    }
                    chars.next();
                }
                Some("0") => {
                    if isnum(c) {
                        token.push(c);
                    } else if c == '.' || (c == ',' && token.chars().count() >= 2) {
                        token.push(c);
                        state = Some("0.");
                    } else {
                        break;
                    }
                    chars.next();
                }
                Some("a.") => {
                    seenletters = true;
                    if c == '.' || isword(c) {
                        token.push(c);
                    } else if isnum(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some("0.");
                    } else {
                        break;
                    }
                    chars.next();
                }
                _ => {
                    if c == '.' || isnum(c) {
                        token.push(c);
                    } else if isword(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some("a.");
                    } else {
                        break;
                    }
                    chars.next();
                }
            }
        }
        if token.is_empty() {
            return out;
        }
        let dotted = matches!(state, Some("a." | "0."));
        if dotted && (seenletters || token.matches('.').count() > 1 || token.ends_with(['.', ',']))
        {
            // re.split("([.,])", token): pieces and separators, empty pieces dropped.
            let mut piece = String::new();
            let mut parts = Vec::new();
            for c in token.chars() {
                if c == '.' || c == ',' {
                    parts.push(std::mem::take(&mut piece));
                    parts.push(c.to_string());
                } else {
                    piece.push(c);
                }
            }
            parts.push(piece);
            let mut parts = parts.into_iter();
            token = parts.next().unwrap_or_default();
            let rest: Vec<String> = parts.filter(|p| !p.is_empty()).collect();
            if state == Some("0.") && !token.contains('.') {
                token = token.replace(',', ".");
            }
            out.push(token);
            out.extend(rest);
            continue;
        }
        if state == Some("0.") && !token.contains('.') {
            token = token.replace(',', ".");
        }
        out.push(token);
    }
}

// ---------------------------------------------------------------------------------------
// parserinfo

const JUMP: [&str; 18] = [
    " ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m", "t", "of", "st", "nd", "rd",
    "th",
];
const WEEKDAYS: [[&str; 2]; 7] = [
    ["mon", "monday"],
    ["tue", "tuesday"],
    ["wed", "wednesday"],
    ["thu", "thursday"],
    ["fri", "friday"],
    ["sat", "saturday"],
    ["sun", "sunday"],
];
const MONTHS: [&[&str]; 12] = [
    &["jan", "january"],
    &["feb", "february"],
    &["mar", "march"],
    &["apr", "april"],
    &["may"],
    &["jun", "june"],
    &["jul", "july"],
    &["aug", "august"],
    &["sep", "sept", "september"],
    &["oct", "october"],
    &["nov", "november"],
    &["dec", "december"],
];

fn jump(t: &str) -> bool {
    JUMP.contains(&t.to_lowercase().as_str())
}

fn weekday(t: &str) -> Option<usize> {
    let l = t.to_lowercase();
    WEEKDAYS.iter().position(|w| w.contains(&l.as_str()))
}

fn month(t: &str) -> Option<i128> {
    let l = t.to_lowercase();
    MONTHS
        .iter()
        .position(|m| m.contains(&l.as_str()))
        .map(|i| i as i128 + 1)
}

fn hms(t: &str) -> Option<u8> {
    match t.to_lowercase().as_str() {
        "h" | "hour" | "hours" => Some(0),
        "m" | "minute" | "minutes" => Some(1),
        "s" | "second" | "seconds" => Some(2),
        _ => None,
    }
}

fn ampm(t: &str) -> Option<u8> {
    match t.to_lowercase().as_str() {
        "am" | "a" => Some(0),
        "pm" | "p" => Some(1),
        _ => None,
    }
}

fn utczone(t: &str) -> bool {
    matches!(t.to_lowercase().as_str(), "utc" | "gmt" | "z")
}

/// `parserinfo.tzoffset`: only the lower-case names match `_utczone`'s keys.
fn tzoffset(t: &str) -> Option<i128> {
    matches!(t, "utc" | "gmt" | "z").then_some(0)
}

// ---------------------------------------------------------------------------------------
// numbers

/// A `Decimal` made from a numeric token: its integer part (saturating) and its value.
#[derive(Clone, Copy)]
struct Num {
    int: i128,
    value: f64,
}

impl Num {
    fn frac(self) -> f64 {
        self.value - self.value.trunc()
    }
}

/// `Decimal(token)` for a finite value (`_to_decimal`); tokens carry no sign or exponent.
fn to_decimal(t: &str) -> R<Num> {
    let t = &ascii_digits(t);
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    if (i.is_empty() && f.is_empty()) || !i.chars().chain(f.chars()).all(|c| c.is_ascii_digit()) {
        return Err(Unknown);
    }
    let int = digits_value(i);
    let value = format!("{}.{}", if i.is_empty() { "0" } else { i }, f)
        .trim_end_matches('.')
        .parse::<f64>()
        .unwrap_or(f64::MAX);
    Ok(Num { int, value })
}

/// `float(token)` succeeds: a decimal number (decimal digits of any script, at most one
/// dot), or nan / inf / infinity.
fn is_float(t: &str) -> bool {
    let t = &ascii_digits(t);
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    let number =
        !(i.is_empty() && f.is_empty()) && i.chars().chain(f.chars()).all(|c| c.is_ascii_digit());
    number || matches!(t.to_lowercase().as_str(), "nan" | "inf" | "infinity")
}

fn digits_value(s: &str) -> i128 {
    s.bytes().fold(0i128, |acc, b| {
        acc.saturating_mul(10).saturating_add(i128::from(b - b'0'))
    })
}

/// Decimal digits of any script as ASCII digits: Python's `int()`, `float()` and
/// `Decimal()` read `٢٠٣٠` and `２０３０` as 2030.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match super::text::py_decimal(c) {
            Some(d) => char::from(b'0' + d as u8),
            None => c,
        })
        .collect()
}

/// `int(s)` for a string: whitespace, an optional sign, digits with single underscores.
fn int_str(s: &str) -> R<i128> {
    let s = &ascii_digits(s);
    let t = s.trim_matches(isspace);
    let (neg, d) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if d.is_empty()
        || d.starts_with('_')
        || d.ends_with('_')
        || d.contains("__")
        || !d.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return Err(Unknown);
    }
    let v = digits_value(&d.replace('_', ""));
    Ok(if neg { -v } else { v })
}

/// `str.isdigit()` for a whole token.
fn isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(isnum)
}

/// Characters `a..b` of `s` (Python slicing, clamped).
fn sl(s: &str, a: usize, b: usize) -> String {
    s.chars().skip(a).take(b.saturating_sub(a)).collect()
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// `_parsems`: "S[.F]" into seconds and microseconds.
fn parsems(v: &str) -> R<(i128, i128)> {
    match v.split_once('.') {
        None => Ok((int_str(v)?, 0)),
        Some((i, f)) => {
            if f.contains('.') {
                return Err(Unknown);
            }
            let mut f: String = f.chars().take(6).collect();
            while len(&f) < 6 {
                f.push('0');
            }
            Ok((int_str(i)?, int_str(&f)?))
        }
    }
}

/// `_parse_min_sec`.
fn parse_min_sec(v: Num) -> (i128, Option<i128>) {
    let rem = v.frac();
    #[allow(clippy::cast_possible_truncation)]
    let second = (rem != 0.0).then_some((60.0 * rem) as i128);
    (v.int, second)
}

// ---------------------------------------------------------------------------------------
// _ymd

enum YmdVal<'a> {
    Str(&'a str),
    Num(Num),
    Int(i128),
}

#[derive(Default)]
struct Ymd {
    vals: Vec<i128>,
    century_specified: bool,
    dstridx: Option<usize>,
    mstridx: Option<usize>,
    ystridx: Option<usize>,
}

impl Ymd {
    fn could_be_day(&self, value: f64) -> bool {
        if self.dstridx.is_some() {
            return false;
        }
        let Some(m) = self.mstridx else {
            return (1.0..=31.0).contains(&value);
        };
        let month = self.vals[m];
        let year = self.ystridx.map_or(2000, |y| self.vals[y]);
        (1.0..=f64::from(days_in_month(year, month))).contains(&value)
    }

    fn append(&mut self, val: &YmdVal<'_>, label: Option<char>) -> R<()> {
        let mut label = label;
        let big = match &val {
            YmdVal::Str(s) => isdigit(s) && len(s) > 2,
            YmdVal::Num(n) => n.value > 100.0,
            YmdVal::Int(i) => *i > 100,
        };
        if big {
            self.century_specified = true;
            if label.is_some_and(|l| l != 'Y') {
                return Err(Unknown);
            }
            label = Some('Y');
        }
        let v = match val {
            YmdVal::Str(s) => int_str(s)?,
            YmdVal::Num(n) => n.int,
            YmdVal::Int(i) => *i,
        };
        self.vals.push(v);
        let at = Some(self.vals.len() - 1);
        let slot = match label {
            Some('M') => &mut self.mstridx,
            Some('D') => &mut self.dstridx,
            Some('Y') => &mut self.ystridx,
            _ => return Ok(()),
        };
        if slot.is_some() {
            return Err(Unknown);
        }
        *slot = at;
        Ok(())
    }

    /// `resolve_ymd(yearfirst=False, dayfirst=False)`: (year, month, day).
    fn resolve(&self) -> R<(Option<i128>, Option<i128>, Option<i128>)> {
        let s = &self.vals;
        let strids: Vec<(char, usize)> = [
            ('y', self.ystridx),
            ('m', self.mstridx),
            ('d', self.dstridx),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if (s.len() == strids.len() && !strids.is_empty()) || (s.len() == 3 && strids.len() == 2) {
            let mut strids = strids;
            if s.len() == 3 && strids.len() == 2 {
                let missing = (0..3).find(|x| !strids.iter().any(|(_, v)| v == x));
                let key = ['y', 'm', 'd']
                    .into_iter()
                    .find(|k| !strids.iter().any(|(kk, _)| kk == k));
                if let (Some(m), Some(k)) = (missing, key) {
                    strids.push((k, m));
                }
            }
            let get = |k: char| strids.iter().find(|(kk, _)| *kk == k).map(|(_, i)| s[*i]);
            return Ok((get('y'), get('m'), get('d')));
        }
        let (mut year, mut month, mut day) = (None, None, None);
        let mstridx = self.mstridx;
        match s.len() {
            n if n > 3 => return Err(Unknown),
            1 | 2 if n_is_single_or_month(s.len(), mstridx) => {
                let other = if let Some(m) = mstridx {
                    month = Some(s[m]);
                    s[if m == 0 { s.len() - 1 } else { m - 1 }]
                } else {
                    s[0]
                };
                if s.len() > 1 || mstridx.is_none() {
                    if other > 31 {
                        year = Some(other);
                    } else {
                        day = Some(other);
                    }
                }
            }
            2 => {
                if s[0] > 31 {
                    (year, month) = (Some(s[0]), Some(s[1]));
                } else if s[1] > 31 {
                    (month, year) = (Some(s[0]), Some(s[1]));
                } else {
                    (month, day) = (Some(s[0]), Some(s[1]));
                }
            }
            3 => {
                let (a, b, c) = (s[0], s[1], s[2]);
                (year, month, day) = match mstridx {
                    Some(0) if b > 31 => (Some(b), Some(a), Some(c)),
                    Some(0) => (Some(c), Some(a), Some(b)),
                    Some(1) if a > 31 => (Some(a), Some(b), Some(c)),
                    Some(1) => (Some(c), Some(b), Some(a)),
                    Some(_) if b > 31 => (Some(b), Some(c), Some(a)),
                    Some(_) => (Some(a), Some(c), Some(b)),
                    None if a > 31 || self.ystridx == Some(0) => (Some(a), Some(b), Some(c)),
                    None if a > 12 => (Some(c), Some(b), Some(a)),
                    None => (Some(c), Some(a), Some(b)),
                };
            }
            _ => {}
        }
        Ok((year, month, day))
    }
}

/// `len_ymd == 1 or (mstridx is not None and len_ymd == 2)`.
fn n_is_single_or_month(n: usize, mstridx: Option<usize>) -> bool {
    n == 1 || (mstridx.is_some() && n == 2)
}

fn is_leap(y: i128) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// `calendar.monthrange(year, month)[1]` for a month in 1..=12.
fn days_in_month(year: i128, month: i128) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------
// parser._parse

#[derive(Default)]
struct Res {
    year: Option<i128>,
    month: Option<i128>,
    day: Option<i128>,
    weekday: Option<usize>,
    hour: Option<i128>,
    minute: Option<i128>,
    second: Option<i128>,
    microsecond: Option<i128>,
    tzname: Option<String>,
    tzoffset: Option<i128>,
    ampm: Option<u8>,
}

impl Res {
    /// `_resultbase.__len__ == 0`.
    fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.month.is_none()
            && self.day.is_none()
            && self.weekday.is_none()
            && self.hour.is_none()
            && self.minute.is_none()
            && self.second.is_none()
            && self.microsecond.is_none()
            && self.tzname.is_none()
            && self.tzoffset.is_none()
            && self.ampm.is_none()
    }
}

/// `_could_be_tzname`.
fn could_be_tzname(res: &Res, tzoffset: Option<i128>, token: &str) -> bool {
    res.hour.is_some()
        && res.tzname.is_none()
        && tzoffset.is_none()
        && len(token) <= 5
        && (token.chars().all(|c| c.is_ascii_uppercase())
            || ["UTC", "GMT", "Z", "z"].contains(&token))
}

/// `_adjust_ampm`.
fn adjust_ampm(hour: i128, ampm: u8) -> i128 {
    if hour < 12 && ampm == 1 {
        hour + 12
    } else if hour == 12 && ampm == 0 {
        0
    } else {
        hour
    }
}

fn tok(l: &[String], i: usize) -> R<&str> {
    l.get(i).map(String::as_str).ok_or(Unknown)
}

#[allow(
    clippy::many_single_char_names,
    reason = "the names of dateutil's `_parse`"
)]
fn parse_tokens(tokens: &[String], today: Today) -> R<Res> {
    let mut l: Vec<String> = tokens.to_vec();
    let mut res = Res::default();
    let mut ymd = Ymd::default();
    let len_l = l.len();
    let mut i = 0;
    while i < len_l {
        let t = l[i].clone();
        if is_float(&t) {
            i = parse_numeric_token(&l, i, &mut ymd, &mut res)?;
        } else if let Some(w) = weekday(&t) {
            res.weekday = Some(w);
        } else if let Some(m) = month(&t) {
            ymd.append(&YmdVal::Int(m), Some('M'))?;
            if i + 1 < len_l {
                if l[i + 1] == "-" || l[i + 1] == "/" {
                    let sep = l[i + 1].clone();
                    ymd.append(&YmdVal::Str(tok(&l, i + 2)?), None)?;
                    if i + 3 < len_l && l[i + 3] == sep {
                        ymd.append(&YmdVal::Str(tok(&l, i + 4)?), None)?;
                        i += 2;
                    }
                    i += 2;
                } else if i + 4 < len_l
                    && l[i + 1] == " "
                    && l[i + 3] == " "
                    && l[i + 2].to_lowercase() == "of"
                {
                    if isdigit(&l[i + 4]) {
                        let value = int_str(&l[i + 4])?;
                        let year = today.convertyear(value, false).to_string();
                        ymd.append(&YmdVal::Str(&year), Some('Y'))?;
                    }
                    i += 4;
                }
            }
        } else if let Some(a) = ampm(&t) {
            // _ampm_valid, not fuzzy.
            match res.hour {
                None => return Err(Unknown),
                Some(h) if !(0..=12).contains(&h) => return Err(Unknown),
                Some(h) => {
                    res.hour = Some(adjust_ampm(h, a));
                    res.ampm = Some(a);
                }
            }
        } else if could_be_tzname(&res, res.tzoffset, &t) {
            res.tzoffset = tzoffset(&t);
            res.tzname = Some(t.clone());
            if i + 1 < len_l && (l[i + 1] == "+" || l[i + 1] == "-") {
                l[i + 1] = if l[i + 1] == "+" { "-" } else { "+" }.into();
                res.tzoffset = None;
                if utczone(&t) {
                    res.tzname = None;
                }
            }
        } else if res.hour.is_some() && (t == "+" || t == "-") {
            let signal: i128 = if t == "+" { 1 } else { -1 };
            let next = tok(&l, i + 1)?.to_owned();
            let len_li = len(&next);
            let (hour_offset, min_offset) = if len_li == 4 {
                (int_str(&sl(&next, 0, 2))?, int_str(&sl(&next, 2, 4))?)
            } else if i + 2 < len_l && l[i + 2] == ":" {
                let h = int_str(&next)?;
                let m = int_str(tok(&l, i + 3)?)?;
                i += 2;
                (h, m)
            } else if len_li <= 2 {
                (int_str(&sl(&next, 0, 2))?, 0)
            } else {
                return Err(Unknown);
            };
            res.tzoffset = Some(
                signal.saturating_mul(
                    hour_offset
                        .saturating_mul(3600)
                        .saturating_add(min_offset.saturating_mul(60)),
                ),
            );
            if i + 5 < len_l
                && jump(&l[i + 2])
                && l[i + 3] == "("
                && l[i + 5] == ")"
                && len(&l[i + 4]) >= 3
                && could_be_tzname(&res, None, &l[i + 4])
            {
                res.tzname = Some(l[i + 4].clone());
                i += 4;
            }
            i += 1;
        } else if !jump(&t) {
            return Err(Unknown);
        }
        i += 1;
    }
    let (year, month, day) = ymd.resolve()?;
    res.year = year.map(|y| today.convertyear(y, ymd.century_specified));
    res.month = month;
    res.day = day;
    // parserinfo.validate
    if (res.tzoffset == Some(0) && res.tzname.as_deref().is_none_or(str::is_empty))
        || matches!(res.tzname.as_deref(), Some("Z" | "z"))
    {
        res.tzname = Some("UTC".into());
        res.tzoffset = Some(0);
    }
    Ok(res)
}

/// `_find_hms_idx(allow_jump=True)`.
fn find_hms_idx(idx: usize, l: &[String]) -> Option<usize> {
    let len_l = l.len();
    if idx + 1 < len_l && hms(&l[idx + 1]).is_some() {
        Some(idx + 1)
    } else if idx + 2 < len_l && l[idx + 1] == " " && hms(&l[idx + 2]).is_some() {
        Some(idx + 2)
    } else if idx > 0 && hms(&l[idx - 1]).is_some() {
        Some(idx - 1)
    } else if 1 < idx && idx == len_l - 1 && l[idx - 1] == " " && hms(&l[idx - 2]).is_some() {
        Some(idx - 2)
    } else {
        None
    }
}

/// `_parse_numeric_token`: returns the index of the last token it used.
fn parse_numeric_token(l: &[String], idx: usize, ymd: &mut Ymd, res: &mut Res) -> R<usize> {
    let mut idx = idx;
    let value_repr = l[idx].as_str();
    let value = to_decimal(value_repr)?;
    let len_li = len(value_repr);
    let len_l = l.len();
    let s = value_repr;

    if ymd.vals.len() == 3
        && (len_li == 2 || len_li == 4)
        && res.hour.is_none()
        && (idx + 1 >= len_l || (l[idx + 1] != ":" && hms(&l[idx + 1]).is_none()))
    {
        // 19990101T23[59]
        res.hour = Some(int_str(&sl(s, 0, 2))?);
        if len_li == 4 {
            res.minute = Some(int_str(&sl(s, 2, len_li))?);
        }
    } else if len_li == 6 || (len_li > 6 && s.chars().position(|c| c == '.') == Some(6)) {
        // YYMMDD or HHMMSS[.ss]
        if ymd.vals.is_empty() && !s.contains('.') {
            ymd.append(&YmdVal::Str(&sl(s, 0, 2)), None)?;
            ymd.append(&YmdVal::Str(&sl(s, 2, 4)), None)?;
            ymd.append(&YmdVal::Str(&sl(s, 4, len_li)), None)?;
        } else {
            res.hour = Some(int_str(&sl(s, 0, 2))?);
            res.minute = Some(int_str(&sl(s, 2, 4))?);
            let (sec, us) = parsems(&sl(s, 4, len_li))?;
            res.second = Some(sec);
            res.microsecond = Some(us);
        }
    } else if matches!(len_li, 8 | 12 | 14) {
        // YYYYMMDD[hhmm[ss]]
        ymd.append(&YmdVal::Str(&sl(s, 0, 4)), Some('Y'))?;
        ymd.append(&YmdVal::Str(&sl(s, 4, 6)), None)?;
        ymd.append(&YmdVal::Str(&sl(s, 6, 8)), None)?;
        if len_li > 8 {
            res.hour = Some(int_str(&sl(s, 8, 10))?);
            res.minute = Some(int_str(&sl(s, 10, 12))?);
            if len_li > 12 {
                res.second = Some(int_str(&sl(s, 12, len_li))?);
            }
        }
    } else if let Some(hms_idx) = find_hms_idx(idx, l) {
        // HH[ ]h or MM[ ]m or SS[.ss][ ]s
        let unit = if hms_idx > idx {
            let u = hms(&l[hms_idx]).unwrap_or(0);
            idx = hms_idx;
            u
        } else {
            hms(&l[hms_idx]).unwrap_or(0) + 1
        };
        match unit {
            0 => {
                res.hour = Some(value.int);
                if value.frac() != 0.0 {
                    #[allow(clippy::cast_possible_truncation)]
                    let m = (60.0 * value.frac()) as i128;
                    res.minute = Some(m);
                }
            }
            1 => {
                let (m, sec) = parse_min_sec(value);
                res.minute = Some(m);
                res.second = sec;
            }
            2 => {
                let (sec, us) = parsems(value_repr)?;
                res.second = Some(sec);
                res.microsecond = Some(us);
            }
            _ => {}
        }
    } else if idx + 2 < len_l && l[idx + 1] == ":" {
        // HH:MM[:SS[.ss]]
        res.hour = Some(value.int);
        let (m, sec) = parse_min_sec(to_decimal(&l[idx + 2])?);
        res.minute = Some(m);
        res.second = sec;
        if idx + 4 < len_l && l[idx + 3] == ":" {
            let (sec, us) = parsems(&l[idx + 4])?;
            res.second = Some(sec);
            res.microsecond = Some(us);
            idx += 2;
        }
        idx += 2;
    } else if idx + 1 < len_l && ["-", "/", "."].contains(&l[idx + 1].as_str()) {
        let sep = l[idx + 1].as_str();
        ymd.append(&YmdVal::Str(value_repr), None)?;
        if idx + 2 < len_l && !jump(&l[idx + 2]) {
            if isdigit(&l[idx + 2]) {
                // 01-01[-01]
                ymd.append(&YmdVal::Str(&l[idx + 2]), None)?;
            } else {
                // 01-Jan[-01]
                let m = month(&l[idx + 2]).ok_or(Unknown)?;
                ymd.append(&YmdVal::Int(m), Some('M'))?;
            }
            if idx + 3 < len_l && l[idx + 3] == sep {
                let fourth = tok(l, idx + 4)?;
                match month(fourth) {
                    Some(m) => ymd.append(&YmdVal::Int(m), Some('M'))?,
                    None => ymd.append(&YmdVal::Str(fourth), None)?,
                }
                idx += 2;
            }
            idx += 1;
        }
        idx += 1;
    } else if idx + 1 >= len_l || jump(&l[idx + 1]) {
        if idx + 2 < len_l
            && let Some(a) = ampm(&l[idx + 2])
        {
            // 12 am
            res.hour = Some(adjust_ampm(value.int, a));
            idx += 1;
        } else {
            // year, month or day
            ymd.append(&YmdVal::Num(value), None)?;
        }
        idx += 1;
    } else if let Some(a) = ampm(&l[idx + 1]).filter(|_| (0.0..24.0).contains(&value.value)) {
        // 12am
        res.hour = Some(adjust_ampm(value.int, a));
        idx += 1;
    } else if ymd.could_be_day(value.value) {
        ymd.append(&YmdVal::Num(value), None)?;
    } else {
        return Err(Unknown);
    }
    Ok(idx)
}

// ---------------------------------------------------------------------------------------
// _build_naive

/// `_build_naive`: `default.replace(**fields)`, whose C arguments must fit an int and whose
/// values must make a real date and time.
fn build_naive(res: &Res, today: Today) -> Result<(), DateError> {
    let mut day = res.day;
    if day.is_none() {
        let cyear = res.year.unwrap_or(today.year);
        let cmonth = res.month.unwrap_or(today.month);
        if !(1..=12).contains(&cmonth) {
            return Err(DateError::Parser(format!(
                "bad month number {cmonth}; must be 1-12"
            )));
        }
        if today.day > i128::from(days_in_month(cyear, cmonth)) {
            day = Some(i128::from(days_in_month(cyear, cmonth)));
        }
    }
    let fields = [
        res.year,
        res.month,
        day,
        res.hour,
        res.minute,
        res.second,
        res.microsecond,
    ];
    if fields
        .iter()
        .flatten()
        .any(|v| *v > i128::from(i32::MAX) || *v < i128::from(i32::MIN))
    {
        return Err(DateError::Overflow(
            "signed integer is greater than maximum".into(),
        ));
    }
    let year = res.year.unwrap_or(today.year);
    let month = res.month.unwrap_or(today.month);
    let day = day.unwrap_or(today.day);
    let checks: [(bool, String); 7] = [
        (
            (1..=9999).contains(&year),
            format!("year {year} is out of range"),
        ),
        ((1..=12).contains(&month), "month must be in 1..12".into()),
        (
            (1..=i128::from(days_in_month(year, month))).contains(&day),
            "day is out of range for month".into(),
        ),
        (
            (0..=23).contains(&res.hour.unwrap_or(0)),
            "hour must be in 0..23".into(),
        ),
        (
            (0..=59).contains(&res.minute.unwrap_or(0)),
            "minute must be in 0..59".into(),
        ),
        (
            (0..=59).contains(&res.second.unwrap_or(0)),
            "second must be in 0..59".into(),
        ),
        (
            (0..=999_999).contains(&res.microsecond.unwrap_or(0)),
            "microsecond must be in 0..999999".into(),
        ),
    ];
    match checks.into_iter().find(|(ok, _)| !ok) {
        Some((_, msg)) => Err(DateError::Parser(msg)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> &'static str {
        parse(s).err().map_or("ok", |e| e.class())
    }

    #[test]
    fn tokens_like_timelex() {
        assert_eq!(
            timelex("2030-01-01T00:00:00.5Z"),
            [
                "2030", "-", "01", "-", "01", "T", "00", ":", "00", ":", "00.5", "Z"
            ]
        );
        assert_eq!(timelex("Sep.20.2009"), ["Sep", ".", "20", ".", "2009"]);
        assert_eq!(timelex("10,5 a.m."), ["10.5", " ", "a", ".", "m", "."]);
    }

    #[test]
    fn outcomes_like_dateutil() {
        for ok in [
            "2030-01-01T00:00:00Z",
            "2030-01-01 00:00:00+00:00",
            "Mon, 01 Jan 2030 00:00:00 GMT",
            "5",
            "01/02/2030",
            "Jan 5 2030",
            "10:30 PM",
            "20300101T101010",
        ] {
            assert_eq!(class(ok), "ok", "{ok}");
        }
        for (bad, want) in [
            ("", "ParserError"),
            ("not-a-date", "ParserError"),
            ("2030-02-30", "ParserError"),
            ("2030-13-01", "ParserError"),
            ("25:00", "ParserError"),
            ("nan", "ParserError"),
            ("99999999999999999999", "OverflowError"),
        ] {
            assert_eq!(class(bad), want, "{bad}");
        }
    }
}

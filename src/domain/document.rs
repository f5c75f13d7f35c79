//! How the office's documents are written (通报, 排名通报, 督办通知, 验收意见): one date style,
//! consecutive section numbers. Every print uses these, so documents agree with each other.

use super::monthly::Month;
use crate::i18n::Lang;

/// A date as printed on documents: 2026年11月25日 (English: 25 November 2026). One style in
/// every print.
pub fn date_long(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A month as written in text: 2026年10月 (English: October 2026).
pub fn month_long(lang: Lang, m: Month) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月", m.year, m.month),
        Lang::En => m.first().format("%B %Y").to_string(),
    }
}

/// The number of a document's n-th section (1-based): 一、 二、 … 十一、 (English: "1. ").
pub fn section_no(lang: Lang, n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match lang {
        Lang::En => format!("{n}. "),
        Lang::Zh => {
            let s = match n {
                1..=9 => DIGITS[n].to_string(),
                10 => "十".into(),
                11..=19 => format!("十{}", DIGITS[n - 10]),
                20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
                _ => n.to_string(),
            };
            format!("{s}、")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn one_date_style_and_consecutive_section_numbers() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        assert_eq!(date_long(Lang::Zh, d), "2026年11月5日");
        assert_eq!(date_long(Lang::En, d), "5 November 2026");
        assert_eq!(month_long(Lang::Zh, Month { year: 2026, month: 10 }), "2026年10月");
        assert_eq!(month_long(Lang::En, Month { year: 2026, month: 10 }), "October 2026");
        let zh: Vec<String> = (1..=12).map(|n| section_no(Lang::Zh, n)).collect();
        assert_eq!(zh.join(""), "一、二、三、四、五、六、七、八、九、十、十一、十二、");
        assert_eq!(section_no(Lang::Zh, 20), "二十、");
        assert_eq!(section_no(Lang::Zh, 23), "二十三、");
        assert_eq!(section_no(Lang::En, 3), "3. ");
    }
}

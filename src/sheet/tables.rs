//! The tables an office hands out, built from the same domain functions the screens use: the
//! registry (as filtered), the month's dispatch with its 未报 list, the ranking with the year's
//! composite, and the notices register.

use super::{Book, Cell, Table};
use crate::domain::assessment::YearLine;
use crate::domain::monthly::{DispatchRow, Month, Notice};
use crate::domain::ops::ItemRow;
use crate::domain::scoring::SubjectResult;
use crate::domain::{figures, Group};
use crate::i18n::{t, tf, Lang, K};
use chrono::NaiveDate;

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn date(d: Option<NaiveDate>) -> Cell {
    d.map(Cell::Date).unwrap_or(Cell::Empty)
}

fn points(c: i64) -> Cell {
    // Hundredths, so 94.00 is written 94 and 82.58 as 82.58.
    Cell::Number(c as f64 / 100.0)
}

fn table(sheet: K, title: String, lang: Lang, headers: &[(K, f64)], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        sheet: t(lang, sheet).to_string(),
        title,
        headers: headers.iter().map(|(k, _)| t(lang, *k).to_string()).collect(),
        widths: headers.iter().map(|(_, w)| *w).collect(),
        rows,
    }
}

/// 改革事项台账: the rows the list shows (its filters applied by the caller), in its order.
pub fn registry(lang: Lang, office: &str, rows: &[&ItemRow], groups: &[(String, Group)], on: NaiveDate) -> Book {
    let group = |id: &str| groups.iter().find(|(g, _)| g == id).map(|(_, g)| g.name.clone()).unwrap_or_default();
    let body = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let i = &r.item;
            vec![
                Cell::Number((n + 1) as f64),
                text(&i.code),
                text(&i.title),
                text(t(lang, i.kind.label())),
                text(t(lang, i.status.label())),
                text(&i.lead_unit),
                text(i.coop_units.join("、")),
                text(&i.leading_official),
                text(group(&i.special_group)),
                date(i.deadline),
                text(if figures::is_overdue(i, on) { t(lang, K::Overdue) } else { "" }),
                text(&i.goal),
                text(&i.work_path),
                text(&i.batch),
                text(&i.category),
            ]
        })
        .collect();
    let headers = [
        (K::XlNo, 6.0),
        (K::FCode, 10.0),
        (K::FTitle, 36.0),
        (K::FKind, 12.0),
        (K::FStatus, 12.0),
        (K::FLeadUnit, 18.0),
        (K::FCoopUnits, 24.0),
        (K::FLeadingOfficial, 12.0),
        (K::FSpecialGroup, 18.0),
        (K::FDeadline, 12.0),
        (K::Overdue, 8.0),
        (K::FGoal, 40.0),
        (K::FWorkPath, 40.0),
        (K::FBatch, 10.0),
        (K::FCategory, 14.0),
    ];
    Book { tables: vec![table(K::XlRegistry, tf(lang, K::XlRegistryTitle, &[office.to_string()]), lang, &headers, body)] }
}

/// 月度调度表 with a second sheet listing the items whose report is missing (未报).
pub fn dispatch(lang: Lang, office: &str, m: Month, rows: &[&DispatchRow]) -> Book {
    let month = crate::domain::document::month_long(lang, m);
    let line = |n: usize, r: &DispatchRow| {
        let rep = r.report.as_ref();
        vec![
            Cell::Number((n + 1) as f64),
            text(t(lang, r.status.label())),
            text(&r.item.title),
            text(&r.item.lead_unit),
            date(r.item.deadline),
            rep.and_then(|x| x.percent).map(Cell::Number).unwrap_or(Cell::Empty),
            text(rep.map(|x| x.milestone.clone()).unwrap_or_default()),
            text(rep.map(|x| x.done.clone()).unwrap_or_default()),
            text(rep.map(|x| x.problems.clone()).unwrap_or_default()),
            text(rep.map(|x| x.next_steps.clone()).unwrap_or_default()),
            date(rep.and_then(|x| x.reported_on)),
        ]
    };
    let headers = [
        (K::XlNo, 6.0),
        (K::DpMonthStatus, 12.0),
        (K::FTitle, 36.0),
        (K::FLeadUnit, 18.0),
        (K::FDeadline, 12.0),
        (K::FPercent, 10.0),
        (K::DpMilestone, 16.0),
        (K::FDone, 40.0),
        (K::FProblems, 30.0),
        (K::FNextSteps, 30.0),
        (K::XlReportedOn, 12.0),
    ];
    let all = rows.iter().enumerate().map(|(n, r)| line(n, r)).collect();
    let missing: Vec<Vec<Cell>> = rows
        .iter()
        .filter(|r| figures::owes_report(&r.item) && r.report.is_none())
        .enumerate()
        .map(|(n, r)| vec![Cell::Number((n + 1) as f64), text(&r.item.lead_unit), text(&r.item.title), text(&r.item.leading_official), date(r.item.deadline)])
        .collect();
    let miss_headers = [(K::XlNo, 6.0), (K::FLeadUnit, 18.0), (K::FTitle, 36.0), (K::FLeadingOfficial, 12.0), (K::FDeadline, 12.0)];
    Book {
        tables: vec![
            table(K::XlDispatch, tf(lang, K::XlDispatchTitle, &[office.to_string(), month.clone()]), lang, &headers, all),
            table(K::XlMissing, tf(lang, K::XlMissingTitle, &[office.to_string(), month]), lang, &miss_headers, missing),
        ],
    }
}

/// 考核排名: the month's units and special groups, and the year's composite.
pub fn ranking(lang: Lang, office: &str, plan_name: &str, m: Month, results: &[SubjectResult], year: &[YearLine]) -> Book {
    let month = crate::domain::document::month_long(lang, m);
    let rank_rows = |groups: bool| -> Vec<Vec<Cell>> {
        results
            .iter()
            .filter(|r| r.is_group == groups)
            .map(|r| {
                vec![
                    Cell::Number(r.rank as f64),
                    text(&r.name),
                    points(r.own),
                    r.blend.as_ref().map(|b| points(b.blended)).unwrap_or(Cell::Empty),
                    if r.bonus > 0 { points(r.bonus) } else { Cell::Empty },
                    points(r.total),
                    r.change.map(|c| Cell::Number(c as f64)).unwrap_or(Cell::Empty),
                ]
            })
            .collect()
    };
    let headers =
        [(K::ScRank, 6.0), (K::ScUnit, 20.0), (K::ScOwnPoints, 14.0), (K::XlBlended, 14.0), (K::ScBonus, 8.0), (K::ScTotal, 10.0), (K::ScChange, 10.0)];
    let mut tables =
        vec![table(K::XlRanking, tf(lang, K::XlRankingTitle, &[office.to_string(), plan_name.to_string(), month.clone()]), lang, &headers, rank_rows(false))];
    if results.iter().any(|r| r.is_group) {
        tables.push(table(
            K::ScGroupTable,
            tf(lang, K::XlRankingTitle, &[office.to_string(), t(lang, K::ScGroupTable).to_string(), month]),
            lang,
            &headers,
            rank_rows(true),
        ));
    }
    let year_rows = year
        .iter()
        .map(|l| {
            vec![
                l.rank.map(|r| Cell::Number(r as f64)).unwrap_or(Cell::Empty),
                text(&l.name),
                Cell::Number(l.months.len() as f64),
                l.average.map(points).unwrap_or(Cell::Empty),
                l.year_end.map(Cell::Number).unwrap_or(Cell::Empty),
                l.composite.map(points).unwrap_or(Cell::Empty),
            ]
        })
        .collect();
    let year_headers = [(K::ScRank, 6.0), (K::ScUnit, 20.0), (K::ScMonths, 10.0), (K::ScAvg, 12.0), (K::ScYearEnd, 12.0), (K::ScComposite, 12.0)];
    tables.push(table(K::XlYear, tf(lang, K::XlYearTitle, &[office.to_string(), plan_name.to_string()]), lang, &year_headers, year_rows));
    Book { tables }
}

/// 督办通知登记表.
pub fn notices(lang: Lang, office: &str, notices: &[(String, Notice)], title_of: impl Fn(&str) -> String, on: NaiveDate) -> Book {
    let rows = notices
        .iter()
        .map(|(_, n)| {
            vec![
                text(&n.number),
                text(t(lang, n.kind.label())),
                text(&n.unit),
                text(n.items.iter().map(|i| title_of(i)).collect::<Vec<_>>().join("；")),
                date(n.issued_on),
                date(n.reply_by),
                text(t(lang, n.state(on).label())),
                date(n.replied_on),
                text(&n.reply),
            ]
        })
        .collect();
    let headers = [
        (K::SvNumber, 20.0),
        (K::SvKind, 10.0),
        (K::FAddressee, 18.0),
        (K::SvItems, 36.0),
        (K::SvIssued, 12.0),
        (K::FReplyBy, 12.0),
        (K::FStatus, 10.0),
        (K::XlRepliedOn, 12.0),
        (K::FReply, 40.0),
    ];
    Book { tables: vec![table(K::XlNotices, tf(lang, K::XlNoticesTitle, &[office.to_string()]), lang, &headers, rows)] }
}

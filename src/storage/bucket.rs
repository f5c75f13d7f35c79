//! The text one state bucket holds (storage layout 3): one line per record,
//! `{last change's wall time},{1 if it may be deleted or in conflict, else 0},{compact text}`.
//!
//! The two figures are what start-up needs to index a record without reading it, and the id
//! and collection open the compact text itself (`compact::head`): a city's 130,000 records
//! used to be scanned whole, each one a value of its own handed over from the browser. Compact
//! JSON holds no raw line break, so a line ends at the first `\n`.

use super::{StoreError, StoredRecord};
use crate::order::LeanSort;
use crate::sync::compact;
use crate::sync::records::Loader;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// One record's line: where it and its text are in the bucket, and what it says of the record.
pub struct Line<'a> {
    pub id: Cow<'a, str>,
    pub coll: Cow<'a, str>,
    pub wall: i64,
    pub flagged: bool,
    /// The whole line, without its `\n`.
    pub line: (usize, usize),
    /// The record's compact text.
    pub text: (usize, usize),
}

fn unreadable(line: &str) -> StoreError {
    StoreError::Other(format!("stored data unreadable: bucket line {}", line.chars().take(60).collect::<String>()))
}

fn line_at(bucket: &str, start: usize, end: usize) -> Result<Line<'_>, StoreError> {
    let s = bucket.get(start..end).unwrap_or("");
    let mut parts = s.splitn(3, ',');
    let (Some(wall), Some(flag), Some(text)) = (parts.next(), parts.next(), parts.next()) else { return Err(unreadable(s)) };
    let wall: i64 = wall.parse().map_err(|_| unreadable(s))?;
    let flagged = match flag {
        "0" => false,
        "1" => true,
        _ => return Err(unreadable(s)),
    };
    let (id, coll) = compact::head(text).ok_or_else(|| unreadable(s))?;
    Ok(Line { id, coll, wall, flagged, line: (start, end), text: (end - text.len(), end) })
}

/// The lines of a bucket, in order.
pub fn lines(bucket: &str) -> impl Iterator<Item = Result<Line<'_>, StoreError>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bucket.len() {
            return None;
        }
        let end = bucket[at..].find('\n').map_or(bucket.len(), |n| at + n);
        let line = line_at(bucket, at, end);
        at = end + 1;
        Some(line)
    })
}

/// Appends a record's line.
pub fn push(out: &mut String, r: &StoredRecord) {
    out.push_str(&r.wall.to_string());
    out.push_str(if r.flagged { ",1," } else { ",0," });
    out.push_str(&r.text);
    out.push('\n');
}

/// The bucket `old` with `records` written over it: their lines replace any under their ids.
/// Lines are kept in id order, so that start-up's index of a city's 130,000 records is made
/// from 256 ordered runs (`records::Loader::finish`) rather than sorted from scratch.
pub fn rewrite(old: &str, records: &[&StoredRecord]) -> Result<String, StoreError> {
    let new: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let mut kept: Vec<(Cow<str>, &str)> = vec![];
    for l in lines(old) {
        let l = l?;
        if !new.contains(&*l.id) {
            kept.push((l.id, &old[l.line.0..l.line.1]));
        }
    }
    let made: Vec<(&str, String)> = records.iter().map(|r| (r.id.as_str(), line(r))).collect();
    kept.extend(made.iter().map(|(id, l)| (Cow::Borrowed(*id), l.as_str())));
    // Stable: of two records under one id in `records`, the later stays later (and is kept).
    kept.lean_sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::with_capacity(kept.iter().map(|(_, l)| l.len() + 1).sum());
    for (_, l) in kept {
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

/// A record's line, without its `\n`.
fn line(r: &StoredRecord) -> String {
    let mut out = String::with_capacity(r.text.len() + 24);
    push(&mut out, r);
    out.pop();
    out
}

/// The records of a bucket into `loader`, each kept as a part of the bucket's text.
pub fn load(loader: &mut Loader, bucket: &Arc<String>) -> Result<(), StoreError> {
    for l in lines(bucket) {
        let l = l?;
        loader.push(bucket, l.text, &l.id, &l.coll, l.wall, l.flagged).map_err(|e| StoreError::Other(format!("stored data unreadable: {e}")))?;
    }
    Ok(())
}

/// Every record of a bucket, as stored.
pub fn records(bucket: &str) -> Result<Vec<StoredRecord>, StoreError> {
    lines(bucket)
        .map(|l| {
            let l = l?;
            Ok(StoredRecord {
                id: l.id.into_owned(),
                coll: l.coll.into_owned(),
                text: bucket[l.text.0..l.text.1].to_string(),
                wall: l.wall,
                flagged: l.flagged,
            })
        })
        .collect()
}

/// Records stored as text alone (layout 2 held a map of id to text per bucket).
pub fn from_texts<'a>(texts: impl Iterator<Item = &'a str>) -> Result<Vec<StoredRecord>, StoreError> {
    texts
        .map(|t| match compact::scan(t) {
            Some(s) => Ok(StoredRecord { id: s.id, coll: s.coll, text: t.to_string(), wall: s.last_wall, flagged: s.maybe_flagged }),
            // Not in the compact form: read and stored in it.
            None => compact::from_text(t).map(|r| StoredRecord::of(&r)).map_err(|e| StoreError::Other(format!("stored data unreadable: {e}"))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Registry;
    use serde_json::json;

    /// A bucket's records, indexed at once and in steps with a rest between (as the history is
    /// read in the browser): both the same.
    fn loaded(bucket: &str) -> crate::sync::Records {
        let read = || {
            let mut l = Loader::new(crate::storage::KEPT_AS_TEXT);
            load(&mut l, &Arc::new(bucket.to_string())).unwrap();
            l
        };
        let rests = std::cell::Cell::new(0);
        let stepped = crate::storage::block_on(read().finish_resting(|| {
            rests.set(rests.get() + 1);
            std::future::ready(())
        }));
        assert_eq!(rests.get(), 1);
        assert!(stepped.index_is_true());
        assert_eq!(stepped, read().finish());
        // Fresh: comparing records parses those kept as text.
        read().finish()
    }

    #[test]
    fn a_bucket_reads_back_its_records_and_a_rewrite_replaces_only_theirs() {
        let mut a = Registry::new("kaijiang");
        // An id with a line break, a comma and a quote; a value with a line break.
        let odd = "it\nem,\"7\"/2026-03";
        a.change(1_000, "report", odd, vec![("done".into(), json!("第一行\n第二行"))], "").unwrap().unwrap();
        a.change(2_000, "report", "b/2026-03", vec![("done".into(), json!(1))], "").unwrap().unwrap();
        a.change(3_000, "unit", "u1", vec![("name".into(), json!("张店区"))], "").unwrap().unwrap();
        a.change(4_000, "report", "d/2026-03", vec![("_deleted".into(), json!(true))], "").unwrap().unwrap();
        let mut text = String::new();
        for r in a.records.values() {
            push(&mut text, &StoredRecord::of(r));
        }
        assert_eq!(text.lines().count(), 4, "one line per record");
        let back = loaded(&text);
        assert_eq!(back.unparsed(), 2, "two reports kept as text; the unit and the deleted report parsed");
        assert_eq!(back, a.records, "the same records");
        assert!(back.index_is_true(), "indexed as inserting them would");
        assert_eq!(back.last_wall(odd), Some(1_000));
        assert_eq!(back.flagged().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["d/2026-03"]);
        // Whether a report is filed is read without parsing it; a withdrawn one is not filed.
        let mut held = a.clone();
        held.records = loaded(&text);
        let m = crate::domain::monthly::Month { year: 2026, month: 3 };
        assert!(crate::domain::monthly::has_report(&held, "b", m) && !crate::domain::monthly::has_report(&held, "d", m));
        assert!(!crate::domain::monthly::has_report(&held, "c", m));
        assert_eq!(held.records.unparsed(), 2, "still kept as text");

        // A rewrite replaces one record's line and keeps the others as they were.
        a.change(5_000, "report", odd, vec![("done".into(), json!("改"))], "").unwrap().unwrap();
        let new = StoredRecord::of(&a.records[odd]);
        let again = rewrite(&text, &[&new]).unwrap();
        assert_eq!(again.lines().count(), 4);
        let order: Vec<String> = lines(&again).map(|l| l.unwrap().id.into_owned()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "lines in id order: {order:?}");
        assert_eq!(loaded(&again), a.records);
        assert_eq!(rewrite("", &[&new]).unwrap().lines().count(), 1);

        // Layout 2's texts make the same records, and a bucket's records are those it was made of.
        let texts: Vec<String> = a.records.values().map(|r| StoredRecord::of(r).text).collect();
        let stored: Vec<StoredRecord> = a.records.values().map(StoredRecord::of).collect();
        assert_eq!(from_texts(texts.iter().map(String::as_str)).unwrap(), stored);
        assert_eq!(records(&again).unwrap().len(), 4);
        assert_eq!(loaded(&rewrite("", &stored.iter().collect::<Vec<_>>()).unwrap()), a.records);
    }

    #[test]
    fn a_damaged_line_is_refused_not_skipped() {
        let mut a = Registry::new("kaijiang");
        a.change(1_000, "report", "r/2026-01", vec![("done".into(), json!(1))], "").unwrap().unwrap();
        let good = {
            let mut t = String::new();
            push(&mut t, &StoredRecord::of(&a.records["r/2026-01"]));
            t
        };
        for bad in ["x,0,[\"r\",\"report\",[]]", "1,2,[\"r\",\"report\",[]]", "1,0,{\"id\":1}", "1,0", "garbage"] {
            let text = format!("{good}{bad}\n");
            let mut l = Loader::new(crate::storage::KEPT_AS_TEXT);
            assert!(load(&mut l, &Arc::new(text.clone())).is_err(), "{bad}");
            assert!(rewrite(&text, &[]).is_err(), "{bad}");
        }
        // A record kept as text but cut short is refused when read (a rewrite keeps it as it is).
        let cut = format!("{good}1,0,[\"s/2026-02\",\"report\",[[\"done\",[[1,\n");
        let mut l = Loader::new(crate::storage::KEPT_AS_TEXT);
        assert!(load(&mut l, &Arc::new(cut)).is_err());
    }
}

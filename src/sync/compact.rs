//! The stored form of a merged record: positional arrays instead of named objects,
//! `[id, coll, [[field, [[v, dot, wall, counter, by, over], …], covered], …]]`.
//! A city's 140,000 records took 183 MB of JSON as objects, and parsing them was most of
//! start-up; this form says the same in well under half the bytes. Exchange files and backups
//! keep their own formats: this is only how the browser's storage holds the records.

use super::clock::Dot;
use super::state::{Entry, FieldState, Record};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

type EntryIn = (Value, Dot, i64, u32, String, Vec<Dot>);
type FieldIn = (String, Vec<EntryIn>, BTreeSet<Dot>);

/// A record's fields as the stored form writes them, serialised in place (a city's import
/// writes 140,000 records: lists of tuples built first for each one were a fifth of it).
struct FieldsOut<'a>(&'a BTreeMap<String, FieldState>);
struct EntriesOut<'a>(&'a [Entry]);

impl serde::Serialize for FieldsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(k, f)| (k.as_str(), EntriesOut(&f.entries), &f.covered)))
    }
}

impl serde::Serialize for EntriesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| (&e.v, &e.dot, e.wall, e.counter, e.by.as_str(), e.over.as_slice())))
    }
}

pub fn to_text(r: &Record) -> Result<String, serde_json::Error> {
    // Most records' text is a few hundred bytes: one allocation, not four growing ones.
    let mut out = Vec::with_capacity(512);
    serde_json::to_writer(&mut out, &(&r.id, &r.coll, FieldsOut(&r.fields)))?;
    String::from_utf8(out).map_err(<serde_json::Error as serde::ser::Error>::custom)
}

/// Reads the stored form (or a record written as an object, as exchange and backups write it).
pub fn from_text(text: &str) -> Result<Record, serde_json::Error> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text);
    }
    let (id, coll, fields): (String, String, Vec<FieldIn>) = serde_json::from_str(text)?;
    let fields: BTreeMap<String, FieldState> = fields
        .into_iter()
        .map(|(k, entries, covered)| {
            let entries = entries.into_iter().map(|(v, dot, wall, counter, by, over)| Entry { v, dot, wall, counter, by, over }).collect();
            (k, FieldState { entries, covered })
        })
        .collect();
    Ok(Record { id, coll, fields })
}

/// What a record's stored text says without parsing it: its id and collection, and whether it
/// may be deleted or in conflict (it names the deletion field, or a field holds more than one
/// write). `None` for anything that is not well-formed compact text.
pub struct Scanned {
    pub id: String,
    pub coll: String,
    pub maybe_flagged: bool,
    /// The latest wall time of any write it holds (when the record was last changed).
    pub last_wall: i64,
}

/// One pass over the bytes, tracking nesting and element positions: at depth 1 the id and the
/// collection; at depth 3 a field's name (element 0) and its writes (element 1, whose commas at
/// depth 4 separate writes); at depth 5 a write's wall time (element 2).
pub fn scan(text: &str) -> Option<Scanned> {
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut elem = [0usize; 6];
    let (mut id, mut coll, mut flagged, mut last_wall) = (None, None, false, 0i64);
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let token = text.get(start..=i)?;
                match (depth, elem.get(depth).copied()) {
                    (1, Some(0)) => id = Some(serde_json::from_str::<String>(token).ok()?),
                    (1, Some(1)) => coll = Some(serde_json::from_str::<String>(token).ok()?),
                    (3, Some(0)) if token == "\"_deleted\"" && elem[1] == 2 => flagged = true,
                    _ => {}
                }
            }
            b'0'..=b'9' | b'-' if depth == 5 && elem[5] == 2 && elem[3] == 1 && elem[1] == 2 => {
                let start = i;
                while i + 1 < b.len() && b[i + 1].is_ascii_digit() {
                    i += 1;
                }
                last_wall = last_wall.max(text.get(start..=i)?.parse().ok()?);
            }
            b'[' | b'{' => {
                depth += 1;
                if let Some(e) = elem.get_mut(depth) {
                    *e = 0;
                }
            }
            b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' => {
                if let Some(e) = elem.get_mut(depth) {
                    *e += 1;
                }
                if depth == 4 && elem[3] == 1 && elem[1] == 2 {
                    flagged = true;
                }
            }
            _ => {}
        }
        if depth == 0 && i > 0 {
            break;
        }
        i += 1;
    }
    let rest = text.get(i + 1..)?;
    (b.first() == Some(&b'[') && depth == 0 && rest.trim().is_empty()).then_some(())?;
    Some(Scanned { id: id?, coll: coll?, maybe_flagged: flagged, last_wall })
}

/// What `scan` finds in a record's text, read from the record itself: its latest write's wall
/// time, and whether it may be deleted or in conflict. Storage writes these beside the text
/// (`storage::bucket`), so that start-up does not scan 130,000 texts.
pub fn summary(r: &Record) -> (i64, bool) {
    let wall = r.fields.values().flat_map(|f| &f.entries).map(|e| e.wall).max().unwrap_or(0);
    let flagged = r.fields.iter().any(|(k, f)| k == super::DELETED || f.entries.len() > 1);
    (wall, flagged)
}

/// The JSON string opening at byte `from`, and the byte after it.
fn string_at(text: &str, from: usize) -> Option<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    if b.get(from) != Some(&b'"') {
        return None;
    }
    let (mut i, mut escaped) = (from + 1, false);
    while i < b.len() && b[i] != b'"' {
        if b[i] == b'\\' {
            escaped = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    if i >= b.len() {
        return None;
    }
    let s = if escaped { Cow::Owned(serde_json::from_str::<String>(text.get(from..=i)?).ok()?) } else { Cow::Borrowed(text.get(from + 1..i)?) };
    Some((s, i + 1))
}

/// The id and collection that open a record's compact text, read without going further.
pub fn head(text: &str) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    if !text.starts_with('[') {
        return None;
    }
    let (id, i) = string_at(text, 1)?;
    if text.as_bytes().get(i) != Some(&b',') {
        return None;
    }
    let (coll, _) = string_at(text, i + 1)?;
    Some((id, coll))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Registry;
    use serde_json::json;

    #[test]
    fn records_read_back_the_same_in_fewer_bytes() {
        let mut a = Registry::new("kaijiang");
        let mut b = Registry::new("pingyuan");
        let c1 = a.change(1_000, "item", "r1", vec![("title".into(), json!("物业智囊团")), ("n".into(), json!(3.5))], "唐寒").unwrap().unwrap();
        b.apply(&c1).unwrap();
        // Concurrent edits leave two entries, one replacing the first (its `over`).
        let c2 = a.change(2_000, "item", "r1", vec![("title".into(), json!("A"))], "").unwrap().unwrap();
        let c3 = b.change(2_000, "item", "r1", vec![("title".into(), json!("B")), ("_deleted".into(), json!(false))], "").unwrap().unwrap();
        a.apply(&c3).unwrap();
        b.apply(&c2).unwrap();
        let r = &a.records["r1"];
        assert_eq!(r.fields["title"].entries.len(), 2);
        assert!(r.fields["title"].entries.iter().any(|e| !e.over.is_empty()));
        let text = to_text(r).unwrap();
        assert_eq!(&from_text(&text).unwrap(), r);
        // The same bytes as the form written as plain tuples (what storage already holds).
        type Plain<'a> = (&'a Value, &'a Dot, i64, u32, &'a str, &'a [Dot]);
        let plain: Vec<(&str, Vec<Plain>, &BTreeSet<Dot>)> = r
            .fields
            .iter()
            .map(|(k, f)| (k.as_str(), f.entries.iter().map(|e| (&e.v, &e.dot, e.wall, e.counter, e.by.as_str(), e.over.as_slice())).collect(), &f.covered))
            .collect();
        assert_eq!(text, serde_json::to_string(&(&r.id, &r.coll, plain)).unwrap());
        assert!(text.len() * 2 < serde_json::to_string(r).unwrap().len(), "{} vs {} bytes", text.len(), serde_json::to_string(r).unwrap().len());
        // The object form is still read.
        assert_eq!(&from_text(&serde_json::to_string(r).unwrap()).unwrap(), r);
        assert!(from_text("[\"r1\",\"item\",[[\"title\",[[1]],[]]]]").is_err());
    }

    #[test]
    fn a_scan_finds_id_collection_and_what_may_be_flagged_without_parsing() {
        let mut a = Registry::new("kaijiang");
        let mut b = Registry::new("pingyuan");
        // An id with quotes and a slash, a value holding arrays and commas.
        let id = "it\"em/2026-03";
        let c1 = a.change(1_000, "report", id, vec![("done".into(), json!(["a,b", [1, 2], {"x": [3, 4]}])), ("n".into(), json!(1))], "").unwrap().unwrap();
        b.apply(&c1).unwrap();
        let one = to_text(&a.records[id]).unwrap();
        let s = scan(&one).expect("compact text");
        let (hid, hcoll) = head(&one).expect("head");
        assert_eq!((&*hid, &*hcoll), (id, "report"), "the head reads an escaped id");
        assert_eq!(summary(&a.records[id]), (s.last_wall, s.maybe_flagged));
        assert_eq!((s.id.as_str(), s.coll.as_str(), s.maybe_flagged), (id, "report", false));
        assert_eq!(s.last_wall, 1_000);
        // Two surviving writes of a field.
        a.change(2_000, "report", id, vec![("n".into(), json!(2))], "").unwrap().unwrap();
        let c3 = b.change(2_000, "report", id, vec![("n".into(), json!(3))], "").unwrap().unwrap();
        a.apply(&c3).unwrap();
        let two = scan(&to_text(&a.records[id]).unwrap()).unwrap();
        assert!(two.maybe_flagged, "two writes");
        assert_eq!(summary(&a.records[id]), (two.last_wall, true), "summary agrees with scan");
        assert_eq!(two.last_wall, a.records[id].last_wall(), "the latest write's wall time");
        // The deletion field named (deleted or restored: parsed at once to know which).
        let mut d = Registry::new("kaijiang");
        d.change(1_000, "report", "x/2026-01", vec![("_deleted".into(), json!(true))], "").unwrap().unwrap();
        assert!(scan(&to_text(&d.records["x/2026-01"]).unwrap()).unwrap().maybe_flagged);
        assert!(summary(&d.records["x/2026-01"]).1);
        // A value that merely says "_deleted" is not a field name.
        let mut e = Registry::new("kaijiang");
        e.change(1_000, "report", "y", vec![("done".into(), json!("_deleted"))], "").unwrap().unwrap();
        assert!(!scan(&to_text(&e.records["y"]).unwrap()).unwrap().maybe_flagged);
        assert!(!summary(&e.records["y"]).1);
        assert_eq!(head(&to_text(&e.records["y"]).unwrap()).map(|(i, c)| (i.into_owned(), c.into_owned())), Some(("y".into(), "report".into())));
        // Not compact text, or not whole.
        for bad in ["", "{\"id\":\"r\"}", "[\"r\",\"item\",[]", "[\"r\",\"item\",[]] x", "[\"r\"]", "]]", "[\"r\",\"it"] {
            assert!(scan(bad).is_none(), "{bad}");
        }
        for bad in ["", "{\"id\":\"r\"}", "[\"r\"]", "]]", "[\"r\",\"it", "[\"r\\\"]"] {
            assert!(head(bad).is_none(), "{bad}");
        }
    }
}

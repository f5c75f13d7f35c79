//! A pass over a JSON text that finds an object key given twice. serde keeps one of the two
//! values silently (and a text-editor reader may show the other), so such a file is refused.

/// The first repeated key: its line (1-based) and the key (its first 40 characters).
pub fn duplicate_key(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    // One set of keys per open object; `None` for an open array.
    let mut stack: Vec<Option<std::collections::HashSet<std::borrow::Cow<str>>>> = vec![];
    let mut line = 1;
    let mut i = 0;
    // After `{` or `,` inside an object the next string is a key.
    let mut expect_key = false;
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'{' => {
                stack.push(Some(Default::default()));
                expect_key = true;
            }
            b'[' => {
                stack.push(None);
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = matches!(stack.last(), Some(Some(_))),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if expect_key {
                    let raw = &text[start..i.min(b.len())];
                    // An escaped key ("\u0074itle") is the same key as its plain form.
                    let decoded: std::borrow::Cow<str> = if raw.contains('\\') {
                        serde_json::from_str::<String>(&text[start - 1..(i + 1).min(b.len())]).map(Into::into).unwrap_or(raw.into())
                    } else {
                        raw.into()
                    };
                    let key = decoded;
                    if let Some(Some(keys)) = stack.last_mut() {
                        let shown: String = key.chars().take(40).collect();
                        if !keys.insert(key) {
                            return Some((line, shown));
                        }
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The elements of a JSON array, as slices of its text (no value is parsed): storage keeps an
/// office's changes as one array per row, and an export copies each change's text as it is.
/// `None` when the text is not one array.
pub fn array_elements(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    let open = text.find(|c: char| !c.is_ascii_whitespace())?;
    (b[open] == b'[').then_some(())?;
    let (mut depth, mut i, mut start) = (0usize, open, open + 1);
    let mut out = vec![];
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let last = text.get(start..i)?.trim();
                    if !last.is_empty() {
                        out.push(last);
                    } else if !out.is_empty() {
                        return None;
                    }
                    return text.get(i + 1..)?.trim().is_empty().then_some(out);
                }
            }
            b',' if depth == 1 => {
                let el = text.get(start..i)?.trim();
                if el.is_empty() {
                    return None;
                }
                out.push(el);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Byte ranges in a text: (start, end).
pub type Spans = Vec<(usize, usize)>;

/// Where a bundle's `changes` array lies in its text, found in resumable steps without parsing
/// (a city's file is 50–70 MB: one pass over it is longer than a page may freeze): the byte
/// offsets of its `[` and `]`, and each element's span. It only cuts; the parser judges each
/// piece, so a text this gets wrong fails there (and is then read whole).
#[derive(Debug)]
pub struct Layout<'a> {
    text: &'a [u8],
    i: usize,
    depth: usize,
    /// After `{` or `,` in the top object the next string is a member's key.
    expect_key: bool,
    /// The top object's member whose value comes next is `changes`.
    at_changes: bool,
    open: Option<usize>,
    close: Option<usize>,
    start: usize,
    elements: Vec<(usize, usize)>,
    broken: bool,
}

impl<'a> Layout<'a> {
    pub fn new(text: &'a str) -> Self {
        Layout {
            text: text.as_bytes(),
            i: 0,
            depth: 0,
            expect_key: false,
            at_changes: false,
            open: None,
            close: None,
            start: 0,
            elements: vec![],
            broken: false,
        }
    }

    /// Reads about `budget` more bytes; true when the whole text has been read.
    pub fn step(&mut self, budget: usize) -> bool {
        let b = self.text;
        let end = self.i.saturating_add(budget).min(b.len());
        while self.i < end && !self.broken {
            let i = self.i;
            match b[i] {
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < b.len() && b[j] != b'"' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    if self.depth == 1 && self.expect_key {
                        self.at_changes = &b[start..j.min(b.len())] == b"changes";
                        self.expect_key = false;
                    }
                    self.i = j;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth == 1 {
                        self.expect_key = b[i] == b'{';
                    }
                    if self.depth == 2 && b[i] == b'[' && self.at_changes && self.open.is_none() {
                        self.open = Some(i);
                        self.start = i + 1;
                    }
                }
                b'}' | b']' => match self.depth.checked_sub(1) {
                    None => self.broken = true,
                    Some(d) => {
                        if d == 1 && self.open.is_some() && self.close.is_none() {
                            self.close = Some(i);
                            self.cut(i, true);
                        }
                        self.depth = d;
                    }
                },
                b',' if self.depth == 1 => {
                    self.expect_key = true;
                    self.at_changes = false;
                }
                b',' if self.depth == 2 && self.open.is_some() && self.close.is_none() => {
                    self.cut(i, false);
                    self.start = i + 1;
                }
                _ => {}
            }
            self.i += 1;
        }
        self.i >= b.len() || self.broken
    }

    fn cut(&mut self, at: usize, last: bool) {
        let (mut s, mut e) = (self.start, at);
        while s < e && self.text[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && self.text[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        match (s == e, last) {
            (false, _) => self.elements.push((s, e)),
            // `[]` holds none; `[1,]` and `[,1]` hold a hole.
            (true, true) if self.elements.is_empty() => {}
            (true, _) => self.broken = true,
        }
    }

    /// `[` and `]` of the changes and each element's span; None when the text did not read as
    /// one object holding a `changes` array.
    pub fn finish(self) -> Option<(usize, usize, Spans)> {
        (!self.broken && self.depth == 0 && self.i >= self.text.len()).then_some(())?;
        Some((self.open?, self.close?, self.elements))
    }
}

#[cfg(test)]
mod array_tests {
    use super::array_elements;

    #[test]
    fn array_elements_are_cut_at_top_level_commas_only() {
        let t = r#" [ {"a":[1,2],"s":"x,]\"}"} , [3,{"b":","}],"q\\",4 ] "#;
        assert_eq!(array_elements(t).unwrap(), vec![r#"{"a":[1,2],"s":"x,]\"}"}"#, r#"[3,{"b":","}]"#, r#""q\\""#, "4"]);
        assert_eq!(array_elements("[]").unwrap(), Vec::<&str>::new());
        for bad in ["", "{}", "[1,,2]", "[1,]", "[,1]", "[1", "[1] 2", "[1]]", "\"[1]\""] {
            assert!(array_elements(bad).is_none(), "{bad}");
        }
    }

    fn layout(t: &str, budget: usize) -> Option<(usize, usize, Vec<&str>)> {
        let mut l = super::Layout::new(t);
        let mut steps = 0;
        while !l.step(budget) {
            steps += 1;
            assert!(steps <= t.len(), "every step reads");
        }
        l.finish().map(|(o, c, e)| (o, c, e.into_iter().map(|(s, e)| &t[s..e]).collect()))
    }

    #[test]
    fn the_changes_array_is_found_at_the_top_level_only_whatever_the_step() {
        let t = r#"{"from":{"changes":[9]},"s":"\"changes\":[8]","changes": [ {"a":[1,2],"s":"x,]\"}"} , [3,{"b":","}] ],"z":{}}"#;
        for budget in [1, 2, 7, 1000] {
            let (o, c, els) = layout(t, budget).unwrap();
            assert_eq!(&t[o..=o], "[");
            assert_eq!(&t[c..=c], "]");
            assert_eq!(els, vec![r#"{"a":[1,2],"s":"x,]\"}"}"#, r#"[3,{"b":","}]"#], "budget {budget}");
        }
        assert_eq!(layout(r#"{"changes":[]}"#, 3).unwrap().2, Vec::<&str>::new());
        for bad in ["", "[]", r#"{"a":1}"#, r#"{"changes":[1,,2]}"#, r#"{"changes":[1,]}"#, r#"{"changes":[,1]}"#, r#"{"changes":[1]"#, r#"{"changes":[1]}}"#] {
            assert!(layout(bad, 4).is_none(), "{bad}");
        }
    }
}

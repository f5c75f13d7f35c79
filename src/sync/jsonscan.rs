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
}

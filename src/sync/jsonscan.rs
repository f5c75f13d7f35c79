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

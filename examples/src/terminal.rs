//! What the CLI prints is partly server text (problem details, error
//! messages, reasons, names and references). A hostile server could put
//! terminal escape sequences there (ESC `[2J`, OSC 52 clipboard writes, a CR
//! that overwrites the line before it, bidi overrides that reorder it), so
//! every line reaches the terminal with those characters escaped, visibly,
//! rather than dropped (issue 14, item 8).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that move the cursor, start escape sequences or reorder text:
/// Unicode category Cc (C0, DEL, C1) and the bidi controls of Unicode
/// Standard Annex #9 (the "Trojan Source" set).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape_with(
    text: &str,
    keep: impl Fn(char) -> bool,
    mut put: impl FnMut(&mut String, char),
) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) && !keep(c) {
            put(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` for the terminal: each unsafe character as `\x1b` or `\u{202e}`;
/// line feeds are kept when `keep_newlines` (a multi-line summary).
pub fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    escape_with(
        text,
        |c| keep_newlines && c == '\n',
        |out, c| {
            let _ = if (c as u32) < 0x100 {
                write!(out, "\\x{:02x}", c as u32)
            } else {
                write!(out, "\\u{{{:x}}}", c as u32)
            };
        },
    )
}

/// serde_json output for the terminal: serde_json escapes C0 controls but
/// writes DEL, C1 and bidi controls as they are. They can only occur inside
/// JSON strings, where `\uXXXX` denotes the same character, so the value a
/// program reads is unchanged.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    escape_with(
        json,
        |_| false,
        |out, c| {
            let _ = write!(out, "\\u{:04x}", c as u32);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        assert_eq!(escape("plain", false), "plain");
        assert_eq!(
            escape("a\u{1b}[2J\rb\u{9b}c\u{202e}d\u{7f}", false),
            "a\\x1b[2J\\x0db\\x9bc\\u{202e}d\\x7f"
        );
        assert_eq!(escape("one\ntwo\u{7}", true), "one\ntwo\\x07");
        assert_eq!(escape("one\ntwo", false), "one\\x0atwo");
    }

    #[test]
    fn json_keeps_its_value() {
        let value = serde_json::json!({"detail": "x\u{1b}y\u{9b}z\u{202e}"});
        let text = value.to_string();
        let safe = escape_json(&text);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, value);
    }
}

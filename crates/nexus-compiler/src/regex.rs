//! Rewrites of the templates' regular expressions for engines whose regex functions differ in
//! how they number or count capturing groups. The templates write RE2/Perl-style patterns and
//! name the group they want; the dialect macro files call these as minijinja filters.
//!
//! - `only_group`: BigQuery's `regexp_extract` accepts at most one capturing group and Redshift's
//!   `regexp_substr(..., 'e')` returns the first one, so the wanted group becomes the only one.
//! - `posix_groups` / `posix_group`: Snowflake speaks POSIX ERE, which has no `(?:...)`, so every
//!   group becomes capturing and the wanted group's number is recounted.

/// One parenthesis that opens a group in a pattern.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Byte offset of the `(`.
    at: usize,
    /// `(?:` rather than a capturing `(`.
    non_capturing: bool,
}

/// The groups of `pattern`, in order of their opening parenthesis. Escaped characters and
/// bracket expressions are skipped; other `(?` forms (look-arounds, flags) are not groups.
fn groups(pattern: &str) -> Vec<Group> {
    let bytes = pattern.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => i = bracket_end(bytes, i),
            b'(' if bytes[i..].starts_with(b"(?:") => out.push(Group {
                at: i,
                non_capturing: true,
            }),
            // Look-arounds and flag groups capture nothing and are no group to rewrite.
            b'(' if bytes.get(i + 1) == Some(&b'?') => {}
            b'(' => out.push(Group {
                at: i,
                non_capturing: false,
            }),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Offset of the `]` that closes the bracket expression opening at `start`.
fn bracket_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    if bytes.get(i) == Some(&b'^') {
        i += 1;
    }
    // A `]` right after the opening bracket is a literal member.
    if bytes.get(i) == Some(&b']') {
        i += 1;
    }
    while i < bytes.len() && bytes[i] != b']' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// `pattern` with capturing group number `group` (1-based) as its only capturing group.
pub fn only_group(pattern: &str, group: usize) -> Result<String, String> {
    let capturing: Vec<Group> = groups(pattern)
        .into_iter()
        .filter(|g| !g.non_capturing)
        .collect();
    if group == 0 || group > capturing.len() {
        return Err(no_such_group(pattern, group));
    }
    let mut out = pattern.to_string();
    // Right to left, so earlier offsets stay valid.
    for (number, g) in capturing.iter().enumerate().rev() {
        if number + 1 != group {
            out.insert_str(g.at + 1, "?:");
        }
    }
    Ok(out)
}

/// `pattern` with every `(?:` group made capturing, for POSIX ERE engines.
pub fn posix_groups(pattern: &str) -> String {
    let mut out = pattern.to_string();
    for g in groups(pattern).iter().rev().filter(|g| g.non_capturing) {
        out.replace_range(g.at + 1..g.at + 3, "");
    }
    out
}

/// The number that capturing group `group` of `pattern` has in `posix_groups(pattern)`.
pub fn posix_group(pattern: &str, group: usize) -> Result<usize, String> {
    let all = groups(pattern);
    let mut capturing = 0;
    for (index, g) in all.iter().enumerate() {
        if !g.non_capturing {
            capturing += 1;
            if capturing == group {
                return Ok(index + 1);
            }
        }
    }
    Err(no_such_group(pattern, group))
}

fn no_such_group(pattern: &str, group: usize) -> String {
    format!("regular expression '{pattern}' has no capturing group {group}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = r"^(?:[a-z]+://)?(?:[^@/?#]*@)?(?:www\.)?([^/:?#]+)";
    const PARAM: &str = "(^|[?&])gclid=([^&#]*)";

    #[test]
    fn only_group_keeps_the_wanted_group_capturing() {
        assert_eq!(only_group(PARAM, 2).unwrap(), "(?:^|[?&])gclid=([^&#]*)");
        assert_eq!(only_group(PARAM, 1).unwrap(), "(^|[?&])gclid=(?:[^&#]*)");
        assert_eq!(only_group(HOST, 1).unwrap(), HOST);
    }

    #[test]
    fn parentheses_in_brackets_and_escapes_are_not_groups() {
        assert_eq!(only_group(r"[(]\((a)", 1).unwrap(), r"[(]\((a)");
        assert_eq!(only_group(r"[]()](b)", 1).unwrap(), r"[]()](b)");
    }

    #[test]
    fn posix_form_makes_every_group_capturing_and_renumbers() {
        assert_eq!(
            posix_groups(HOST),
            r"^([a-z]+://)?([^@/?#]*@)?(www\.)?([^/:?#]+)"
        );
        assert_eq!(posix_group(HOST, 1).unwrap(), 4);
        assert_eq!(posix_group(PARAM, 2).unwrap(), 2);
    }

    #[test]
    fn a_missing_group_is_an_error() {
        assert!(only_group("abc", 1).is_err());
        assert!(posix_group(PARAM, 3).is_err());
    }
}

//! What counts as a valid name: SQL identifiers for database objects and columns, lower-case
//! words for the values we write into the data (identifier types, trait names, click ids), and
//! domains for referral exclusions.

/// Longest identifier every supported warehouse accepts (Postgres truncates at 63 bytes).
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// A plain SQL identifier: a letter or underscore, then letters, digits or underscores.
pub fn is_sql_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    name.len() <= MAX_IDENTIFIER_LEN
        && (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A lower-case word such as `segment_anonymous_id`, safe as a value and as a column name.
pub fn is_value_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    name.len() <= MAX_IDENTIFIER_LEN
        && first.is_ascii_lowercase()
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A domain name of two or more labels, lower case (`example.com`, `shop.example.co.uk`).
pub fn is_domain(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && name.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_identifiers_reject_quotes_spaces_and_leading_digits() {
        assert!(is_sql_identifier("SEGMENT_LIVE"));
        assert!(is_sql_identifier("_x1"));
        for bad in ["", "1abc", "a b", "a\"b", "a;drop", "a-b", &"x".repeat(64)] {
            assert!(!is_sql_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn value_names_are_lower_case_words() {
        assert!(is_value_name("segment_anonymous_id"));
        assert!(!is_value_name("Email"));
        assert!(!is_value_name("e-mail"));
    }

    #[test]
    fn domains_need_two_clean_labels() {
        assert!(is_domain("example.com"));
        assert!(is_domain("a-b.example.co.uk"));
        for bad in [
            "example",
            "-a.com",
            "a..com",
            "Example.com",
            "a.com/",
            "%a.com%",
        ] {
            assert!(!is_domain(bad), "{bad}");
        }
    }
}

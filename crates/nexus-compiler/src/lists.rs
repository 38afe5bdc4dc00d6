//! The source-category lists (search engines, social networks, …) kept as data files under
//! `templates/lists/`, turned into one host-matching regular expression per list.
//!
//! A list file has one entry per line; `#` starts a comment. A domain matches itself and its
//! subdomains. `{tld}` stands for any top-level domain a global brand uses (`google.{tld}` covers
//! `google.com`, `google.de`, `google.co.uk`, `google.com.br`). An entry without a dot is a
//! source name as campaigns spell it (`utm_source=google`, `fb`) and matches only exactly.

use serde::Serialize;

const SEARCH: &str = include_str!("../../../templates/lists/search.txt");
const SOCIAL: &str = include_str!("../../../templates/lists/social.txt");
const VIDEO: &str = include_str!("../../../templates/lists/video.txt");
const SHOPPING: &str = include_str!("../../../templates/lists/shopping.txt");
const WEBMAIL: &str = include_str!("../../../templates/lists/webmail.txt");
const AI_ASSISTANTS: &str = include_str!("../../../templates/lists/ai_assistants.txt");

const TLD_PATTERN: &str = r"(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})";

/// One regular expression per list, each matching a lower-case host that is in the list.
#[derive(Debug, Clone, Serialize)]
pub struct HostLists {
    pub search: String,
    pub social: String,
    pub video: String,
    pub shopping: String,
    pub webmail: String,
    pub ai_assistants: String,
}

impl HostLists {
    pub fn load() -> Self {
        HostLists {
            search: host_regex(SEARCH),
            social: host_regex(SOCIAL),
            video: host_regex(VIDEO),
            shopping: host_regex(SHOPPING),
            webmail: host_regex(WEBMAIL),
            ai_assistants: host_regex(AI_ASSISTANTS),
        }
    }
}

/// The domains of a list file, in file order.
pub fn domains(list: &str) -> Vec<&str> {
    list.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .collect()
}

fn host_regex(list: &str) -> String {
    let (names, hosts): (Vec<&str>, Vec<&str>) =
        domains(list).into_iter().partition(|d| !d.contains('.'));
    let hosts: Vec<String> = hosts
        .into_iter()
        .map(|d| {
            d.replace('.', r"\.")
                .replace(r"\.{tld}", &format!(r"\.{TLD_PATTERN}"))
        })
        .collect();
    let hosts = format!(r"(^|\.)({})$", hosts.join("|"));
    if names.is_empty() {
        return hosts;
    }
    format!("{hosts}|^({})$", names.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_entry_is_a_domain_or_tld_pattern() {
        for list in [SEARCH, SOCIAL, VIDEO, SHOPPING, WEBMAIL, AI_ASSISTANTS] {
            for d in domains(list) {
                let plain = d.replace(".{tld}", ".com");
                let name = !d.contains('.') && nexus_config::is_value_name(d);
                assert!(
                    name || nexus_config::is_domain(&plain),
                    "bad list entry '{d}'"
                );
            }
        }
    }

    #[test]
    fn tld_entries_expand_to_country_domains() {
        let re = host_regex("google.{tld}\nbing.com\n# comment\n");
        assert_eq!(
            re,
            r"(^|\.)(google\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})|bing\.com)$"
        );
    }

    #[test]
    fn source_names_match_exactly() {
        let re = host_regex("facebook.com\nfb\nfacebook\n");
        assert_eq!(re, r"(^|\.)(facebook\.com)$|^(fb|facebook)$");
    }
}

//! Checks `attribution.channel_rules` (SPEC §6.6) into [`ChannelRule`]s. The YAML is read by
//! hand rather than through serde so that every mistake points at its own key or value.

use serde_yaml::{Mapping, Value};

use super::Resolver;
use crate::config::{ChannelRule, Condition, RuleField};
use crate::diagnostic::did_you_mean;
use crate::names::is_domain;

const RULE_KEYS: [&str; 2] = ["channel", "when"];
const CONDITION_KEYS: [&str; 5] = ["source", "medium", "campaign", "referrer_host", "click_id"];
/// Longest channel name accepted: long enough for any label, short enough for any warehouse.
const MAX_CHANNEL_LEN: usize = 100;

impl Resolver<'_> {
    pub(super) fn channel_rules(
        &mut self,
        raw: Option<Vec<Value>>,
        click_ids: &[String],
    ) -> Vec<ChannelRule> {
        let rules = raw.unwrap_or_default().into_iter().enumerate();
        rules
            .filter_map(|(i, value)| {
                let rel = format!("attribution.channel_rules[{i}]");
                self.channel_rule(&rel, value, click_ids)
            })
            .collect()
    }

    fn channel_rule(
        &mut self,
        rel: &str,
        value: Value,
        click_ids: &[String],
    ) -> Option<ChannelRule> {
        let Value::Mapping(map) = value else {
            self.error_at_value(rel, format!("'{}' must be a mapping", super::path(rel)))
                .help = Some("write '- channel: newsletter' with a 'when:' mapping below".into());
            return None;
        };
        self.unknown_keys(rel, &map, &RULE_KEYS);
        let channel = self.channel_name(rel, map.get("channel"));
        let conditions = self.conditions(rel, map.get("when"), click_ids);
        Some(ChannelRule {
            channel: channel?,
            conditions: conditions?,
        })
    }

    fn channel_name(&mut self, rel: &str, value: Option<&Value>) -> Option<String> {
        let at = format!("{rel}.channel");
        let name = match value {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(_) => {
                self.error_at_value(&at, format!("'{}' must be text", super::path(&at)));
                return None;
            }
            None => {
                self.error_at_key(rel, format!("rule '{}' has no 'channel'", super::path(rel)))
                    .help = Some("name the channel the rule assigns: 'channel: newsletter'".into());
                return None;
            }
        };
        if name.is_empty() || name.len() > MAX_CHANNEL_LEN || name.chars().any(char::is_control) {
            let shown = name.escape_default();
            self.error_at_value(&at, format!("'{shown}' is not a usable channel name"))
                .help = Some(format!(
                "use 1 to {MAX_CHANNEL_LEN} characters without line breaks or control characters"
            ));
            return None;
        }
        Some(name)
    }

    fn conditions(
        &mut self,
        rel: &str,
        value: Option<&Value>,
        click_ids: &[String],
    ) -> Option<Vec<Condition>> {
        let at = format!("{rel}.when");
        let map = match value {
            Some(Value::Mapping(map)) if !map.is_empty() => map,
            Some(Value::Mapping(_)) | None => {
                self.error_at_key(
                    if value.is_some() { &at } else { rel },
                    format!("rule '{}' has no conditions", super::path(rel)),
                )
                .help = Some(
                    "an empty rule would match every touchpoint; add a condition under 'when:' \
                     on source, medium, campaign, referrer_host or click_id"
                        .into(),
                );
                return None;
            }
            Some(_) => {
                self.error_at_value(&at, format!("'{}' must be a mapping", super::path(&at)));
                return None;
            }
        };
        self.unknown_keys(&at, map, &CONDITION_KEYS);
        let mut conditions = Vec::new();
        let mut ok = true;
        for (key, value) in map {
            let Some(key) = key.as_str() else { continue };
            let cond_at = format!("{at}.{key}");
            let condition = match key {
                "referrer_host" => self.referrer_condition(&cond_at, value),
                "click_id" => self.click_id_condition(&cond_at, value, click_ids),
                _ => match RuleField::ALL.into_iter().find(|f| f.key() == key) {
                    Some(field) => self.field_condition(&cond_at, field, value),
                    None => continue,
                },
            };
            match condition {
                Some(c) => conditions.push(c),
                None => ok = false,
            }
        }
        ok.then_some(conditions)
    }

    fn unknown_keys(&mut self, rel: &str, map: &Mapping, known: &[&str]) {
        for key in map.keys() {
            let Some(name) = key.as_str() else {
                self.error_at_value(
                    rel,
                    format!("'{}' has a key that is not text", super::path(rel)),
                );
                continue;
            };
            if known.contains(&name) {
                continue;
            }
            let at = format!("{rel}.{name}");
            self.error_at_key(
                &at,
                format!("unknown key '{name}' in '{}'", super::path(rel)),
            )
            .help = Some(match did_you_mean(name, known.iter().copied()) {
                Some(best) => format!("did you mean '{best}'?"),
                None => format!("keys here are: {}", known.join(", ")),
            });
        }
    }

    /// `{in: [...]}` or `{matches: "regex"}` on source, medium or campaign.
    fn field_condition(&mut self, at: &str, field: RuleField, value: &Value) -> Option<Condition> {
        let (op, operand) = self.operator(at, value, &["in", "matches"])?;
        let op_at = format!("{at}.{op}");
        if op == "in" {
            let values = self.text_list(&op_at, operand)?;
            let values = values.into_iter().map(|v| v.to_lowercase()).collect();
            return Some(Condition::In { field, values });
        }
        let Value::String(pattern) = operand else {
            self.error_at_value(
                &op_at,
                format!("'{}' must be a regular expression", super::path(&op_at)),
            );
            return None;
        };
        if let Err(e) = regex::Regex::new(pattern) {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or_default().trim().to_string();
            self.error_at_value(
                &op_at,
                format!("invalid regular expression '{pattern}': {last}"),
            )
            .help = Some("write an RE2-style pattern such as '^spring-'".into());
            return None;
        }
        Some(Condition::Matches {
            field,
            pattern: pattern.clone(),
        })
    }

    /// `{in: [domain, ...]}`: each domain also covers its subdomains.
    fn referrer_condition(&mut self, at: &str, value: &Value) -> Option<Condition> {
        let (op, operand) = self.operator(at, value, &["in"])?;
        let op_at = format!("{at}.{op}");
        let mut domains = Vec::new();
        for (i, domain) in self.text_list(&op_at, operand)?.into_iter().enumerate() {
            let domain = domain.trim().to_ascii_lowercase();
            if !is_domain(&domain) {
                self.error_at_value(
                    &format!("{op_at}[{i}]"),
                    format!("'{domain}' is not a domain"),
                )
                .help = Some("write a bare domain such as 'partner.example'".into());
                return None;
            }
            domains.push(domain);
        }
        Some(Condition::ReferrerHost { domains })
    }

    /// `any`, or `{in: [click id, ...]}` naming configured click ids.
    fn click_id_condition(
        &mut self,
        at: &str,
        value: &Value,
        click_ids: &[String],
    ) -> Option<Condition> {
        if value.as_str() == Some("any") {
            return Some(Condition::AnyClickId);
        }
        let (op, operand) = self.operator(at, value, &["in"])?;
        let op_at = format!("{at}.{op}");
        let names = self.text_list(&op_at, operand)?;
        for (i, name) in names.iter().enumerate() {
            if click_ids.contains(name) {
                continue;
            }
            self.error_at_value(
                &format!("{op_at}[{i}]"),
                format!("'{name}' is not one of attribution.click_ids"),
            )
            .help = Some(
                match did_you_mean(name, click_ids.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean '{best}'?"),
                    None => "add it to attribution.click_ids first".into(),
                },
            );
            return None;
        }
        Some(Condition::ClickId { names })
    }

    /// The single `operator: operand` pair of a condition.
    fn operator<'v>(
        &mut self,
        at: &str,
        value: &'v Value,
        allowed: &[&str],
    ) -> Option<(String, &'v Value)> {
        let single = match value {
            Value::Mapping(map) if map.len() == 1 => map.iter().next(),
            _ => None,
        };
        let Some((Value::String(op), operand)) = single else {
            let ops = allowed.join("' or '");
            self.error_at_value(at, format!("'{}' must be one of '{ops}'", super::path(at)))
                .help = Some(format!("for example '{{{}: [...]}}'", allowed[0]));
            return None;
        };
        if !allowed.contains(&op.as_str()) {
            let op_at = format!("{at}.{op}");
            self.error_at_key(
                &op_at,
                format!("unknown test '{op}' in '{}'", super::path(at)),
            )
            .help = Some(match did_you_mean(op, allowed.iter().copied()) {
                Some(best) => format!("did you mean '{best}'?"),
                None => format!("use '{}'", allowed.join("' or '")),
            });
            return None;
        }
        Some((op.clone(), operand))
    }

    /// A non-empty list of text values.
    fn text_list(&mut self, at: &str, value: &Value) -> Option<Vec<String>> {
        let items = match value {
            Value::Sequence(items) if !items.is_empty() => items,
            _ => {
                self.error_at_value(
                    at,
                    format!("'{}' must be a non-empty list", super::path(at)),
                );
                return None;
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.clone()),
                Value::Number(n) => out.push(n.to_string()),
                _ => {
                    self.error_at_value(&format!("{at}[{i}]"), "list items must be text".into());
                    return None;
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{ChannelRule, Condition, RuleField};
    use crate::{Diagnostic, Error};

    fn load(rules: &str) -> Result<Vec<ChannelRule>, Vec<Diagnostic>> {
        let text = format!(
            "vars:\n  nexus:\n    segment:\n      attribution:\n        channel_rules:\n{rules}"
        );
        match crate::load_text("p.yml", &text) {
            Ok(loaded) => Ok(loaded.config.attribution.channel_rules),
            Err(Error::Invalid(d)) => Err(d),
            Err(e) => panic!("{e}"),
        }
    }

    /// (message, key path, line) of each diagnostic.
    fn errors(rules: &str) -> Vec<(String, String, usize)> {
        let diagnostics = load(rules).expect_err("the rules are invalid");
        diagnostics
            .into_iter()
            .map(|d| {
                let line = d.location.as_ref().map_or(0, |l| l.line);
                (d.message, d.key_path.unwrap_or_default(), line)
            })
            .collect()
    }

    #[test]
    fn rules_keep_their_order_and_lower_case_values() {
        let rules = load(
            "          - channel: ' News '\n            when: {medium: {in: [EMAIL]}}\n\
             \x20         - channel: ads\n            \
             when: {click_id: any, campaign: {matches: '^A'}}\n",
        )
        .unwrap();
        assert_eq!(rules[0].channel, "News");
        assert_eq!(
            rules[0].conditions,
            vec![Condition::In {
                field: RuleField::Medium,
                values: vec!["email".into()]
            }]
        );
        assert_eq!(
            rules[1].conditions,
            vec![
                Condition::AnyClickId,
                Condition::Matches {
                    field: RuleField::Campaign,
                    pattern: "^A".into()
                }
            ]
        );
    }

    #[test]
    fn an_invalid_regex_is_an_error_at_its_value() {
        let got =
            errors("          - channel: x\n            when: {campaign: {matches: '(spring'}}\n");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].0.starts_with("invalid regular expression '(spring'"),
            "{got:?}"
        );
        assert_eq!(
            got[0].1,
            "vars.nexus.segment.attribution.channel_rules[0].when.campaign.matches"
        );
        assert_eq!(got[0].2, 7);
    }

    #[test]
    fn an_empty_or_channelless_rule_is_an_error() {
        let got = errors(
            "          - channel: x\n            when: {}\n          - when: {medium: {in: [a]}}\n",
        );
        let messages: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(messages.len(), 2, "{got:?}");
        assert!(
            messages[0].contains("channel_rules[0]' has no conditions"),
            "{got:?}"
        );
        assert!(
            messages[1].contains("channel_rules[1]' has no 'channel'"),
            "{got:?}"
        );
    }

    #[test]
    fn misspelt_keys_and_tests_get_suggestions() {
        let diagnostics = load(
            "          - channel: x\n            when: {medum: {in: [a]}, source: {inn: [b]}}\n",
        )
        .expect_err("invalid");
        let text: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].contains("unknown key 'medum'") && text[0].contains("'medium'"),
            "{text:?}"
        );
        assert!(
            text[1].contains("unknown test 'inn'") && text[1].contains("'in'"),
            "{text:?}"
        );
    }

    #[test]
    fn click_ids_must_be_configured_and_hosts_must_be_domains() {
        let got = errors(
            "          - channel: x\n            when: {click_id: {in: [glcid]}}\n\
             \x20         - channel: y\n            when: {referrer_host: {in: ['%partner%']}}\n",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "'glcid' is not one of attribution.click_ids");
        assert_eq!(got[1].0, "'%partner%' is not a domain");
    }
}

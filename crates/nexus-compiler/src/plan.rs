//! Decides what gets built from a checked config and a catalog: which models, their declared
//! columns, dependencies and data tests, and the facts each template needs (which source
//! columns exist, which columns feed identifiers and traits). Produces no SQL.

use serde::Serialize;

use nexus_config::{
    CallType, Capabilities, Catalog, ColumnMapping, Config, Diagnostic, Materialization, Source,
    TraitSelection, REQUIRED_COLUMNS, SOURCE_COLUMN,
};

use crate::data_tests::{tests_for, DataTest};
use crate::dialect::Dialect;

pub const EVENTS: &str = "segment_events";
pub const REJECTED_ROWS: &str = "segment_rejected_rows";
pub const PERSON_IDENTIFIERS: &str = "segment_person_identifiers";
pub const PERSON_TRAITS: &str = "segment_person_traits";
pub const TOUCHPOINTS: &str = "segment_touchpoints";
pub const GROUP_IDENTIFIERS: &str = "segment_group_identifiers";
pub const GROUP_TRAITS: &str = "segment_group_traits";
pub const MEMBERSHIPS: &str = "segment_memberships";
pub const EVENT_PROPERTIES: &str = "segment_event_properties";

/// Source columns the staging template reads from every call table.
const COMMON_SOURCE_COLUMNS: [&str; 19] = [
    "id",
    "timestamp",
    "received_at",
    "uuid_ts",
    "anonymous_id",
    "user_id",
    "context_page_url",
    "context_page_path",
    "context_page_title",
    "context_page_referrer",
    "context_page_search",
    "context_user_agent",
    "context_ip",
    "context_campaign_source",
    "context_campaign_medium",
    "context_campaign_name",
    "context_campaign_content",
    "context_campaign_term",
    "context_traits_email",
];

/// Columns of every staging model before the per-table extra columns.
const STAGING_COLUMNS: [&str; 22] = [
    "event_id",
    "segment_id",
    "call_type",
    "occurred_at",
    "received_at",
    "reject_reason",
    "event_name",
    "event_description",
    "anonymous_id",
    "user_id",
    "page_url",
    "page_path",
    "page_title",
    "page_referrer",
    "page_search",
    "user_agent",
    "ip",
    "campaign_source",
    "campaign_medium",
    "campaign_name",
    "campaign_content",
    "campaign_term",
];

/// Columns whose values are never traits when a table's traits are `all` (SPEC §5.3).
const RESERVED_TRAIT_COLUMNS: [&str; 13] = [
    "id",
    "anonymous_id",
    "user_id",
    "group_id",
    "timestamp",
    "original_timestamp",
    "sent_at",
    "received_at",
    "uuid_ts",
    "loaded_at",
    "uuid",
    "event",
    "event_text",
];

/// Prefix of staging columns that carry a raw source column through, as text.
pub const EXTRA_PREFIX: &str = "raw__";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "call", rename_all = "snake_case")]
pub enum ModelKind {
    Staging(CallType),
    Events,
    RejectedRows,
    PersonIdentifiers,
    PersonTraits,
    Touchpoints,
    GroupIdentifiers,
    GroupTraits,
    Memberships,
    EventProperties,
}

impl ModelKind {
    pub fn template(self) -> &'static str {
        match self {
            ModelKind::Staging(_) => "models/staging.sql",
            ModelKind::Events => "models/segment_events.sql",
            ModelKind::RejectedRows => "models/segment_rejected_rows.sql",
            ModelKind::PersonIdentifiers => "models/segment_person_identifiers.sql",
            ModelKind::PersonTraits => "models/segment_person_traits.sql",
            ModelKind::Touchpoints => "models/segment_touchpoints.sql",
            ModelKind::GroupIdentifiers => "models/segment_group_identifiers.sql",
            ModelKind::GroupTraits => "models/segment_group_traits.sql",
            ModelKind::Memberships => "models/segment_memberships.sql",
            ModelKind::EventProperties => "models/segment_event_properties.sql",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub tests: Vec<DataTest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelPlan {
    pub name: String,
    pub kind: ModelKind,
    pub columns: Vec<Column>,
    pub depends_on: Vec<String>,
    pub sources: Vec<CallType>,
}

impl ModelPlan {
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }
}

/// What a staging template needs about its call table.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub call: CallType,
    pub call_name: &'static str,
    pub model: String,
    pub event_type: &'static str,
    /// The call table of every Segment source, in configured order; staging's first step is
    /// their `union all`.
    pub inputs: Vec<StageInput>,
    /// Names of the extra columns (without prefix).
    pub extras: Vec<String>,
}

/// One source's call table as staging reads it.
#[derive(Debug, Clone, Serialize)]
pub struct StageInput {
    /// The `source()` key of the table.
    pub key: String,
    /// The source's name, written into `segment_source`; `None` for `location` as a mapping.
    pub name: Option<String>,
    /// Every source column read, standard ones as `src_<name>`, extras as `raw__<name>`: the
    /// same aliases and kinds in every input, each read from this table or a typed NULL.
    pub reads: Vec<SourceRead>,
}

/// One `select` of an identifier or trait model: an output value (identifier type or trait name)
/// read from staging columns of one model, first non-NULL column wins.
#[derive(Debug, Clone, Serialize)]
pub struct MappedSelect {
    pub model: String,
    pub name: String,
    pub columns: Vec<String>,
    pub email: bool,
}

/// How a staging model reads one source column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadKind {
    /// Cleaned text (SPEC §4 clean()).
    Text,
    Timestamp,
    /// As loaded, cast to text; cleaned where it is used.
    Raw,
}

/// One column of a staging model's first step: alias, the quoted source column (or `None`
/// for a typed NULL), and how to read it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRead {
    pub alias: String,
    pub quoted: Option<String>,
    pub kind: ReadKind,
}

/// Everything planned for one compile.
#[derive(Debug, Clone)]
pub struct Plan {
    pub models: Vec<ModelPlan>,
    pub stages: Vec<Stage>,
    pub identifiers: Vec<MappedSelect>,
    pub traits: Vec<MappedSelect>,
    /// Group traits: every non-reserved column of the groups table (SPEC §5.5).
    pub group_traits: Vec<MappedSelect>,
    pub touchpoint_stages: Vec<String>,
    pub event_tables: Vec<EventTable>,
}

/// One per-event table (`event_tables` of a source): how to read its message id and delivery
/// times, and its property columns.
#[derive(Debug, Clone, Serialize)]
pub struct EventTable {
    /// The `source()` key of the table.
    pub key: String,
    /// The Segment source's name in list form, whose tracks the properties join.
    pub source: Option<String>,
    pub table: String,
    /// `src_id`, `src_received_at`, `src_uuid_ts`, then one `raw__<column>` per property.
    pub reads: Vec<SourceRead>,
    /// (property name, read alias) per property column, in catalog order.
    pub properties: Vec<(String, String)>,
}

/// The `source()` key of a source's call table: the call type key, prefixed with the source's
/// name in list form (`web.tracks`).
pub fn call_table_key(source: &Source, call: CallType) -> String {
    match &source.name {
        Some(name) => format!("{name}.{call}"),
        None => call.key().to_string(),
    }
}

/// The `source()` key of a per-event table (`event:ORDER_COMPLETED`, `event:web.ORDER_COMPLETED`).
pub fn event_table_key(source: &Source, table: &str) -> String {
    match &source.name {
        Some(name) => format!("event:{name}.{table}"),
        None => format!("event:{table}"),
    }
}

pub fn staging_name(call: CallType) -> String {
    format!("stg_segment_{}", call.key())
}

/// Plans every model the config enables, or explains why it cannot.
pub fn plan(config: &Config, catalog: &Catalog, dialect: Dialect) -> Result<Plan, Vec<Diagnostic>> {
    // Resolution has refused a configuration that switches every model off.
    let caps = config.capabilities;
    let staged = config.read_calls();
    let identifier_mappings = identifier_columns(config, &staged);
    let trait_mappings = trait_columns(config, catalog, &staged);
    let group_trait_mappings = group_trait_columns(config, catalog, &staged);
    let identifiers = identifier_selects(&identifier_mappings);
    let traits = trait_selects(&trait_mappings);
    let group_traits = trait_selects(&group_trait_mappings);
    let mapped: Vec<&(CallType, Vec<ColumnMapping>)> = identifier_mappings
        .iter()
        .chain(&trait_mappings)
        .chain(&group_trait_mappings)
        .collect();
    let stages = stages(config, catalog, dialect, &staged, &mapped)?;
    let touchpoint_stages = config
        .attribution
        .touchpoint_calls
        .iter()
        .copied()
        .filter(|c| staged.contains(c));
    let touchpoint_stages: Vec<String> = touchpoint_stages.map(staging_name).collect();
    let selects = Selects {
        identifiers: &identifiers,
        traits: &traits,
        group_traits: &group_traits,
    };
    let event_tables = event_tables(config, catalog, dialect)?;
    let with_properties = !event_tables.is_empty();
    let models = models(
        config,
        caps,
        &stages,
        &selects,
        &touchpoint_stages,
        with_properties,
    );
    Ok(Plan {
        models,
        stages,
        identifiers,
        traits,
        group_traits,
        touchpoint_stages,
        event_tables,
    })
}

/// Identifier mappings of the call tables the configuration reads.
fn identifier_columns(config: &Config, staged: &[CallType]) -> Vec<(CallType, Vec<ColumnMapping>)> {
    config
        .identifiers
        .iter()
        .filter(|(c, _)| staged.contains(c))
        .cloned()
        .collect()
}

/// Every non-reserved column of a call table in the catalog, as a trait of the same name: the
/// union over the sources, in source and then catalog order.
fn all_trait_columns(config: &Config, catalog: &Catalog, call: CallType) -> Vec<ColumnMapping> {
    let mut names: Vec<String> = Vec::new();
    for i in 0..config.sources.len() {
        let columns = catalog.columns(i, call).unwrap_or_default();
        for column in columns.iter().map(|c| c.to_ascii_lowercase()) {
            if is_trait_column(&column) && !names.contains(&column) {
                names.push(column);
            }
        }
    }
    let mappings = names.into_iter().map(|c| ColumnMapping {
        column: c.clone(),
        name: c,
    });
    mappings.collect()
}

/// Trait mappings with `all` expanded from the catalog.
fn trait_columns(
    config: &Config,
    catalog: &Catalog,
    staged: &[CallType],
) -> Vec<(CallType, Vec<ColumnMapping>)> {
    config
        .traits
        .iter()
        .filter(|(c, _)| staged.contains(c))
        .map(|(call, selection)| match selection {
            TraitSelection::Columns(m) => (*call, m.clone()),
            TraitSelection::All => (*call, all_trait_columns(config, catalog, *call)),
        })
        .collect()
}

/// Group traits: every non-reserved column of the groups table, when it is read.
fn group_trait_columns(
    config: &Config,
    catalog: &Catalog,
    staged: &[CallType],
) -> Vec<(CallType, Vec<ColumnMapping>)> {
    if !staged.contains(&CallType::Groups) {
        return Vec::new();
    }
    vec![(
        CallType::Groups,
        all_trait_columns(config, catalog, CallType::Groups),
    )]
}

fn is_trait_column(column: &str) -> bool {
    !RESERVED_TRAIT_COLUMNS.contains(&column)
        && !column.starts_with("context_")
        && !column.starts_with('_')
        && nexus_config::is_value_name(column)
}

/// Identifier selects: one per mapped column, since every column can hold its own identifier.
fn identifier_selects(per_call: &[(CallType, Vec<ColumnMapping>)]) -> Vec<MappedSelect> {
    let selects = per_call.iter().flat_map(|(call, pairs)| {
        pairs.iter().map(|pair| MappedSelect {
            model: staging_name(*call),
            name: pair.name.clone(),
            columns: vec![format!("{EXTRA_PREFIX}{}", pair.column)],
            email: pair.name == "email",
        })
    });
    selects.collect()
}

/// Trait selects: one per trait name and call type; several columns mapped to one trait name
/// give the first non-NULL value in configured order, so each trait id stays unique.
fn trait_selects(per_call: &[(CallType, Vec<ColumnMapping>)]) -> Vec<MappedSelect> {
    let mut selects: Vec<MappedSelect> = Vec::new();
    for (call, pairs) in per_call {
        let model = staging_name(*call);
        for pair in pairs {
            let column = format!("{EXTRA_PREFIX}{}", pair.column);
            let existing = selects
                .iter_mut()
                .find(|s| s.model == model && s.name == pair.name);
            match existing {
                Some(s) if !s.columns.contains(&column) => s.columns.push(column),
                Some(_) => {}
                None => selects.push(MappedSelect {
                    model: model.clone(),
                    name: pair.name.clone(),
                    columns: vec![column],
                    email: pair.name == "email",
                }),
            }
        }
    }
    selects
}

fn own_source_columns(call: CallType) -> &'static [&'static str] {
    match call {
        CallType::Tracks => &["event", "event_text"],
        CallType::Pages => &["name", "url", "path", "title", "referrer", "search"],
        CallType::Groups => &["group_id"],
        CallType::Identifies => &[],
    }
}

fn stages(
    config: &Config,
    catalog: &Catalog,
    dialect: Dialect,
    staged: &[CallType],
    mapped: &[&(CallType, Vec<ColumnMapping>)],
) -> Result<Vec<Stage>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut stages = Vec::new();
    for &call in staged {
        let extras = extra_columns(config, mapped, call);
        match stage(config, catalog, dialect, call, extras) {
            Ok(stage) => stages.push(stage),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if diagnostics.is_empty() {
        Ok(stages)
    } else {
        Err(diagnostics)
    }
}

fn stage(
    config: &Config,
    catalog: &Catalog,
    dialect: Dialect,
    call: CallType,
    extras: Vec<String>,
) -> Result<Stage, Vec<Diagnostic>> {
    let mut inputs = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, source) in config.sources.iter().enumerate() {
        let table = CallTable {
            config,
            index: i,
            source,
            call,
        };
        match stage_input(catalog, dialect, &table, &extras) {
            Ok(input) => inputs.push(input),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Stage {
        call,
        call_name: call.call_name(),
        model: staging_name(call),
        event_type: if matches!(call, CallType::Tracks | CallType::Pages) {
            "web"
        } else {
            "identity"
        },
        inputs,
        extras,
    })
}

/// A call table of one source, with what diagnostics about it need.
struct CallTable<'a> {
    config: &'a Config,
    index: usize,
    source: &'a Source,
    call: CallType,
}

impl CallTable<'_> {
    /// The table as diagnostics name it, quoted: `'SEGMENT_LIVE.TRACKS'`, or in list form
    /// `'WEB_LIVE.TRACKS' of source 'web'`.
    fn describe(&self) -> String {
        let table = self.source.qualified(self.source.table(self.call));
        format!("'{table}'{}", self.source.of_source())
    }

    fn path(&self) -> String {
        self.config.source_path(self.index)
    }
}

/// How staging reads one source's call table, or why it cannot.
fn stage_input(
    catalog: &Catalog,
    dialect: Dialect,
    table: &CallTable<'_>,
    extras: &[String],
) -> Result<StageInput, Vec<Diagnostic>> {
    let (i, call, path) = (table.index, table.call, table.path());
    if catalog.columns(i, call).is_none() {
        return Err(vec![Diagnostic::error(format!(
            "the catalog has no table {} for {call} calls",
            table.describe()
        ))
        .with_help(format!(
            "add the table to the catalog, or point {path}.tables at the right name"
        ))]);
    }
    let missing: Vec<Diagnostic> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| catalog.find(i, call, c).is_none())
        .map(|c| {
            Diagnostic::error(format!(
                "table {} has no column '{c}', which every Segment call needs",
                table.describe()
            ))
            .with_help(format!(
                "check {path}.schema and {path}.tables, or the catalog"
            ))
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let read = |name: &str, alias: String, kind: ReadKind| SourceRead {
        alias,
        quoted: catalog
            .find(i, call, name)
            .map(|actual| dialect.quote_ident(actual)),
        kind,
    };
    let standard = COMMON_SOURCE_COLUMNS.iter().chain(own_source_columns(call));
    let mut reads: Vec<SourceRead> = standard
        .map(|c| read(c, format!("src_{c}"), read_kind(c)))
        .collect();
    reads.extend(
        extras
            .iter()
            .map(|c| read(c, format!("{EXTRA_PREFIX}{c}"), ReadKind::Raw)),
    );
    Ok(StageInput {
        key: call_table_key(table.source, call),
        name: table.source.name.clone(),
        reads,
    })
}

fn read_kind(column: &str) -> ReadKind {
    match column {
        "timestamp" | "received_at" | "uuid_ts" => ReadKind::Timestamp,
        _ => ReadKind::Text,
    }
}

/// Raw columns a staging model carries for identifiers, traits and passthrough, in first-use
/// order so output is stable.
fn extra_columns(
    config: &Config,
    mapped: &[&(CallType, Vec<ColumnMapping>)],
    call: CallType,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mapped = mapped.iter().filter(|(c, _)| *c == call);
    let columns = mapped.flat_map(|(_, m)| m.iter().map(|m| m.column.clone()));
    for column in columns.chain(config.events.passthrough_columns.iter().cloned()) {
        if !out.contains(&column) {
            out.push(column);
        }
    }
    out
}

/// The identifier and trait selects the person and group models read.
struct Selects<'a> {
    identifiers: &'a [MappedSelect],
    traits: &'a [MappedSelect],
    group_traits: &'a [MappedSelect],
}

const PERSON_IDENTIFIER_COLUMNS: [&str; 7] = [
    "person_identifier_id",
    "event_id",
    "edge_id",
    "identifier_type",
    "identifier_value",
    "occurred_at",
    "source",
];
const PERSON_TRAIT_COLUMNS: [&str; 8] = [
    "person_trait_id",
    "event_id",
    "identifier_type",
    "identifier_value",
    "trait_name",
    "trait_value",
    "occurred_at",
    "source",
];
const GROUP_IDENTIFIER_COLUMNS: [&str; 6] = [
    "group_identifier_id",
    "event_id",
    "identifier_type",
    "identifier_value",
    "occurred_at",
    "source",
];
const GROUP_TRAIT_COLUMNS: [&str; 8] = [
    "group_trait_id",
    "event_id",
    "identifier_type",
    "identifier_value",
    "trait_name",
    "trait_value",
    "occurred_at",
    "source",
];
const MEMBERSHIP_COLUMNS: [&str; 8] = [
    "membership_id",
    "event_id",
    "person_identifier_type",
    "person_identifier_value",
    "group_identifier_type",
    "group_identifier_value",
    "occurred_at",
    "source",
];

fn models(
    config: &Config,
    caps: Capabilities,
    stages: &[Stage],
    selects: &Selects<'_>,
    touchpoint_stages: &[String],
    with_properties: bool,
) -> Vec<ModelPlan> {
    let all_stages: Vec<String> = stages.iter().map(|s| s.model.clone()).collect();
    let incremental = config.materialization == Materialization::Incremental;
    let mut models: Vec<ModelPlan> = stages
        .iter()
        .map(|s| staging_model(s, incremental))
        .collect();
    let named = config.names_sources();
    let mut add = |name: &str, kind: ModelKind, depends_on: Vec<String>, columns: Vec<String>| {
        let traits = match kind {
            ModelKind::GroupTraits => selects.group_traits,
            _ => selects.traits,
        };
        let columns = with_source_column(kind, columns, named);
        let columns = columns
            .into_iter()
            .map(|c| Column {
                tests: tests_for(config, kind, &c, traits),
                name: c,
            })
            .collect();
        models.push(ModelPlan {
            name: name.into(),
            kind,
            columns,
            depends_on,
            sources: vec![],
        });
    };
    if caps.events {
        let mut columns = strings(&nexus_config::EVENT_COLUMNS);
        columns.extend(config.events.passthrough_columns.iter().cloned());
        add(EVENTS, ModelKind::Events, all_stages.clone(), columns);
    }
    add(
        REJECTED_ROWS,
        ModelKind::RejectedRows,
        all_stages,
        strings(&["call_type", "segment_id", "reason", "received_at"]),
    );
    if caps.persons {
        let (identifiers, traits) = (models_of(selects.identifiers), models_of(selects.traits));
        add(
            PERSON_IDENTIFIERS,
            ModelKind::PersonIdentifiers,
            identifiers,
            strings(&PERSON_IDENTIFIER_COLUMNS),
        );
        add(
            PERSON_TRAITS,
            ModelKind::PersonTraits,
            traits,
            strings(&PERSON_TRAIT_COLUMNS),
        );
    }
    if caps.attribution {
        add(
            TOUCHPOINTS,
            ModelKind::Touchpoints,
            touchpoint_stages.to_vec(),
            touchpoint_columns(config),
        );
    }
    let groups = || vec![staging_name(CallType::Groups)];
    if caps.groups {
        let columns = strings(&GROUP_IDENTIFIER_COLUMNS);
        add(
            GROUP_IDENTIFIERS,
            ModelKind::GroupIdentifiers,
            groups(),
            columns,
        );
        let columns = strings(&GROUP_TRAIT_COLUMNS);
        add(GROUP_TRAITS, ModelKind::GroupTraits, groups(), columns);
    }
    if caps.memberships {
        let columns = strings(&MEMBERSHIP_COLUMNS);
        add(MEMBERSHIPS, ModelKind::Memberships, groups(), columns);
    }
    if with_properties {
        let columns = strings(&EVENT_PROPERTY_COLUMNS);
        let tracks = vec![staging_name(CallType::Tracks)];
        add(
            EVENT_PROPERTIES,
            ModelKind::EventProperties,
            tracks,
            columns,
        );
    }
    models
}

/// In list form every model names the row's source: right after `source` in segment_events, as
/// the last column elsewhere (also right after `source`, but in touchpoints, whose `source` is
/// the UTM source, and rejected rows, which have none).
fn with_source_column(kind: ModelKind, mut columns: Vec<String>, named: bool) -> Vec<String> {
    if !named {
        return columns;
    }
    let at = match kind {
        ModelKind::Events => columns.iter().position(|c| c == "source").map(|p| p + 1),
        _ => None,
    };
    columns.insert(at.unwrap_or(columns.len()), SOURCE_COLUMN.into());
    columns
}

const EVENT_PROPERTY_COLUMNS: [&str; 5] = [
    "event_id",
    "property_name",
    "property_value",
    "occurred_at",
    "source",
];

/// Every configured per-event table of every source with its properties: each column that is
/// not an id, a timestamp, a `context_*` or `_*` column, as for traits.
fn event_tables(
    config: &Config,
    catalog: &Catalog,
    dialect: Dialect,
) -> Result<Vec<EventTable>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut tables = Vec::new();
    for (i, source) in config.sources.iter().enumerate() {
        for table in &source.event_tables {
            match event_table(config, catalog, dialect, i, table) {
                Ok(table) => tables.push(table),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(tables)
    } else {
        Err(diagnostics)
    }
}

fn event_table(
    config: &Config,
    catalog: &Catalog,
    dialect: Dialect,
    index: usize,
    table: &str,
) -> Result<EventTable, Diagnostic> {
    let source = &config.sources[index];
    let Some(columns) = catalog.event_columns(index, table) else {
        let path = config.source_path(index);
        return Err(Diagnostic::error(format!(
            "the catalog has no event table '{}.{table}'{}",
            source.schema,
            source.of_source()
        ))
        .with_key_path(format!("vars.nexus.segment.{path}.event_tables"))
        .with_help(format!(
            "list its columns in --catalog (compile), load it into the database (run), \
             or remove it from {path}.event_tables"
        )));
    };
    let find = |name: &str| columns.iter().find(|c| c.eq_ignore_ascii_case(name));
    let Some(id) = find("id") else {
        return Err(Diagnostic::error(format!(
            "event table '{table}'{} has no column 'id', which joins it to its track call",
            source.of_source()
        )));
    };
    let read = |alias: &str, column: Option<&String>, kind: ReadKind| SourceRead {
        alias: alias.into(),
        quoted: column.map(|c| dialect.quote_ident(c)),
        kind,
    };
    let mut reads = vec![
        read("src_id", Some(id), ReadKind::Text),
        read("src_received_at", find("received_at"), ReadKind::Timestamp),
        read("src_uuid_ts", find("uuid_ts"), ReadKind::Timestamp),
    ];
    let mut properties = Vec::new();
    for column in columns {
        let name = column.to_ascii_lowercase();
        if !is_trait_column(&name) {
            continue;
        }
        let alias = format!("{EXTRA_PREFIX}{name}");
        reads.push(read(&alias, Some(column), ReadKind::Raw));
        properties.push((name, alias));
    }
    Ok(EventTable {
        key: event_table_key(source, table),
        source: source.name.clone(),
        table: table.to_string(),
        reads,
        properties,
    })
}

/// Columns staging carries for incremental runs (see templates/models/staging.sql).
pub(crate) const INCREMENTAL_STAGING_COLUMNS: [&str; 4] = [
    "window_start",
    "replaced_event_id",
    "replaced_anonymous_id",
    "nexus_row_key",
];

fn staging_model(stage: &Stage, incremental: bool) -> ModelPlan {
    let mut columns = strings(&STAGING_COLUMNS);
    // Next to the message id it qualifies: dedup and the event id take them together.
    if stage.inputs.iter().any(|input| input.name.is_some()) {
        let at = columns
            .iter()
            .position(|c| c == "segment_id")
            .map_or(0, |p| p + 1);
        columns.insert(at, SOURCE_COLUMN.into());
    }
    if stage.call == CallType::Groups {
        columns.push("group_id".into());
    }
    columns.extend(stage.extras.iter().map(|e| format!("{EXTRA_PREFIX}{e}")));
    if incremental {
        columns.extend(strings(&INCREMENTAL_STAGING_COLUMNS));
    }
    ModelPlan {
        name: stage.model.clone(),
        kind: ModelKind::Staging(stage.call),
        columns: columns
            .into_iter()
            .map(|name| Column {
                name,
                tests: vec![],
            })
            .collect(),
        depends_on: vec![],
        sources: vec![stage.call],
    }
}

fn touchpoint_columns(config: &Config) -> Vec<String> {
    let mut columns = strings(&nexus_config::TOUCHPOINT_COLUMNS);
    columns.extend(config.attribution.click_ids.iter().cloned());
    columns.push(nexus_config::TOUCHPOINT_KEY_COLUMN.into());
    columns
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The staging models a list of selects reads, each once, in first-use order.
fn models_of(selects: &[MappedSelect]) -> Vec<String> {
    let mut models: Vec<String> = Vec::new();
    for s in selects {
        if !models.contains(&s.model) {
            models.push(s.model.clone());
        }
    }
    models
}

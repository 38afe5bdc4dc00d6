//! Deterministic synthetic Segment source data for demos and benchmarks: visitors with sessions,
//! acquisition signals, identities and groups, plus the dirty rows real warehouses hold. Owns the
//! `SEGMENT_LIVE` tracks, pages, identifies and groups tables and the `ORDER_COMPLETED` event
//! table, which it recreates and fills.

use duckdb::types::{TimeUnit, ToSqlOutput, Value};
use duckdb::{params, Appender, Connection, ToSql};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use nexus_config::DEFAULT_CLICK_IDS;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub events: u64,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            events: 100_000,
            seed: 42,
        }
    }
}

/// What was generated, per table: rows written (including duplicates and junk rows).
#[derive(Debug, Clone, Default)]
pub struct DemoData {
    pub tracks: u64,
    pub pages: u64,
    pub identifies: u64,
    pub groups: u64,
}

pub const DEMO_SCHEMA: &str = "SEGMENT_LIVE";
pub const SITE_HOST: &str = "www.acme-shop.example"; // the demo site's own host
/// Domains the demo config lists in attribution.referral_exclusions.
pub const EXCLUDED_DOMAINS: [&str; 2] = ["checkout.stripe.com", "paypal.com"];

const SECOND: i64 = 1_000_000;
const HOUR: i64 = 3_600 * SECOND;
const DAY: i64 = 24 * HOUR;
/// 2026-11-01T00:00:00Z: the data covers the 30 days ending with 2026-11-30.
const WINDOW_START: i64 = 1_793_491_200 * SECOND;
const WINDOW_END: i64 = WINDOW_START + 30 * DAY;
/// 1899-12-31T00:00:00Z: a broken client clock, before the 1900-01-02 validity floor.
const BROKEN_CLOCK: i64 = -2_209_075_200 * SECOND;

/// `$schema` stands for [`DEMO_SCHEMA`]. Each table lacks some optional column on purpose:
/// Segment only creates a column once it has received a value for it.
const DDL: &str = r#"
create schema if not exists "$schema";
create or replace table "$schema"."TRACKS" (
    id varchar, anonymous_id varchar, user_id varchar, "timestamp" timestamp,
    original_timestamp timestamp, sent_at timestamp, received_at timestamp, uuid_ts timestamp,
    event varchar, event_text varchar, context_page_url varchar, context_page_path varchar,
    context_page_title varchar, context_page_referrer varchar, context_page_search varchar,
    context_campaign_source varchar, context_campaign_medium varchar,
    context_campaign_name varchar, context_campaign_content varchar,
    context_traits_email varchar, context_ip varchar, context_user_agent varchar
);
create or replace table "$schema"."PAGES" (
    id varchar, anonymous_id varchar, user_id varchar, "timestamp" timestamp,
    original_timestamp timestamp, sent_at timestamp, received_at timestamp, uuid_ts timestamp,
    name varchar, url varchar, path varchar, title varchar, referrer varchar, search varchar,
    context_page_url varchar, context_page_path varchar, context_page_title varchar,
    context_page_referrer varchar, context_page_search varchar,
    context_campaign_source varchar, context_campaign_medium varchar,
    context_campaign_name varchar, context_campaign_content varchar,
    context_campaign_term varchar, context_ip varchar, context_user_agent varchar
);
create or replace table "$schema"."IDENTIFIES" (
    id varchar, anonymous_id varchar, user_id varchar, "timestamp" varchar, received_at varchar,
    email varchar, first_name varchar, last_name varchar, plan varchar, company varchar,
    context_traits_email varchar, context_ip varchar, context_user_agent varchar
);
create or replace table "$schema"."GROUPS" (
    id varchar, anonymous_id varchar, user_id varchar, group_id varchar, "timestamp" timestamp,
    received_at timestamp, uuid_ts timestamp, name varchar, industry varchar, employees integer,
    plan varchar
);
"#;

/// Segment's per-event table for Order Completed: a row per delivery of the track call (so
/// duplicates too), with the order's properties as columns. Derived from the generated tracks so
/// that every order has its properties; values follow from the message id, so they are
/// deterministic.
const EVENT_TABLES: &str = r#"
create or replace table "$schema"."ORDER_COMPLETED" as
select
    id, anonymous_id, user_id, "timestamp", received_at, event,
    round(19 + (hash(coalesce(id, '')) % 20000) / 100.0, 2) as revenue,
    'usd' as currency,
    case when hash(coalesce(id, '')) % 5 = 0 then 'WELCOME10' end as coupon
from "$schema"."TRACKS"
where lower(event) = 'order_completed';
"#;

struct SitePage {
    path: &'static str,
    /// The Segment page name; empty when the site does not name the page.
    name: &'static str,
    /// The document title, before the site's ` | Acme Shop` suffix.
    title: &'static str,
}

const fn page(path: &'static str, name: &'static str, title: &'static str) -> SitePage {
    SitePage { path, name, title }
}

const BROWSED: [SitePage; 9] = [
    page("/", "Home", "Everyday gear"),
    page("/pricing", "Pricing", "Pricing"),
    page("/products", "Catalog", "All products"),
    page("/products/trail-runner", "Product", "Trail Runner"),
    page("/products/city-backpack", "Product", "City Backpack"),
    page("/products/merino-socks", "Product", "Merino Socks"),
    page("/blog/packing-light", "Blog Post", "Packing light"),
    page("/blog/winter-layering", "", "Winter layering"),
    page("/about", "About", "About us"),
];
const CART: SitePage = page("/cart", "Cart", "Your cart");
const CHECKOUT: SitePage = page("/checkout", "Checkout", "Checkout");

/// Where a session came from, before any classifier has looked at it.
#[derive(Debug, Clone, Copy)]
enum Acquisition {
    Direct,
    Organic,
    Social,
    Webmail,
    Assistant,
    Shopping,
    Referral,
    Excluded,
    Campaign,
    ClickId,
}

/// Landing signals per 50 sessions.
const ACQUISITIONS: [(Acquisition, usize); 10] = [
    (Acquisition::Direct, 10),
    (Acquisition::Organic, 10),
    (Acquisition::Social, 5),
    (Acquisition::Webmail, 2),
    (Acquisition::Assistant, 2),
    (Acquisition::Shopping, 1),
    (Acquisition::Referral, 4),
    (Acquisition::Excluded, 2),
    (Acquisition::Campaign, 9),
    (Acquisition::ClickId, 5),
];

const ORGANIC: [&str; 5] = [
    "https://www.google.com/search?q=acme+trail+runner",
    "https://www.bing.com/",
    "https://duckduckgo.com/",
    "https://search.yahoo.com/",
    "https://www.google.co.uk/",
];
const SOCIAL: [&str; 7] = [
    "https://l.facebook.com/",
    "https://t.co/x",
    "https://www.linkedin.com/feed/",
    "https://www.instagram.com/",
    "https://www.reddit.com/r/BuyItForLife/",
    "android-app://com.google.android.youtube/",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
];
const WEBMAIL: [&str; 3] = [
    "https://mail.google.com/mail/u/0/",
    "https://outlook.live.com/",
    "android-app://com.google.android.gm/",
];
const ASSISTANTS: [&str; 4] = [
    "https://chatgpt.com/",
    "https://www.perplexity.ai/",
    "https://claude.ai/",
    "https://gemini.google.com/",
];
const SHOPPING: [&str; 2] = [
    "https://www.amazon.com/dp/B0C7K9ACME",
    "https://www.amazon.com/",
];
const REFERRALS: [&str; 3] = [
    "https://news.ycombinator.com/item?id=1",
    "http://blog.example.org:8080/post",
    "https://www.producthunt.com/",
];
/// Payment pages sending buyers back: internal referrers once the exclusions apply.
const EXCLUDED: [&str; 3] = [
    "https://checkout.stripe.com/pay/cs_live_a1B2c3D4",
    "https://www.paypal.com/checkoutnow",
    "https://m.paypal.com/",
];

/// Server-side tagged campaigns: they arrive in the `context_campaign_*` columns only.
const TAGGED_IN_COLUMNS: [&str; 4] = [
    "utm_source=Google&utm_medium=CPC&utm_campaign=black-friday&utm_term=trail shoes",
    "utm_source=Newsletter&utm_medium=email&utm_campaign=nov-promo&utm_content=hero",
    "utm_source=facebook&utm_medium=paid_social&utm_campaign=retargeting",
    "utm_source=Bing&utm_medium=CPC&utm_campaign=generic&utm_content=ad-2",
];
/// Tagged links whose parameters only reach the landing URL's query string. The last one has
/// content and term alone, which is not a UTM signal.
const TAGGED_IN_URL: [&str; 5] = [
    "utm_source=newsletter&utm_medium=email&utm_campaign=nov-promo",
    "utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=acme",
    "utm_source=Facebook&utm_medium=Paid_Social&utm_campaign=lookalike",
    "utm_source=linkedin&utm_medium=paid_social&utm_campaign=b2b-launch",
    "utm_content=footer-link&utm_term=socks",
];

/// Contains `gclid` without being it: boundary-anchored matching must skip it.
const DECOY_CLICK_ID: &str = "xgclid";

/// Track events as (event, event_text).
type TrackEvent = (&'static str, &'static str);
const PRODUCT_VIEWED: TrackEvent = ("product_viewed", "Product Viewed");
const PRODUCT_ADDED: TrackEvent = ("product_added", "Product Added");
const CHECKOUT_STARTED: TrackEvent = ("checkout_started", "Checkout Started");
const ORDER_COMPLETED: TrackEvent = ("order_completed", "Order Completed");
const SIGNED_UP: TrackEvent = ("signed_up", "Signed Up");

/// Group traits as (name, industry, employees, plan); a company's group id is `g_<position>`.
type Company = (&'static str, &'static str, i32, &'static str);
const COMPANIES: [Company; 6] = [
    ("Globex", "Manufacturing", 1_200, "enterprise"),
    ("Initech", "Software", 85, "pro"),
    ("Umbrella Outdoors", "Retail", 40, "starter"),
    ("Hooli", "Software", 5_400, "enterprise"),
    ("Vandelay Imports", "Logistics", 12, "free"),
    ("Stark Trails", "Tourism", 230, "pro"),
];

const FIRST_NAMES: [&str; 8] = [
    "Jane", "John", "Amara", "Luis", "Mei", "Olu", "Sofia", "Raj",
];
const LAST_NAMES: [&str; 8] = [
    "Doe", "Smith", "Okafor", "Garcia", "Chen", "Novak", "Rossi", "Ng",
];
const MAIL_DOMAINS: [&str; 3] = ["example.com", "mail.example", "acme-corp.example"];
const PLANS: [&str; 4] = ["free", "starter", "pro", "enterprise"];
const BAD_EMAILS: [&str; 3] = ["not-an-email", "jane@", "n/a"];
/// What broken SDK integrations send in place of an identifier.
const JUNK_IDS: [&str; 5] = ["undefined", "null", "NaN", "", "  "];
const BAD_TIMESTAMP_TEXT: [&str; 2] = ["yesterday", "2026-13-45T99:00:00Z"];
const USER_AGENTS: [&str; 5] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) \
     Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
];

/// What real loads get wrong now and then; at most one defect per call.
#[derive(Debug, Clone, Copy)]
enum Defect {
    None,
    NullId,
    TextId(&'static str),
    NullTimestamp,
    /// 1899-12-31: out of range.
    BrokenClock,
    /// 1970-01-01: odd but valid.
    EpochClock,
    JunkAnonymousId,
    JunkUserId,
}

/// Defects per 500 calls.
const DEFECTS: [(Defect, usize); 9] = [
    (Defect::None, 483),
    (Defect::NullId, 2),
    (Defect::TextId("null"), 1),
    (Defect::TextId(""), 1),
    (Defect::NullTimestamp, 2),
    (Defect::BrokenClock, 1),
    (Defect::EpochClock, 1),
    (Defect::JunkAnonymousId, 5),
    (Defect::JunkUserId, 4),
];

/// How an identify call's client got its traits wrong.
#[derive(Debug, Clone, Copy)]
enum Quirk {
    None,
    PaddedEmail,
    InvalidEmail,
    NoEmail,
    BadTimestamp,
}

/// Quirks per 25 identify calls.
const QUIRKS: [(Quirk, usize); 5] = [
    (Quirk::None, 18),
    (Quirk::PaddedEmail, 3),
    (Quirk::InvalidEmail, 2),
    (Quirk::NoEmail, 1),
    (Quirk::BadTimestamp, 1),
];

/// What a page load carries besides its path: for a landing page, the acquisition signal.
#[derive(Debug, Default)]
struct Signal {
    referrer: Option<String>,
    /// Appended to the page URL: a query string, maybe followed by a fragment.
    url_tail: String,
    /// The page's `search`: its query string as the SDK reported it.
    search: Option<String>,
    /// UTM parameters (query-string form) that arrive in the `context_campaign_*` columns.
    campaign: Option<&'static str>,
}

/// The `context_page_*` view of one page load.
#[derive(Debug, Clone, Default)]
struct PageContext {
    url: Option<String>,
    path: Option<&'static str>,
    title: Option<String>,
    referrer: Option<String>,
    search: Option<String>,
}

/// Which of a page call's two copies of the page fields Segment received.
#[derive(Debug, Clone, Copy)]
enum PageLayout {
    Both,
    OwnOnly,
    ContextOnly,
}

struct Stamps {
    timestamp: Option<i64>,
    original: i64,
    sent: i64,
    received: i64,
    uuid_ts: i64,
}

enum Kind {
    Track(TrackEvent, Option<String>),
    Page(Option<&'static str>, PageLayout),
    Identify(Traits),
    Group(usize),
}

struct Traits {
    email: Option<String>,
    first_name: Option<&'static str>,
    last_name: Option<&'static str>,
    plan: &'static str,
    company: &'static str,
    /// Unparseable client text that replaces the timestamp.
    bad_timestamp: Option<&'static str>,
}

/// One Segment call before it is flattened into its table's columns.
struct Call {
    id: Option<String>,
    anonymous_id: Option<String>,
    user_id: Option<String>,
    at: Stamps,
    page: PageContext,
    campaign: Option<&'static str>,
    traits_email: Option<String>,
    ip: String,
    user_agent: &'static str,
    kind: Kind,
}

impl Call {
    /// A `context_campaign_*` value, from the campaign's UTM parameter `key`.
    fn utm(&self, key: &str) -> Option<&'static str> {
        param(self.campaign?, key)
    }
}

#[derive(Debug, Clone, Copy)]
struct User {
    number: u64,
    first_name: &'static str,
    last_name: &'static str,
    domain: &'static str,
    company: usize,
    plan: &'static str,
}

impl User {
    fn id(&self) -> String {
        format!("u_{}", self.number)
    }

    fn email(&self) -> String {
        let local = format!("{}.{}", self.first_name, self.last_name);
        format!("{}@{}", local.to_lowercase(), self.domain)
    }
}

#[derive(Debug, Default)]
struct Visitor {
    anonymous_id: String,
    ip: String,
    user_agent: &'static str,
    /// Client clock error: `original_timestamp` minus the corrected `timestamp`.
    skew: i64,
    user: Option<User>,
    /// Whether the SDK copies the email trait into every call's context once identified.
    email_in_context: bool,
}

/// The page a visitor is on, which every track call made there refers to.
#[derive(Debug, Default)]
struct Visit {
    clock: i64,
    page: PageContext,
    campaign: Option<&'static str>,
}

pub fn generate(conn: &Connection, options: &DemoOptions) -> Result<DemoData, duckdb::Error> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(&DDL.replace("$schema", DEMO_SCHEMA))?;
    let mut generator = Generator::new(Sink::open(conn)?, options.seed);
    while generator.sink.rows() < options.events {
        generator.visitor()?;
    }
    let data = generator.sink.finish()?;
    tx.execute_batch(&EVENT_TABLES.replace("$schema", DEMO_SCHEMA))?;
    tx.commit()?;
    Ok(data)
}

/// A TIMESTAMP value, in microseconds since the Unix epoch.
struct Micros(i64);

impl ToSql for Micros {
    fn to_sql(&self) -> duckdb::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Timestamp(
            TimeUnit::Microsecond,
            self.0,
        )))
    }
}

/// Appenders for the four tables; rows stream through them so memory does not grow with the
/// number of events.
struct Sink<'c> {
    tracks: Appender<'c>,
    pages: Appender<'c>,
    identifies: Appender<'c>,
    groups: Appender<'c>,
    written: DemoData,
}

impl<'c> Sink<'c> {
    fn open(conn: &'c Connection) -> duckdb::Result<Self> {
        Ok(Self {
            tracks: conn.appender_to_db("TRACKS", DEMO_SCHEMA)?,
            pages: conn.appender_to_db("PAGES", DEMO_SCHEMA)?,
            identifies: conn.appender_to_db("IDENTIFIES", DEMO_SCHEMA)?,
            groups: conn.appender_to_db("GROUPS", DEMO_SCHEMA)?,
            written: DemoData::default(),
        })
    }

    fn rows(&self) -> u64 {
        let w = &self.written;
        w.tracks + w.pages + w.identifies + w.groups
    }

    fn append(&mut self, call: &Call) -> duckdb::Result<()> {
        match &call.kind {
            Kind::Track(event, text) => self.track(call, event.0, text),
            Kind::Page(name, layout) => self.page(call, *name, *layout),
            Kind::Identify(traits) => self.identify(call, traits),
            Kind::Group(company) => self.group(call, *company),
        }
    }

    fn finish(mut self) -> duckdb::Result<DemoData> {
        self.tracks.flush()?;
        self.pages.flush()?;
        self.identifies.flush()?;
        self.groups.flush()?;
        Ok(self.written)
    }

    fn track(&mut self, c: &Call, event: &str, text: &Option<String>) -> duckdb::Result<()> {
        let (p, at) = (&c.page, &c.at);
        self.tracks.append_row(params![
            c.id,
            c.anonymous_id,
            c.user_id,
            at.timestamp.map(Micros),
            Micros(at.original),
            Micros(at.sent),
            Micros(at.received),
            Micros(at.uuid_ts),
            event,
            text,
            p.url,
            p.path,
            p.title,
            p.referrer,
            p.search,
            c.utm("utm_source"),
            c.utm("utm_medium"),
            c.utm("utm_campaign"),
            c.utm("utm_content"),
            c.traits_email,
            c.ip,
            c.user_agent,
        ])?;
        self.written.tracks += 1;
        Ok(())
    }

    fn page(&mut self, c: &Call, name: Option<&str>, layout: PageLayout) -> duckdb::Result<()> {
        let blank = PageContext::default();
        let (own, p) = match layout {
            PageLayout::Both => (&c.page, &c.page),
            PageLayout::OwnOnly => (&c.page, &blank),
            PageLayout::ContextOnly => (&blank, &c.page),
        };
        let at = &c.at;
        self.pages.append_row(params![
            c.id,
            c.anonymous_id,
            c.user_id,
            at.timestamp.map(Micros),
            Micros(at.original),
            Micros(at.sent),
            Micros(at.received),
            Micros(at.uuid_ts),
            name,
            own.url,
            own.path,
            own.title,
            own.referrer,
            own.search,
            p.url,
            p.path,
            p.title,
            p.referrer,
            p.search,
            c.utm("utm_source"),
            c.utm("utm_medium"),
            c.utm("utm_campaign"),
            c.utm("utm_content"),
            c.utm("utm_term"),
            c.ip,
            c.user_agent,
        ])?;
        self.written.pages += 1;
        Ok(())
    }

    /// Identifies loaded from JSON keep their timestamps as text, bad client values included.
    fn identify(&mut self, c: &Call, t: &Traits) -> duckdb::Result<()> {
        let timestamp = match t.bad_timestamp {
            Some(bad) => Some(bad.to_string()),
            None => c.at.timestamp.map(iso_millis),
        };
        self.identifies.append_row(params![
            c.id,
            c.anonymous_id,
            c.user_id,
            timestamp,
            iso_millis(c.at.received),
            t.email,
            t.first_name,
            t.last_name,
            t.plan,
            t.company,
            c.traits_email,
            c.ip,
            c.user_agent,
        ])?;
        self.written.identifies += 1;
        Ok(())
    }

    fn group(&mut self, c: &Call, company: usize) -> duckdb::Result<()> {
        let (name, industry, employees, plan) = COMPANIES[company];
        let at = &c.at;
        self.groups.append_row(params![
            c.id,
            c.anonymous_id,
            c.user_id,
            format!("g_{}", company + 1),
            at.timestamp.map(Micros),
            Micros(at.received),
            Micros(at.uuid_ts),
            name,
            industry,
            employees,
            plan,
        ])?;
        self.written.groups += 1;
        Ok(())
    }
}

/// Cards dealt from shuffled decks rather than drawn independently, so that rare cases occur at
/// their stated rate even in a 2,000-event data set.
struct Deck<T: 'static> {
    hand: &'static [(T, usize)],
    cards: Vec<T>,
}

impl<T: Copy> Deck<T> {
    fn new(hand: &'static [(T, usize)]) -> Self {
        Self {
            hand,
            cards: Vec::new(),
        }
    }

    fn deal(&mut self, rng: &mut ChaCha8Rng) -> T {
        if self.cards.is_empty() {
            for &(card, count) in self.hand {
                self.cards.extend(std::iter::repeat_n(card, count));
            }
            self.cards.shuffle(rng);
        }
        self.cards.pop().unwrap_or(self.hand[0].0)
    }
}

/// Walks visitors through sessions. Every choice comes from one seeded ChaCha stream, so the same
/// seed yields the same rows on every platform.
struct Generator<'c> {
    sink: Sink<'c>,
    rng: ChaCha8Rng,
    acquisitions: Deck<Acquisition>,
    defects: Deck<Defect>,
    quirks: Deck<Quirk>,
    /// Per acquisition kind, how many sessions it has started: rotates through its variants.
    turns: [usize; ACQUISITIONS.len()],
    users: u64,
    visitor: Visitor,
    visit: Visit,
}

impl<'c> Generator<'c> {
    fn new(sink: Sink<'c>, seed: u64) -> Self {
        Self {
            sink,
            rng: ChaCha8Rng::seed_from_u64(seed),
            acquisitions: Deck::new(&ACQUISITIONS),
            defects: Deck::new(&DEFECTS),
            quirks: Deck::new(&QUIRKS),
            turns: [0; ACQUISITIONS.len()],
            users: 0,
            visitor: Visitor::default(),
            visit: Visit::default(),
        }
    }

    fn visitor(&mut self) -> duckdb::Result<()> {
        self.visitor = self.new_visitor();
        let sessions = match self.rng.random_range(0..10) {
            0 => 3,
            1 | 2 => 2,
            _ => 1,
        };
        let signs_up = self.rng.random_ratio(3, 10);
        let signs_up_in = self.rng.random_range(0..sessions);
        let mut start = self.rng.random_range(WINDOW_START..WINDOW_END - 2 * HOUR);
        for n in 0..sessions {
            self.session(start, signs_up && n == signs_up_in)?;
            start = self.visit.clock + self.rng.random_range(HOUR..4 * DAY);
            if start > WINDOW_END - 2 * HOUR {
                break;
            }
        }
        Ok(())
    }

    fn new_visitor(&mut self) -> Visitor {
        let mut anonymous_id = format!("{:032x}", self.rng.random::<u128>());
        for at in [20, 16, 12, 8] {
            anonymous_id.insert(at, '-');
        }
        let ip = if self.rng.random_ratio(1, 10) {
            format!("2001:db8::{:x}", self.rng.random::<u16>())
        } else {
            let [a, b, c, d]: [u8; 4] = self.rng.random();
            format!("{}.{b}.{c}.{}", a % 200 + 23, d.max(1))
        };
        Visitor {
            anonymous_id,
            ip,
            user_agent: pick(&mut self.rng, &USER_AGENTS),
            skew: self.rng.random_range(-3 * SECOND..3 * SECOND),
            user: None,
            email_in_context: self.rng.random_bool(0.5),
        }
    }

    /// One visit: the landing page carries the acquisition signal, later pages refer to the site
    /// itself.
    fn session(&mut self, start: i64, signs_up: bool) -> duckdb::Result<()> {
        let signal = self.signal();
        let campaign = signal.campaign;
        let landing = self.any_page();
        let page = self.page_load(landing, signal);
        self.visit = Visit {
            clock: start,
            page,
            campaign,
        };
        self.view(landing)?;
        let mut added = self.browse(landing)?;
        for _ in 0..self.rng.random_range(0..=4) {
            let next = self.any_page();
            self.navigate(next)?;
            added |= self.browse(next)?;
        }
        if added && self.rng.random_ratio(3, 5) {
            self.check_out()?;
        }
        if signs_up || (self.visitor.user.is_some() && self.rng.random_ratio(1, 3)) {
            self.identify()?;
        }
        Ok(())
    }

    /// Track calls made on a product page; returns whether the product went into the cart.
    fn browse(&mut self, page: &SitePage) -> duckdb::Result<bool> {
        if !page.path.starts_with("/products/") || !self.rng.random_ratio(7, 10) {
            return Ok(false);
        }
        self.track(PRODUCT_VIEWED)?;
        let added = self.rng.random_ratio(2, 5);
        if added {
            self.track(PRODUCT_ADDED)?;
        }
        Ok(added)
    }

    fn check_out(&mut self) -> duckdb::Result<()> {
        self.navigate(&CART)?;
        self.navigate(&CHECKOUT)?;
        self.track(CHECKOUT_STARTED)?;
        if self.rng.random_ratio(11, 20) {
            self.track(ORDER_COMPLETED)?;
        }
        Ok(())
    }

    /// Sign-up (the first time) or log-in: an identify call, sometimes a group call, and from
    /// then on the visitor's calls carry the user id.
    fn identify(&mut self) -> duckdb::Result<()> {
        let user = match self.visitor.user {
            Some(user) => user,
            None => {
                let user = self.new_user();
                self.visitor.user = Some(user);
                self.track(SIGNED_UP)?;
                user
            }
        };
        let traits = self.traits(&user);
        let mut call = self.call(Kind::Identify(traits));
        call.traits_email = self.rng.random_bool(0.5).then(|| user.email());
        self.emit(call)?;
        if self.rng.random_ratio(1, 4) {
            let call = self.call(Kind::Group(user.company));
            self.emit(call)?;
        }
        Ok(())
    }

    fn new_user(&mut self) -> User {
        self.users += 1;
        User {
            number: self.users,
            first_name: pick(&mut self.rng, &FIRST_NAMES),
            last_name: pick(&mut self.rng, &LAST_NAMES),
            domain: pick(&mut self.rng, &MAIL_DOMAINS),
            company: self.rng.random_range(0..COMPANIES.len()),
            plan: pick(&mut self.rng, &PLANS),
        }
    }

    /// Traits as the client sent them: emails sometimes padded and mixed case, or not emails.
    fn traits(&mut self, user: &User) -> Traits {
        let quirk = self.quirks.deal(&mut self.rng);
        let (first, last, domain) = (user.first_name, user.last_name, user.domain);
        let email = match quirk {
            Quirk::PaddedEmail => Some(format!(" {first}.{last}@{} ", domain.to_uppercase())),
            Quirk::InvalidEmail => Some(pick(&mut self.rng, &BAD_EMAILS).to_string()),
            Quirk::NoEmail => None,
            Quirk::None | Quirk::BadTimestamp => Some(user.email()),
        };
        let bad_timestamp = matches!(quirk, Quirk::BadTimestamp);
        Traits {
            email,
            first_name: (!self.rng.random_ratio(1, 10)).then_some(first),
            last_name: (!self.rng.random_ratio(1, 10)).then_some(last),
            plan: user.plan,
            company: COMPANIES[user.company].0,
            bad_timestamp: bad_timestamp.then(|| pick(&mut self.rng, &BAD_TIMESTAMP_TEXT)),
        }
    }

    fn any_page(&mut self) -> &'static SitePage {
        &BROWSED[self.rng.random_range(0..BROWSED.len())]
    }

    fn navigate(&mut self, page: &'static SitePage) -> duckdb::Result<()> {
        let referrer = self.visit.page.url.take();
        self.visit.page = self.page_load(
            page,
            Signal {
                referrer,
                ..Signal::default()
            },
        );
        self.visit.campaign = None;
        self.view(page)
    }

    fn view(&mut self, page: &SitePage) -> duckdb::Result<()> {
        let named = !page.name.is_empty() && !self.rng.random_ratio(1, 12);
        let layout = match self.rng.random_range(0..10) {
            0 | 1 => PageLayout::OwnOnly,
            2 | 3 => PageLayout::ContextOnly,
            _ => PageLayout::Both,
        };
        let call = self.call(Kind::Page(named.then_some(page.name), layout));
        self.emit(call)
    }

    fn track(&mut self, event: TrackEvent) -> duckdb::Result<()> {
        let event_text = match self.rng.random_range(0..100) {
            0..8 => None,
            8..14 => Some(event.1.to_uppercase()),
            14..17 => Some(event.1.to_lowercase()),
            _ => Some(event.1.to_string()),
        };
        let mut call = self.call(Kind::Track(event, event_text));
        if self.visitor.email_in_context {
            call.traits_email = self.visitor.user.map(|user| user.email());
        }
        self.emit(call)
    }

    /// A call made a little after the previous one, on the current page.
    fn call(&mut self, kind: Kind) -> Call {
        self.visit.clock += self.rng.random_range(2 * SECOND..150 * SECOND);
        Call {
            id: Some(format!("ajs-next-{:032x}", self.rng.random::<u128>())),
            anonymous_id: Some(self.visitor.anonymous_id.clone()),
            user_id: self.visitor.user.map(|user| user.id()),
            at: self.stamps(),
            page: self.visit.page.clone(),
            campaign: self.visit.campaign,
            traits_email: None,
            ip: self.visitor.ip.clone(),
            user_agent: self.visitor.user_agent,
            kind,
        }
    }

    fn stamps(&mut self) -> Stamps {
        let at = self.visit.clock;
        let original = at + self.visitor.skew;
        let received = at + self.rng.random_range(SECOND..5 * SECOND);
        Stamps {
            timestamp: Some(at),
            original,
            sent: original + self.rng.random_range(10_000..2 * SECOND),
            received,
            uuid_ts: received + self.rng.random_range(50_000..900_000),
        }
    }

    /// Writes the call, dirtied now and then, and sometimes delivers it a second time.
    fn emit(&mut self, mut call: Call) -> duckdb::Result<()> {
        self.soil(&mut call);
        self.sink.append(&call)?;
        if self.rng.random_ratio(1, 50) {
            self.redeliver(&mut call);
            self.sink.append(&call)?;
        }
        Ok(())
    }

    fn soil(&mut self, call: &mut Call) {
        let rng = &mut self.rng;
        match self.defects.deal(rng) {
            Defect::None => {}
            Defect::NullId => call.id = None,
            Defect::TextId(text) => call.id = Some(text.to_string()),
            Defect::NullTimestamp => call.at.timestamp = None,
            Defect::BrokenClock => {
                call.at.timestamp = Some(BROKEN_CLOCK + rng.random_range(0..DAY))
            }
            Defect::EpochClock => call.at.timestamp = Some(0),
            Defect::JunkAnonymousId => call.anonymous_id = Some(pick(rng, &JUNK_IDS).to_string()),
            Defect::JunkUserId => {
                call.user_id = match call.user_id.take() {
                    Some(id) if rng.random_bool(0.5) => Some(format!(" {id} ")),
                    _ => Some(pick(rng, &JUNK_IDS).to_string()),
                }
            }
        }
    }

    /// At-least-once delivery: the same message id arrives later, and sometimes disagrees about
    /// the user, so only keeping the latest delivery gives a stable answer.
    fn redeliver(&mut self, call: &mut Call) {
        let delay = self.rng.random_range(SECOND..600 * SECOND);
        if !self.rng.random_ratio(1, 4) {
            call.at.received += delay;
        }
        call.at.uuid_ts += delay;
        if self.rng.random_ratio(1, 3) {
            let other = self.rng.random_range(0..=self.users);
            call.user_id = match call.user_id {
                Some(_) => None,
                None => Some(format!("u_{other}")),
            };
        }
    }

    fn signal(&mut self) -> Signal {
        let acquisition = self.acquisitions.deal(&mut self.rng);
        let turn = self.turns[acquisition as usize];
        self.turns[acquisition as usize] += 1;
        let referrers: &[&'static str] = match acquisition {
            Acquisition::Direct => &[],
            Acquisition::Organic => &ORGANIC,
            Acquisition::Social => &SOCIAL,
            Acquisition::Webmail => &WEBMAIL,
            Acquisition::Assistant => &ASSISTANTS,
            Acquisition::Shopping => &SHOPPING,
            Acquisition::Referral => &REFERRALS,
            Acquisition::Excluded => &EXCLUDED,
            Acquisition::Campaign => return self.campaign_signal(turn),
            Acquisition::ClickId => return self.click_signal(turn),
        };
        let referrer = referrers.get(turn % referrers.len().max(1));
        Signal {
            referrer: referrer.map(|r| r.to_string()),
            ..Signal::default()
        }
    }

    fn campaign_signal(&mut self, turn: usize) -> Signal {
        let turn = turn % (TAGGED_IN_COLUMNS.len() + TAGGED_IN_URL.len());
        match TAGGED_IN_URL.get(turn.wrapping_sub(TAGGED_IN_COLUMNS.len())) {
            Some(query) => {
                let place = self.rng.random_range(0..2);
                query_signal(query, place)
            }
            None => Signal {
                campaign: TAGGED_IN_COLUMNS.get(turn).copied(),
                ..Signal::default()
            },
        }
    }

    /// Rotates through every click id and the decoy, so all of them appear in small data sets.
    fn click_signal(&mut self, turn: usize) -> Signal {
        let (name, value) = match DEFAULT_CLICK_IDS.get(turn % (DEFAULT_CLICK_IDS.len() + 1)) {
            Some(name) => (*name, self.token()),
            None => (DECOY_CLICK_ID, "1".to_string()),
        };
        // A leading parameter exercises the `&` boundary as well as the `?` one.
        let lead = ["", "", "ref=nav&"][turn % 3];
        query_signal(&format!("{lead}{name}={value}"), turn % 4)
    }

    fn token(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        (0..22)
            .map(|_| char::from(pick(&mut self.rng, ALPHABET)))
            .collect()
    }

    fn page_load(&mut self, page: &'static SitePage, signal: Signal) -> PageContext {
        // Some links drop the `www.`; the host still counts as the site's own.
        let host = if self.rng.random_ratio(1, 20) {
            SITE_HOST.trim_start_matches("www.")
        } else {
            SITE_HOST
        };
        PageContext {
            url: Some(format!("https://{host}{}{}", page.path, signal.url_tail)),
            path: Some(page.path),
            title: Some(format!("{} | Acme Shop", page.title)),
            referrer: signal.referrer,
            search: signal.search,
        }
    }
}

/// Puts a query string where SDKs report it, by `place`: in the URL and `search`, in the URL
/// only, in the URL before a fragment, or in `search` only.
fn query_signal(query: &str, place: usize) -> Signal {
    let (in_url, search) = (format!("?{query}"), Some(format!("?{query}")));
    let (url_tail, search) = match place {
        0 => (in_url, search),
        1 => (in_url, None),
        2 => (format!("{in_url}#reviews"), None),
        _ => (String::new(), search),
    };
    Signal {
        url_tail,
        search,
        ..Signal::default()
    }
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// Value of a query-string parameter, matched by exact name.
fn param<'q>(query: &'q str, key: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// ISO-8601 text with milliseconds, as Segment's JSON carries timestamps.
fn iso_millis(micros: i64) -> String {
    let secs = micros.div_euclid(SECOND);
    let millis = micros.rem_euclid(SECOND) / 1_000;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let time = secs.rem_euclid(86_400);
    let (hh, mm, ss) = (time / 3_600, time % 3_600 / 60, time % 60);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{millis:03}Z")
}

/// Proleptic Gregorian date of a day count since 1970-01-01.
/// See: <https://howardhinnant.github.io/date_algorithms.html#civil_from_days>
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: [&str; 4] = ["TRACKS", "PAGES", "IDENTIFIES", "GROUPS"];

    /// Views over the demo tables: `urls` and `referrers` (column `x`) gather every URL, search
    /// and referrer text of tracks and pages; `calls` has the id and timestamp of every row.
    const VIEWS: &str = r#"
        set search_path = 'SEGMENT_LIVE,main';
        create temp view urls as
            select context_page_url as x from TRACKS
            union all select context_page_search from TRACKS
            union all select url from PAGES
            union all select search from PAGES
            union all select context_page_url from PAGES
            union all select context_page_search from PAGES;
        create temp view referrers as
            select context_page_referrer as x from TRACKS
            union all select referrer from PAGES
            union all select context_page_referrer from PAGES;
        create temp view calls as
            select id, "timestamp"::varchar as ts from TRACKS
            union all select id, "timestamp" from PAGES
            union all select id, "timestamp" from IDENTIFIES
            union all select id, "timestamp" from GROUPS;
    "#;

    fn demo(events: u64, seed: u64) -> (Connection, DemoData) {
        let conn = Connection::open_in_memory().expect("in-memory database");
        let data = generate(&conn, &DemoOptions { events, seed }).expect("demo data");
        conn.execute_batch(VIEWS).expect("views");
        (conn, data)
    }

    fn count(conn: &Connection, from: &str, condition: &str) -> i64 {
        let sql = format!("select count(*) from {from} where {condition}");
        conn.query_row(&sql, [], |row| row.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn fingerprint(conn: &Connection) -> Vec<String> {
        let sql =
            |t| format!("select md5(string_agg(t::varchar, '|' order by t::varchar)) from {t} t");
        TABLES
            .map(|t| conn.query_row(&sql(t), [], |row| row.get(0)).expect(t))
            .to_vec()
    }

    #[test]
    fn same_seed_gives_identical_tables_and_another_seed_differs() {
        let first = fingerprint(&demo(2_000, 7).0);
        assert_eq!(first, fingerprint(&demo(2_000, 7).0));
        let other = fingerprint(&demo(2_000, 8).0);
        assert!(first.iter().zip(&other).all(|(a, b)| a != b));
    }

    #[test]
    fn total_rows_stay_within_five_percent_of_the_requested_events() {
        for events in [2_000, 20_000] {
            let (conn, data) = demo(events, 42);
            let written = data.tracks + data.pages + data.identifies + data.groups;
            assert_eq!(written, count(&conn, "calls", "true") as u64);
            assert!(
                written.abs_diff(events) * 20 <= events,
                "{written} rows for {events}"
            );
            assert!(data.groups > 0 && data.identifies > data.groups, "{data:?}");
        }
    }

    #[test]
    fn every_click_id_appears_and_the_decoy_too() {
        let (conn, _) = demo(2_000, 42);
        for name in DEFAULT_CLICK_IDS.iter().chain([&DECOY_CLICK_ID]) {
            let condition = format!("regexp_matches(x, '[?&]{name}=')");
            assert!(count(&conn, "urls", &condition) > 0, "no {name}");
        }
        let before_fragment = r"regexp_matches(x, '[?&]\w+=[^#&]+#reviews$')";
        assert!(count(&conn, "urls", before_fragment) > 0);
        assert!(count(&conn, "urls", "x like '?ref=nav&%'") > 0);
    }

    #[test]
    fn duplicates_null_ids_and_null_timestamps_exist() {
        let (conn, _) = demo(2_000, 42);
        for table in ["TRACKS", "PAGES"] {
            let duplicated =
                format!("id in (select id from {table} group by id having count(*) > 1)");
            assert!(
                count(&conn, table, &duplicated) > 0,
                "no duplicates in {table}"
            );
        }
        let other_user = "id in (select id from PAGES group by id \
                          having count(distinct coalesce(user_id, '-')) > 1)";
        assert!(count(&conn, "PAGES", other_user) > 0);
        let defects = [
            "id is null",
            "id = 'null'",
            "id = ''",
            "ts is null",
            "ts like '1899-%'",
        ];
        for defect in defects {
            assert!(count(&conn, "calls", defect) > 0, "no {defect}");
        }
    }

    #[test]
    fn utm_values_arrive_in_columns_and_only_in_urls() {
        let (conn, _) = demo(2_000, 42);
        let in_columns = "context_campaign_source in ('Google', 'Newsletter', 'facebook')";
        assert!(count(&conn, "PAGES", in_columns) > 0);
        assert!(count(&conn, "TRACKS", in_columns) > 0);
        let only_in_url = "context_campaign_source is null and coalesce(url, context_page_url) \
                           like '%?utm_source=newsletter&utm_medium=email%'";
        assert!(count(&conn, "PAGES", only_in_url) > 0);
        assert!(count(&conn, "urls", "x like '%?utm_content=footer-link%'") > 0);
    }

    #[test]
    fn referrers_cover_every_acquisition_category() {
        let (conn, _) = demo(2_000, 42);
        let prefixes = [
            "https://www.google.com/search?q=",
            "https://l.facebook.com/",
            "android-app://com.google.android.gm/",
            "https://chatgpt.com/",
            "https://www.amazon.com/",
            "https://news.ycombinator.com/",
            "https://checkout.stripe.com/",
            "https://m.paypal.com/",
            "https://www.acme-shop.example/",
            "https://acme-shop.example/",
        ];
        for prefix in prefixes {
            let condition = format!("starts_with(x, '{prefix}')");
            assert!(
                count(&conn, "referrers", &condition) > 0,
                "no referrer {prefix}"
            );
        }
    }

    #[test]
    fn optional_columns_are_missing_where_segment_never_saw_a_value() {
        let (conn, _) = demo(2_000, 42);
        let columns = |pairs| {
            let condition = format!("(table_name, column_name) in ({pairs})");
            count(&conn, "information_schema.columns", &condition)
        };
        let missing = "('TRACKS', 'context_campaign_term'), ('PAGES', 'context_traits_email'), \
                       ('IDENTIFIES', 'uuid_ts')";
        assert_eq!(columns(missing), 0);
        assert_eq!(
            columns("('PAGES', 'context_campaign_term'), ('GROUPS', 'uuid_ts')"),
            2
        );
    }

    #[test]
    fn identifies_carry_text_timestamps_and_dirty_emails() {
        let (conn, _) = demo(2_000, 42);
        let checks = [
            r#""timestamp" like '2026-11-__T__:__:__.___Z'"#,
            r#""timestamp" in ('yesterday', '2026-13-45T99:00:00Z')"#,
            "email <> trim(email) and email <> lower(email)",
            "email in ('not-an-email', 'jane@', 'n/a')",
        ];
        for check in checks {
            assert!(count(&conn, "IDENTIFIES", check) > 0, "{check}");
        }
    }

    #[test]
    fn iso_millis_writes_utc_text_for_any_era() {
        assert_eq!(iso_millis(WINDOW_START + 1_234), "2026-11-01T00:00:00.001Z");
        assert_eq!(iso_millis(BROKEN_CLOCK), "1899-12-31T00:00:00.000Z");
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_millis(WINDOW_END - 1), "2026-11-30T23:59:59.999Z");
    }
}

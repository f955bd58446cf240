//! Every page of the demo, as each role reaches it by following links from its home, speaks
//! Vietnamese: no English status word in what a user reads, and numbers of four digits or more
//! written with the thousands dot.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use reqwest::StatusCode;

use crate::harness::{TestApp, page, sign_in};

/// Words that are our own codes (a state, a kind): a page must show their Vietnamese label.
const CODE_WORDS: [&str; 30] = [
    "present",
    "absent",
    "excused",
    "open",
    "overdue",
    "pending",
    "scheduled",
    "held",
    "approved",
    "cancelled",
    "accepted",
    "returned",
    "draft",
    "submitted",
    "done",
    "none",
    "true",
    "false",
    "null",
    "official",
    "probationary",
    "regular",
    "thematic",
    "received",
    "paused",
    "closed",
    "withdrawn",
    "decided",
    "rejected",
    "unknown",
];

/// How many pages of one shape (the path with its ids replaced) a role visits: enough to see
/// each page with real data, not every member's record.
const PER_SHAPE: usize = 8;
/// The most pages one role visits.
const PER_ROLE: usize = 600;

fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|s| if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() { "{id}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// The text a user reads: tags, scripts and styles removed. What is shown verbatim as data —
/// `<pre>` and `<code>` (the audit log's recorded change, a file's column names) and identifiers
/// marked `class="ident"` (a card number, an event's number) — is not prose and is left out.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[1..tag_end];
        let name: String =
            tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        let verbatim = matches!(name.as_str(), "script" | "style" | "pre" | "code") || tag.contains("class=\"ident\"");
        let close = format!("</{name}>");
        rest = match (verbatim && !name.is_empty(), after.find(&close)) {
            (true, Some(e)) => &after[e + close.len()..],
            _ => &after[tag_end + 1..],
        };
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&nbsp;", " ").replace("&#x2F;", "/")
}

fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end].replace("&amp;", "&");
        if href.starts_with('/') && !href.starts_with("//") {
            out.push(href);
        }
    }
    out
}

/// Where a page is not for reading: files, downloads, signing out, the API.
fn skipped(href: &str) -> bool {
    let path = href.split('?').next().unwrap_or(href);
    path == "/logout"
        || path.starts_with("/api/")
        || path.starts_with("/static/")
        || path.starts_with("/files/")
        || href.contains("format=")
        || [".pdf", ".docx", ".xlsx", ".csv", ".svg", ".css", ".js", ".ico", ".png", ".json", ".webmanifest"]
            .iter()
            .any(|ext| path.ends_with(ext))
        || path.ends_with("/letter")
        || path.ends_with("/download")
        || path.ends_with("/print")
        || path.ends_with("/list")
        || path.ends_with("/report")
        || path.contains("/export")
}

/// What is wrong with a page's text: English code words, numbers without the thousands dot.
fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split(|c: char| {
        !(c.is_alphanumeric() || c == '_' || c == '.' || c == ',' || c == '#' || c == '-' || c == '/' || c == ':')
    }) {
        let word = token.trim_matches(|c: char| c == '.' || c == ',' || c == ':');
        if word.is_empty() {
            continue;
        }
        if CODE_WORDS.contains(&word)
            || (word.contains('_') && word.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        {
            found.push(format!("English code word “{word}”"));
            continue;
        }
        // A bare number of 4+ digits: not a year, not an identifier (#12, a code, a leading 0).
        if word.chars().all(|c| c.is_ascii_digit()) && word.len() >= 4 && !word.starts_with('0') {
            let n: u64 = word.parse().unwrap_or(0);
            let year = (1900..=2100).contains(&n) && word.len() == 4;
            if !year {
                found.push(format!("number without the thousands dot “{word}”"));
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_speaks_vietnamese() {
    let app = TestApp::spawn(dangvu_store::Backend::Sqlite).await;
    let mut report: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut visited_total = 0;
    for role in ["admin", "tochuc", "vanphong", "khoi", "bithu", "lanhdao", "dangvien"] {
        let cookie = sign_in(&app, role).await;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
        let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned()]);
        while let Some(path) = queue.pop_front() {
            if seen.len() >= PER_ROLE || !seen.insert(path.clone()) {
                continue;
            }
            let n = shapes.entry(shape(&path)).or_default();
            if *n >= PER_SHAPE {
                continue;
            }
            *n += 1;
            let (status, html) = page(&app, &cookie, &path).await;
            visited_total += 1;
            assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{role} {path}: 500");
            if !status.is_success() || !html.contains("<html") {
                continue;
            }
            for p in problems(&visible_text(&html)) {
                report.entry(format!("{} ({role})", shape(&path))).or_default().insert(p);
            }
            for href in links(&html) {
                if !skipped(&href) && !seen.contains(&href) {
                    queue.push_back(href);
                }
            }
        }
    }
    let listing: Vec<String> = report
        .iter()
        .map(|(page, ps)| format!("{page}: {}", ps.iter().cloned().collect::<Vec<_>>().join("; ")))
        .collect();
    assert!(visited_total > 100, "the crawl reached {visited_total} pages");
    assert!(listing.is_empty(), "{} pages are not in Vietnamese:\n{}", listing.len(), listing.join("\n"));
}

/// An address parameter of the wrong type is named, in Vietnamese; one left empty is one not given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_errors_name_the_parameter() {
    let app = TestApp::spawn(dangvu_store::Backend::Sqlite).await;
    let office = app.login("vanphong").await;
    let (status, body) = app.get(&office, "/api/v1/tasks?org_id=&status=").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.get(&office, "/api/v1/tasks?org_id=x%C3%A3&limit=5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "org_id", "{body}");
    let message = body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(message.contains("org_id") && message.contains("xã") && !message.contains("parse"), "{message}");
}

/// Cells that carry the same name are told apart by their parent wherever they are listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cells_of_the_same_name_are_told_apart() {
    let app = TestApp::spawn(dangvu_store::Backend::Sqlite).await;
    let cookie = sign_in(&app, "khoi").await;
    let (status, html) = page(&app, &cookie, "/cell-meetings?month=2026-01").await;
    assert_eq!(status, StatusCode::OK);
    let marker = "Chi bộ Văn phòng</a><br><small class=\"muted\">";
    let parents: Vec<&str> =
        html.split(marker).skip(1).map(|rest| rest.split('<').next().unwrap_or_default()).collect();
    assert!(parents.len() > 1, "the bloc's offices' cells are listed with their parents");
    let distinct: BTreeSet<&str> = parents.iter().copied().collect();
    assert_eq!(distinct.len(), parents.len(), "{parents:?}");
}

/// One bad row of the classification page keeps every row typed and names the member refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_keeps_what_was_typed() {
    let app = TestApp::spawn(dangvu_store::Backend::Sqlite).await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let cookie = sign_in(&app, "bithu").await;
    let (_, html) = page(&app, &cookie, &format!("/classifications?org_id={cell}&period=2031")).await;
    let csrf = crate::harness::csrf_of(&html);
    let ids: Vec<String> =
        html.split("name=\"level_").skip(1).map(|rest| rest.split('"').next().unwrap_or_default().to_owned()).collect();
    assert!(ids.len() >= 3, "the cell lists its members");
    let mut fields: Vec<(String, String)> =
        vec![("csrf".into(), csrf), ("org_id".into(), cell.to_string()), ("period".into(), "2031".into())];
    for (i, id) in ids.iter().enumerate() {
        fields.push((format!("level_{id}"), "good".into()));
        // The second row's score is not a number.
        fields.push((format!("score_{id}"), if i == 1 { "tám".into() } else { format!("8{i},5") }));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _, body) = crate::harness::post_form(&app, &cookie, "/classifications", &pairs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for (i, id) in ids.iter().enumerate() {
        let typed = if i == 1 { "tám".to_owned() } else { format!("8{i},5") };
        assert!(body.contains(&format!("name=\"score_{id}\" value=\"{typed}\"")), "row {i} keeps {typed}");
    }
    // The refusal names the member, on the page and on the row.
    let name_of_second = body
        .split(&format!("name=\"level_{}\" aria-label=\"Mức của ", ids[1]))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(body.contains(&format!("{name_of_second}: Điểm là một số")), "{name_of_second}");
    assert!(body.contains("class=\"field-error\""));
    // Nothing was written.
    let (_, again) = page(&app, &cookie, &format!("/classifications?org_id={cell}&period=2031")).await;
    assert!(!again.contains("value=\"80,5\""));
}

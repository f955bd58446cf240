//! The documents registry: Party documents by number and symbol, title and date.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::OrgId;
use dangvu_domain::tasks::document::parse_number;
use dangvu_domain::text::{clean, fold};
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Document {
    pub id: i64,
    /// Canonical, e.g. `35-CT/TW`.
    pub number: String,
    pub serial: i64,
    /// `CT`, `NQ`, `KH`, `QĐ` …
    #[serde(rename = "type")]
    pub doc_type: String,
    /// `TW`, `TU`, `BTCTW` …
    pub issuer: String,
    pub title: String,
    pub issued_on: NaiveDate,
    /// The organisation whose registry holds it; `null` for documents registered for the whole tree.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

const COLUMNS: &str = "d.id, d.number, d.serial, d.doc_type, d.issuer, d.title, d.issued_on, d.org_id";

fn from_row(r: &Row) -> Result<Document, StoreError> {
    Ok(Document {
        id: r.int(0)?,
        number: r.text(1)?,
        serial: r.int(2)?,
        doc_type: r.text(3)?,
        issuer: r.text(4)?,
        title: r.text(5)?,
        issued_on: r.date(6)?,
        org_id: r.opt_id(7)?,
    })
}

pub struct NewDocument {
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub org_id: Option<OrgId>,
    /// A congress's document: numbered in the congress's own series (36-HD/VPTW), so its
    /// number repeats across congresses; `congresses::documents::issue` sets it.
    pub congress_id: Option<i64>,
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewDocument) -> Result<Document, StoreError> {
    let title = clean(&new.title);
    let mut problems = Problems::new();
    let parsed = match parse_number(&new.number) {
        Ok(p) => Some(p),
        Err(why) => {
            problems.add("number", why);
            None
        }
    };
    if title.is_empty() || title.chars().count() > 1000 {
        problems.add("title", "Trích yếu gồm 1–1000 ký tự");
    }
    if let Some(p) = &parsed
        && new.congress_id.is_none()
        && tx
            .query_one(
                "SELECT 1 FROM documents WHERE number = $1 AND issued_on = $2 AND congress_id IS NULL",
                params![p.canonical(), new.issued_on],
            )
            .await?
            .is_some()
    {
        problems.add("number", "Văn bản số này, cùng ngày ban hành, đã có trong sổ");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let p = parsed.expect("validated above");
    let number = p.canonical();
    let search = fold(&format!("{number} {title}"));
    let id = tx
        .query_one(
            "INSERT INTO documents (org_id, number, serial, doc_type, issuer, title, search_text, issued_on, created_by,
                                    created_at, congress_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            params![
                new.org_id,
                number.as_str(),
                i64::from(p.serial),
                p.doc_type.as_str(),
                p.issuer.as_str(),
                title.as_str(),
                search,
                new.issued_on,
                actor.id,
                crate::now_micros(),
                new.congress_id
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    let doc = Document {
        id,
        number,
        serial: i64::from(p.serial),
        doc_type: p.doc_type,
        issuer: p.issuer,
        title,
        issued_on: new.issued_on,
        org_id: new.org_id,
    };
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DocumentCreate,
            subject: Subject::document(id),
            before: None,
            after: Some(
                json!({"number": doc.number, "title": doc.title, "issued_on": doc.issued_on, "org_id": doc.org_id}),
            ),
        },
    )
    .await?;
    Ok(doc)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Document>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM documents d WHERE d.id = $1");
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

/// What a search over the registry asks for.
#[derive(Debug)]
pub struct Search {
    /// Number or title words; case and diacritics ignored.
    pub q: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The path of the account's scope: it reads the registries of its subtree and of the
    /// levels above it (directives come down). `None`: all.
    pub scope_path: Option<String>,
    /// The date the tree is read on (today).
    pub on: NaiveDate,
}

/// Newest first, paged by id.
pub async fn search(db: &Db, s: &Search, before_id: i64, limit: i64) -> Result<Vec<Document>, StoreError> {
    let mut sql =
        format!("SELECT {COLUMNS} FROM documents d WHERE d.id < $1 AND d.issued_on >= $2 AND d.issued_on <= $3");
    let mut params = vec![
        crate::Value::Int(before_id),
        crate::Value::Date(s.from.unwrap_or(dangvu_domain::calendar::EARLIEST)),
        crate::Value::Date(s.to.unwrap_or(dangvu_domain::calendar::LATEST)),
    ];
    for word in s.q.as_deref().map(fold).unwrap_or_default().split_whitespace() {
        params.push(crate::Value::Text(format!("%{}%", word.replace(['%', '_'], ""))));
        sql.push_str(&format!(" AND d.search_text LIKE ${}", params.len()));
    }
    if let Some(path) = &s.scope_path {
        let n = params.len();
        params.push(crate::Value::Text(path.clone()));
        params.push(crate::Value::Text(dangvu_domain::orgs::tree::subtree_end(path)));
        params.push(crate::Value::Date(s.on));
        sql.push_str(&format!(
            " AND (d.org_id IS NULL OR EXISTS (SELECT 1 FROM org_versions v WHERE v.org_id = d.org_id
                 AND v.valid_from <= ${o} AND (v.valid_to IS NULL OR v.valid_to > ${o})
                 AND ((v.path >= ${p} AND v.path < ${e}) OR substr(${p}, 1, length(v.path)) = v.path)))",
            p = n + 1,
            e = n + 2,
            o = n + 3
        ));
    }
    params.push(crate::Value::Int(limit));
    sql.push_str(&format!(" ORDER BY d.id DESC LIMIT ${}", params.len()));
    db.query(&sql, &params).await?.iter().map(from_row).collect()
}

/// The next serial of a registry's documents of one type and issuer, counted since the
/// start of the term (36-HD/VPTW: a sequence from 01 per type, restarting each term).
pub async fn next_serial(
    db: &Db,
    org_id: OrgId,
    doc_type: &str,
    issuer: &str,
    term_starts_on: Option<chrono::NaiveDate>,
) -> Result<i64, StoreError> {
    let since = term_starts_on.unwrap_or(dangvu_domain::calendar::EARLIEST);
    let row = db
        .query_one(
            "SELECT COALESCE(MAX(serial), 0) FROM documents
             WHERE org_id = $1 AND doc_type = $2 AND issuer = $3 AND issued_on >= $4",
            params![org_id, doc_type, issuer, since],
        )
        .await?;
    Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0) + 1)
}

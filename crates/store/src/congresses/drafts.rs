//! Drafts of a congress's documents in versions, and the comments on them: where each stands in
//! the latest version, how many units sent the same one, and the subcommittee's disposition.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::{
    Disposition, Located, MAX_PARAGRAPH_CHARS, Succession, check_comment, check_reason, group_key, paragraphs,
};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::{Value, columns};
use crate::{Db, Row, StoreError, Tx, params};

/// The longest text of a version, in characters (a provincial report is about 300,000), and the
/// most paragraphs it may have.
pub const MAX_TEXT_CHARS: usize = 2_000_000;
pub const MAX_PARAGRAPHS: usize = 10_000;

/// A version as listed: its number, size and fingerprint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionHead {
    pub version: u32,
    pub paragraphs: u32,
    pub note: String,
    /// SHA-256 of the version's text: a printed copy names it.
    pub sha256: String,
}

/// A draft document of a congress (the political report, the self-criticism report …).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Draft {
    pub id: i64,
    pub congress_id: i64,
    pub title: String,
    /// The first day of comments; none: from its creation.
    pub comments_from: Option<NaiveDate>,
    /// The last day of comments; none: until the window is closed.
    pub comments_until: Option<NaiveDate>,
    /// Every version, the first first.
    pub versions: Vec<VersionHead>,
}

impl Draft {
    /// The number of the latest version.
    pub fn latest(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.version)
    }

    /// Whether comments are taken on `day`.
    pub fn open_for_comments(&self, day: NaiveDate) -> bool {
        self.comments_from.is_none_or(|f| f <= day) && self.comments_until.is_none_or(|u| day <= u)
    }
}

/// One version, whole, with its paragraphs numbered from 1 (index + 1).
#[derive(Debug, Clone)]
pub struct Version {
    pub version: u32,
    pub text: String,
    pub note: String,
    pub sha256: String,
    pub paragraphs: Vec<String>,
}

fn as_u32(r: &Row, i: usize) -> Result<u32, StoreError> {
    let n = r.int(i)?;
    u32::try_from(n).map_err(|_| StoreError::Decode(format!("column {i}: {n}")))
}

/// A version's head from `version, paragraphs, note, sha256`.
fn head_of(r: &Row) -> Result<VersionHead, StoreError> {
    Ok(VersionHead { version: as_u32(r, 0)?, paragraphs: as_u32(r, 1)?, note: r.text(2)?, sha256: r.text(3)? })
}

fn heads(rows: &[Row]) -> Result<Vec<VersionHead>, StoreError> {
    rows.iter().map(head_of).collect()
}

const DRAFT_SQL: &str =
    "SELECT id, congress_id, title, comments_from, comments_until FROM congress_drafts WHERE id = $1";
const HEADS_SQL: &str =
    "SELECT version, paragraphs, note, sha256 FROM congress_draft_versions WHERE draft_id = $1 ORDER BY version";

fn draft_of(r: &Row, versions: Vec<VersionHead>) -> Result<Draft, StoreError> {
    Ok(Draft {
        id: r.int(0)?,
        congress_id: r.int(1)?,
        title: r.text(2)?,
        comments_from: r.opt_date(3)?,
        comments_until: r.opt_date(4)?,
        versions,
    })
}

pub async fn draft(db: &Db, id: i64) -> Result<Option<Draft>, StoreError> {
    let Some(r) = db.query_one(DRAFT_SQL, params![id]).await? else { return Ok(None) };
    let versions = heads(&db.query(HEADS_SQL, params![id]).await?)?;
    draft_of(&r, versions).map(Some)
}

/// The draft as the transaction sees it, its row locked on PostgreSQL: a new version and a
/// comment arriving together are written one after the other, so the comment is carried.
pub async fn draft_in(tx: &mut Tx, id: i64) -> Result<Draft, StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => format!("{DRAFT_SQL} FOR UPDATE"),
        crate::Backend::Sqlite => DRAFT_SQL.to_owned(),
    };
    let r = tx.query_one(&sql, params![id]).await?.ok_or(StoreError::NotFound)?;
    let versions = heads(&tx.query(HEADS_SQL, params![id]).await?)?;
    draft_of(&r, versions)
}

/// The drafts of a congress, with their versions: two queries, whatever the number of drafts.
pub async fn drafts_of(db: &Db, congress_id: i64) -> Result<Vec<Draft>, StoreError> {
    let drafts = db
        .query(
            "SELECT id, congress_id, title, comments_from, comments_until FROM congress_drafts
             WHERE congress_id = $1 ORDER BY id",
            params![congress_id],
        )
        .await?;
    let versions = db
        .query(
            "SELECT v.version, v.paragraphs, v.note, v.sha256, v.draft_id FROM congress_draft_versions v
             JOIN congress_drafts d ON d.id = v.draft_id WHERE d.congress_id = $1 ORDER BY v.draft_id, v.version",
            params![congress_id],
        )
        .await?;
    let mut by_draft: BTreeMap<i64, Vec<VersionHead>> = BTreeMap::new();
    for r in &versions {
        by_draft.entry(r.int(4)?).or_default().push(head_of(r)?);
    }
    drafts.iter().map(|r| draft_of(r, by_draft.remove(&r.int(0)?).unwrap_or_default())).collect()
}

const VERSION_SQL: &str =
    "SELECT version, text, note, sha256 FROM congress_draft_versions WHERE draft_id = $1 AND version = $2";

fn version_of(r: &Row) -> Result<Version, StoreError> {
    let text = r.text(1)?;
    Ok(Version { version: as_u32(r, 0)?, paragraphs: paragraphs(&text), text, note: r.text(2)?, sha256: r.text(3)? })
}

pub async fn version(db: &Db, draft_id: i64, version: u32) -> Result<Option<Version>, StoreError> {
    db.query_one(VERSION_SQL, params![draft_id, i64::from(version)]).await?.map(|r| version_of(&r)).transpose()
}

async fn version_in(tx: &mut Tx, draft_id: i64, version: u32) -> Result<Version, StoreError> {
    let r = tx.query_one(VERSION_SQL, params![draft_id, i64::from(version)]).await?.ok_or(StoreError::NotFound)?;
    version_of(&r)
}

/// A version's text checked: not empty, within the sizes a report can have. Answers its
/// paragraphs.
fn check_text(text: &str, problems: &mut Problems) -> Vec<String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        problems.add("text", format!("Dự thảo dài quá {} ký tự", dangvu_domain::vi::number(MAX_TEXT_CHARS as i64)));
        return Vec::new();
    }
    let paras = paragraphs(text);
    if paras.is_empty() {
        problems.add("text", "Dự thảo chưa có nội dung");
    } else if paras.len() > MAX_PARAGRAPHS {
        problems.add("text", format!("Dự thảo có quá {} đoạn", dangvu_domain::vi::number(MAX_PARAGRAPHS as i64)));
    } else if let Some(i) = paras.iter().position(|p| p.chars().count() > MAX_PARAGRAPH_CHARS) {
        problems.add(
            "text",
            format!(
                "Đoạn {} dài quá {} ký tự: hãy tách thành nhiều đoạn (mỗi dòng một đoạn)",
                i + 1,
                dangvu_domain::vi::number(MAX_PARAGRAPH_CHARS as i64)
            ),
        );
    }
    paras
}

fn check_window(from: Option<NaiveDate>, until: Option<NaiveDate>, problems: &mut Problems) {
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        problems.add("comments_until", "Ngày kết thúc lấy ý kiến không được trước ngày bắt đầu");
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

async fn insert_version(
    tx: &mut Tx,
    actor: &Actor,
    draft_id: i64,
    version: u32,
    text: &str,
    paras: usize,
    note: &str,
) -> Result<String, StoreError> {
    let sha = sha256_hex(text);
    tx.execute(
        "INSERT INTO congress_draft_versions (draft_id, version, text, paragraphs, note, sha256, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![draft_id, i64::from(version), text, paras as i64, note, sha.as_str(), actor.id, crate::now_micros()],
    )
    .await?;
    Ok(sha)
}

/// Writes a draft of a congress with its first version. Answers the draft's id.
pub async fn create_draft(
    tx: &mut Tx,
    actor: &Actor,
    congress_id: i64,
    title: &str,
    text: &str,
    comments_from: Option<NaiveDate>,
    comments_until: Option<NaiveDate>,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let title = clean(title);
    if title.is_empty() || title.chars().count() > 300 {
        problems.add("title", "Tên dự thảo từ 1 đến 300 ký tự");
    }
    let text = dangvu_domain::text::nfc(text);
    let paras = check_text(&text, &mut problems);
    check_window(comments_from, comments_until, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO congress_drafts (congress_id, title, comments_from, comments_until, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            params![congress_id, title.as_str(), comments_from, comments_until, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    let sha = insert_version(tx, actor, id, 1, &text, paras.len(), "").await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DraftCreate,
            subject: Subject::draft(id),
            before: None,
            after: Some(json!({
                "congress_id": congress_id, "title": title, "version": 1, "paragraphs": paras.len(), "sha256": sha,
                "comments_from": comments_from, "comments_until": comments_until,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// Changes the days a draft is open for comments.
pub async fn set_window(
    tx: &mut Tx,
    actor: &Actor,
    draft_id: i64,
    comments_from: Option<NaiveDate>,
    comments_until: Option<NaiveDate>,
) -> Result<(), StoreError> {
    let mut problems = Problems::new();
    check_window(comments_from, comments_until, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let before = draft_in(tx, draft_id).await?;
    tx.execute(
        "UPDATE congress_drafts SET comments_from = $2, comments_until = $3 WHERE id = $1",
        params![draft_id, comments_from, comments_until],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DraftWindow,
            subject: Subject::draft(draft_id),
            before: Some(json!({ "comments_from": before.comments_from, "comments_until": before.comments_until })),
            after: Some(json!({ "comments_from": comments_from, "comments_until": comments_until })),
        },
    )
    .await?;
    Ok(())
}

/// `$first, $first+1, …` for `n` parameters.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Adds the next version and carries every comment that still stood in the one before to where
/// its quote stands now, or marks it outdated. Answers the new version's number.
pub async fn add_version(tx: &mut Tx, actor: &Actor, draft_id: i64, text: &str, note: &str) -> Result<u32, StoreError> {
    let mut problems = Problems::new();
    let text = dangvu_domain::text::nfc(text);
    let new = check_text(&text, &mut problems);
    let note = clean(note);
    if note.chars().count() > 2_000 {
        problems.add("note", "Ghi chú dài quá 2.000 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let draft = draft_in(tx, draft_id).await?;
    let previous = version_in(tx, draft_id, draft.latest()).await?;
    let number = previous.version + 1;
    let sha = insert_version(tx, actor, draft_id, number, &text, new.len(), &note).await?;
    super::targets::carry(tx, draft_id, previous.version, number).await?;
    let carried = carry_comments(tx, draft_id, &previous, number, &new).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DraftVersion,
            subject: Subject::draft(draft_id),
            before: Some(json!({ "version": previous.version, "sha256": previous.sha256 })),
            after: Some(json!({
                "version": number, "paragraphs": new.len(), "sha256": sha, "note": note,
                "comments_carried": carried.0, "comments_outdated": carried.1,
            })),
        },
    )
    .await?;
    Ok(number)
}

/// Moves the comments standing in `previous` into version `number`: (carried, outdated).
async fn carry_comments(
    tx: &mut Tx,
    draft_id: i64,
    previous: &Version,
    number: u32,
    new: &[String],
) -> Result<(usize, usize), StoreError> {
    let succession = Succession::between(&previous.paragraphs, new);
    let standing = tx
        .query(
            "SELECT id, at_paragraph, quote, whole_paragraph FROM congress_comments
             WHERE draft_id = $1 AND at_version = $2 AND outdated = $3",
            params![draft_id, i64::from(previous.version), false],
        )
        .await?;
    // Comments going to the same place are moved by one statement each 500.
    let mut moves: BTreeMap<Option<usize>, Vec<i64>> = BTreeMap::new();
    for r in &standing {
        let paragraph = usize::try_from(r.opt_int(1)?.unwrap_or(0)).unwrap_or(0);
        let quote = if r.bool(3)? { None } else { Some(r.text(2)?) };
        let to = match succession.follow(paragraph, quote.as_deref(), new) {
            Located::At { paragraph } => Some(paragraph),
            Located::Outdated { .. } => None,
        };
        moves.entry(to).or_default().push(r.int(0)?);
    }
    let (mut carried, mut outdated) = (0, 0);
    for (to, ids) in moves {
        for chunk in ids.chunks(500) {
            let mut values: Vec<Value> = chunk.iter().map(|&id| Value::from(id)).collect();
            let sql = match to {
                Some(p) => {
                    carried += chunk.len();
                    let sql = format!(
                        "UPDATE congress_comments SET at_version = ${}, at_paragraph = ${} WHERE id IN ({})",
                        chunk.len() + 1,
                        chunk.len() + 2,
                        placeholders(1, chunk.len())
                    );
                    values.push(Value::from(i64::from(number)));
                    values.push(Value::from(p as i64));
                    sql
                }
                None => {
                    outdated += chunk.len();
                    values.push(Value::from(true));
                    format!(
                        "UPDATE congress_comments SET outdated = ${} WHERE id IN ({})",
                        chunk.len() + 1,
                        placeholders(1, chunk.len())
                    )
                }
            };
            tx.execute(&sql, &values).await?;
        }
    }
    Ok((carried, outdated))
}

/// Who sends a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// A member, from the handbook (or typed in from the member's paper).
    Member(MemberId),
    /// An organisation after its meeting, with how many of its members agreed when it says.
    Org { org_id: OrgId, members_agreeing: Option<u32> },
}

/// A comment as it arrives.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub draft_id: i64,
    /// The version and paragraph (from 1) it was made on.
    pub version: u32,
    pub paragraph: u32,
    /// The words it is about, inside that paragraph; empty: the whole paragraph.
    pub quote: String,
    pub text: String,
    pub sender: Sender,
    pub from_paper: bool,
    pub file_id: Option<i64>,
}

/// A comment as the subcommittee reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub draft_id: i64,
    /// The version and paragraph it was made on.
    pub version: u32,
    pub paragraph: u32,
    /// The words it is about; the whole paragraph's text when `whole_paragraph`.
    pub quote: String,
    /// On the whole paragraph rather than on some of its words.
    pub whole_paragraph: bool,
    pub text: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    #[schema(value_type = Option<i64>)]
    pub on_behalf_of_org_id: Option<OrgId>,
    /// The member's full name or the organisation's name.
    pub sender: String,
    pub members_agreeing: Option<u32>,
    pub from_paper: bool,
    pub file_id: Option<i64>,
    /// The latest version that holds its quote, and the paragraph there.
    pub at_version: u32,
    pub at_paragraph: Option<u32>,
    /// The draft's latest version no longer holds the quoted text.
    pub outdated: bool,
    /// The comments of the draft with the same text (itself included), as the congress's
    /// organisation counts them; 1 for a reader who sees only their own comments.
    pub same_text: u32,
    #[schema(value_type = Option<String>, example = "accepted")]
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
}

columns! {
    mod col {
        id: "c.id",
        draft_id: "c.draft_id",
        version: "c.version",
        paragraph: "c.paragraph",
        quote: "c.quote",
        whole_paragraph: "c.whole_paragraph",
        text: "c.text",
        member_id: "c.member_id",
        org_id: "c.org_id",
        sender: "COALESCE(m.full_name, (SELECT v.name FROM org_versions v WHERE v.org_id = c.org_id ORDER BY v.valid_from DESC LIMIT 1), '')",
        members_agreeing: "c.members_agreeing",
        from_paper: "c.from_paper",
        file_id: "c.file_id",
        at_version: "c.at_version",
        at_paragraph: "c.at_paragraph",
        outdated: "c.outdated",
        same_text: "(SELECT COUNT(*) FROM congress_comments g WHERE g.draft_id = c.draft_id AND g.group_key = c.group_key)",
        disposition: "c.disposition",
        reason: "c.reason",
    }
}

const COMMENT_FROM: &str = "FROM congress_comments c LEFT JOIN members m ON m.id = c.member_id";

/// The `same_text` column as [`col`] computes it: a count per row, cheap for a page of comments.
const SAME_TEXT_SQL: &str =
    "(SELECT COUNT(*) FROM congress_comments g WHERE g.draft_id = c.draft_id AND g.group_key = c.group_key)";

/// Every comment of a draft, in the order they came, without `same_text` (1): what the
/// disposition report reads in one query. Counting each comment's group row by row would read a
/// group of a thousand identical comments a thousand times.
pub async fn every_comment(db: &Db, draft_id: i64) -> Result<Vec<Comment>, StoreError> {
    debug_assert!(col::SQL.contains(SAME_TEXT_SQL), "col::same_text is SAME_TEXT_SQL");
    let columns = col::SQL.replacen(SAME_TEXT_SQL, "1", 1);
    let sql = format!("SELECT {columns} {COMMENT_FROM} WHERE c.draft_id = $1 ORDER BY c.id");
    db.query(&sql, params![draft_id]).await?.iter().map(comment_of).collect()
}

fn opt_u32(r: &Row, i: usize) -> Result<Option<u32>, StoreError> {
    r.opt_int(i)?.map(|n| u32::try_from(n).map_err(|_| StoreError::Decode(format!("column {i}: {n}")))).transpose()
}

fn comment_of(r: &Row) -> Result<Comment, StoreError> {
    Ok(Comment {
        id: r.int(col::id)?,
        draft_id: r.int(col::draft_id)?,
        version: as_u32(r, col::version)?,
        paragraph: as_u32(r, col::paragraph)?,
        quote: r.text(col::quote)?,
        whole_paragraph: r.bool(col::whole_paragraph)?,
        text: r.text(col::text)?,
        member_id: r.opt_id(col::member_id)?,
        on_behalf_of_org_id: r.opt_id(col::org_id)?,
        sender: r.text(col::sender)?,
        members_agreeing: opt_u32(r, col::members_agreeing)?,
        from_paper: r.bool(col::from_paper)?,
        file_id: r.opt_int(col::file_id)?,
        at_version: as_u32(r, col::at_version)?,
        at_paragraph: opt_u32(r, col::at_paragraph)?,
        outdated: r.bool(col::outdated)?,
        same_text: as_u32(r, col::same_text)?,
        disposition: r.opt_word(col::disposition, Disposition::parse)?,
        reason: r.opt_text(col::reason)?,
    })
}

pub async fn comment(db: &Db, id: i64) -> Result<Option<Comment>, StoreError> {
    let sql = format!("SELECT {} {COMMENT_FROM} WHERE c.id = $1", col::SQL);
    db.query_one(&sql, params![id]).await?.map(|r| comment_of(&r)).transpose()
}

/// Whose comments a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// The congress's organisation and its subcommittees: every comment.
    All,
    /// A member's own comments, and those sent on behalf of the organisations of a subtree (the
    /// path of the reader's scope), when the reader has one.
    Own { member: Option<MemberId>, scope_path: Option<String> },
}

/// Which comments of a draft, and in what order.
#[derive(Debug, Clone, Default)]
pub struct CommentFilter {
    /// Only those standing in this paragraph of the latest version.
    pub paragraph: Option<u32>,
    /// Only those without a disposition yet.
    pub undisposed: bool,
    /// Only those after this id (the cursor of a page).
    pub after_id: Option<i64>,
}

/// Narrows `sql` (which has a WHERE clause) to the comments `whose` may read, binding into
/// `values`. False when the reader may read none.
fn whose_condition(whose: &Whose, sql: &mut String, values: &mut Vec<Value>) -> bool {
    let Whose::Own { member, scope_path } = whose else { return true };
    let mut any = Vec::new();
    if let Some(m) = member {
        values.push(Value::from(*m));
        any.push(format!("c.member_id = ${}", values.len()));
    }
    if let Some(path) = scope_path {
        values.push(Value::from(path.as_str()));
        values.push(Value::from(dangvu_domain::orgs::tree::subtree_end(path).as_str()));
        any.push(format!(
            "c.org_id IN (SELECT v.org_id FROM org_versions v WHERE v.path >= ${} AND v.path < ${} AND v.valid_to IS NULL)",
            values.len() - 1,
            values.len()
        ));
    }
    if any.is_empty() {
        return false;
    }
    sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    true
}

/// How many comments a reader may read stand in each paragraph of a version (outdated ones
/// left out): one grouped query, for the draft page's counts.
pub async fn counts_by_paragraph(
    db: &Db,
    draft_id: i64,
    version: u32,
    whose: &Whose,
) -> Result<BTreeMap<u32, u32>, StoreError> {
    let mut sql = "SELECT c.at_paragraph, COUNT(*) FROM congress_comments c
                   WHERE c.draft_id = $1 AND c.at_version = $2 AND c.outdated = $3"
        .to_owned();
    let mut values = vec![Value::from(draft_id), Value::from(i64::from(version)), Value::from(false)];
    if !whose_condition(whose, &mut sql, &mut values) {
        return Ok(BTreeMap::new());
    }
    sql.push_str(" GROUP BY c.at_paragraph");
    let mut counts = BTreeMap::new();
    for r in db.query(&sql, &values).await? {
        if let Some(p) = opt_u32(&r, 0)? {
            counts.insert(p, as_u32(&r, 1)?);
        }
    }
    Ok(counts)
}

/// The comments of a draft a reader may see, in the order they came, at most `limit`.
pub async fn comments(
    db: &Db,
    draft_id: i64,
    whose: &Whose,
    filter: &CommentFilter,
    limit: i64,
) -> Result<Vec<Comment>, StoreError> {
    let mut sql = format!("SELECT {} {COMMENT_FROM} WHERE c.draft_id = $1 AND c.id > $2", col::SQL);
    let mut values = vec![Value::from(draft_id), Value::from(filter.after_id.unwrap_or(0)), Value::from(limit)];
    if let Some(p) = filter.paragraph {
        values.push(Value::from(i64::from(p)));
        values.push(Value::from(false));
        sql.push_str(&format!(" AND c.at_paragraph = ${} AND c.outdated = ${}", values.len() - 1, values.len()));
    }
    if filter.undisposed {
        sql.push_str(" AND c.disposition IS NULL");
    }
    if !whose_condition(whose, &mut sql, &mut values) {
        return Ok(Vec::new());
    }
    sql.push_str(" ORDER BY c.id LIMIT $3");
    let mut list: Vec<Comment> = db.query(&sql, &values).await?.iter().map(comment_of).collect::<Result<_, _>>()?;
    // How many others wrote the same is the organisation's to know, not each sender's.
    if *whose != Whose::All {
        list.iter_mut().for_each(|c| c.same_text = 1);
    }
    Ok(list)
}

/// The same comment sent by many: its text (as the first sender wrote it), how many sent it,
/// how many of those are organisations, and how many have a disposition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentGroup {
    pub text: String,
    pub comments: u32,
    pub units: u32,
    pub disposed: u32,
    /// The first comment of the group: answering it answers the group on the page.
    pub first_comment_id: i64,
}

/// The comments standing in a paragraph of the latest version, the same ones grouped, the
/// most sent first.
pub async fn comment_groups(db: &Db, draft_id: i64, paragraph: u32) -> Result<Vec<CommentGroup>, StoreError> {
    let rows = db
        .query(
            "SELECT g.first, g.n, g.units, g.disposed, c.text
             FROM (SELECT MIN(id) AS first, COUNT(*) AS n, COUNT(org_id) AS units, COUNT(disposition) AS disposed
                   FROM congress_comments
                   WHERE draft_id = $1 AND at_paragraph = $2 AND outdated = $3
                   GROUP BY group_key) g
             JOIN congress_comments c ON c.id = g.first
             ORDER BY g.n DESC, g.first",
            params![draft_id, i64::from(paragraph), false],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CommentGroup {
                first_comment_id: r.int(0)?,
                comments: as_u32(r, 1)?,
                units: as_u32(r, 2)?,
                disposed: as_u32(r, 3)?,
                text: r.text(4)?,
            })
        })
        .collect()
}

/// Writes a comment, checked against the version it was made on and carried to where its quote
/// stands in the latest version. The draft must be open for comments on `today`.
pub async fn add_comment(tx: &mut Tx, actor: &Actor, new: &NewComment, today: NaiveDate) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let text = clean(&new.text);
    check_comment(&text, &mut problems);
    if let Sender::Org { members_agreeing: Some(0), .. } = new.sender {
        problems.add("members_agreeing", "Số đảng viên tán thành phải từ 1 trở lên");
    }
    let draft = draft_in(tx, new.draft_id).await?;
    if !draft.open_for_comments(today) {
        problems.add("draft", "Dự thảo không trong thời gian lấy ý kiến");
    }
    if new.version == 0 || new.version > draft.latest() {
        problems.add("version", format!("Dự thảo có các bản từ 1 đến {}", draft.latest()));
        return Err(StoreError::Invalid(problems.into_vec()));
    }
    let made_on = version_in(tx, new.draft_id, new.version).await?;
    let Some(paragraph_text) = (new.paragraph as usize).checked_sub(1).and_then(|i| made_on.paragraphs.get(i)) else {
        problems.add("paragraph", format!("Bản {} có các đoạn từ 1 đến {}", new.version, made_on.paragraphs.len()));
        return Err(StoreError::Invalid(problems.into_vec()));
    };
    // A comment on the whole paragraph keeps the paragraph's text as its quote, for the report.
    let whole = clean(&new.quote).is_empty();
    let quote = if whole { paragraph_text.clone() } else { clean(&new.quote) };
    if !paragraph_text.contains(quote.as_str()) {
        problems.add("quote", format!("Đoạn {} không có câu được trích", new.paragraph));
    }
    problems.finish().map_err(StoreError::Invalid)?;
    // Follow the comment from the version it was made on to the latest.
    let (mut at_version, mut at_paragraph, mut outdated) = (made_on.version, new.paragraph as usize, false);
    let mut from = made_on;
    while from.version < draft.latest() {
        let to = version_in(tx, new.draft_id, from.version + 1).await?;
        let followed = Succession::between(&from.paragraphs, &to.paragraphs).follow(
            at_paragraph,
            (!whole).then_some(quote.as_str()),
            &to.paragraphs,
        );
        match followed {
            Located::At { paragraph } => (at_version, at_paragraph) = (to.version, paragraph),
            Located::Outdated { .. } => {
                outdated = true;
                break;
            }
        }
        from = to;
    }
    let (member_id, org_id, agreeing) = match new.sender {
        Sender::Member(m) => (Some(m), None, None),
        Sender::Org { org_id, members_agreeing } => (None, Some(org_id), members_agreeing.map(i64::from)),
    };
    let id = tx
        .query_one(
            "INSERT INTO congress_comments (draft_id, version, paragraph, quote, whole_paragraph, text, group_key,
                 member_id, org_id, members_agreeing, from_paper, file_id, at_version, at_paragraph, outdated,
                 created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            params![
                new.draft_id,
                i64::from(new.version),
                i64::from(new.paragraph),
                quote.as_str(),
                whole,
                text.as_str(),
                group_key(&text).as_str(),
                member_id,
                org_id,
                agreeing,
                new.from_paper,
                new.file_id,
                i64::from(at_version),
                at_paragraph as i64,
                outdated,
                actor.id,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    // The audit log keeps where the comment points and who sent it, not what it says: a
    // member's opinion is read by the subcommittee, not logged (DESIGN.md §3).
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DraftComment,
            subject: Subject::draft_comment(id),
            before: None,
            after: Some(json!({
                "draft_id": new.draft_id, "version": new.version, "paragraph": new.paragraph,
                "member_id": member_id, "org_id": org_id, "from_paper": new.from_paper,
                "sha256": sha256_hex(&text),
            })),
        },
    )
    .await?;
    Ok(id)
}

/// Records the subcommittee's disposition of a comment and its reason (it may be changed until
/// the report is signed; the log keeps every one).
pub async fn dispose(
    tx: &mut Tx,
    actor: &Actor,
    comment_id: i64,
    disposition: Disposition,
    reason: &str,
) -> Result<(), StoreError> {
    let reason = clean(reason);
    let mut problems = Problems::new();
    check_reason(&reason, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let sql = match tx.backend() {
        crate::Backend::Postgres => "SELECT disposition, reason FROM congress_comments WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT disposition, reason FROM congress_comments WHERE id = $1",
    };
    let before = tx.query_one(sql, params![comment_id]).await?.ok_or(StoreError::NotFound)?;
    let n = tx
        .execute(
            "UPDATE congress_comments SET disposition = $2, reason = $3, disposed_by = $4, disposed_at = $5 WHERE id = $1",
            params![comment_id, disposition.as_str(), reason.as_str(), actor.id, crate::now_micros()],
        )
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DraftDisposition,
            subject: Subject::draft_comment(comment_id),
            before: Some(json!({ "disposition": before.opt_text(0)?, "reason": before.opt_text(1)? })),
            after: Some(json!({ "disposition": disposition.as_str(), "reason": reason })),
        },
    )
    .await?;
    Ok(())
}

//! Congresses: the use cases both the API and the pages call. The organisation's staff (in
//! scope, with a role that prepares congresses) plan the congress, write its drafts and dispose
//! of the comments; the committee above approves it. Everyone below the congress's organisation
//! reads its drafts: members comment from the handbook, the units below on behalf of their
//! organisation. A member sees their own comments, a unit its own, the congress's organisation
//! all of them.

pub mod api;
pub mod delegates;
pub mod documents;
pub mod pages;
pub mod subcommittees;
pub mod targets;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::congresses::targets::Target;
use dangvu_domain::congresses::{Disposition, Event};
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::tree::is_within;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::congresses::{
    self, Comment, CommentFilter, Congress, Draft, NewComment, NewCongress, Sender, Version, Whose,
};
use dangvu_store::orgs::Org;

use crate::AppState;
use crate::error::AppError;
use crate::scope::visible_org;
use crate::usecase::{actor, in_tx};

/// How an account stands to a congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Its organisation is in the account's scope and the account works for a committee (any
    /// role but a member's): it reads every comment.
    Staff,
    /// The account sits below the congress's organisation, or is a member's account of it: it
    /// reads the drafts and its own comments.
    Below,
}

/// A congress as one account sees it: the congress, its organisation as it stands today, and
/// how the account stands to it.
pub struct Seen {
    pub congress: Congress,
    pub org: Org,
    pub access: Access,
}

impl Seen {
    /// The account prepares this congress: its staff, with a role that prepares congresses.
    pub(crate) fn require_preparer(&self, user: &SessionUser) -> Result<(), AppError> {
        if self.access != Access::Staff || !user.user.role.may_prepare_congresses() {
            return Err(AppError::forbidden());
        }
        Ok(())
    }

    /// The account reads every comment, the groups and the report.
    pub(crate) fn require_staff(&self) -> Result<(), AppError> {
        if self.access == Access::Staff { Ok(()) } else { Err(AppError::forbidden()) }
    }
}

/// The congress, if the account may see it, and how. Otherwise 404.
pub async fn visible_congress(state: &AppState, user: &SessionUser, id: i64) -> Result<Seen, AppError> {
    let congress = congresses::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let org =
        dangvu_store::orgs::get(&state.db, congress.org_id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    // A member's account is scoped to the member's cell; on the cell's own congress it is one of
    // those who comment, never one who reads everybody's comments.
    let staff_role = user.user.role != dangvu_domain::accounts::Role::Member;
    let access = match &user.scope {
        Scope::Tree => Access::Staff,
        Scope::Subtree { path, .. } if staff_role && is_within(&org.path, path) => Access::Staff,
        Scope::Subtree { path, .. } if is_within(path, &org.path) => Access::Below,
        _ => return Err(AppError::NotFound),
    };
    Ok(Seen { congress, org, access })
}

/// A congress the account prepares: in scope (404 otherwise), then the role (403).
async fn prepared_congress(state: &AppState, user: &SessionUser, id: i64) -> Result<Seen, AppError> {
    let seen = visible_congress(state, user, id).await?;
    seen.require_preparer(user)?;
    Ok(seen)
}

pub async fn create(state: &AppState, user: &SessionUser, new: NewCongress) -> Result<Congress, AppError> {
    if !user.user.role.may_prepare_congresses() {
        return Err(AppError::forbidden());
    }
    crate::scope::org_field(state, user, new.org_id, "org_id").await?;
    let id = in_tx(state, async |tx| congresses::create(tx, &actor(user), &new).await).await?;
    congresses::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The congresses of the organisations of a subtree in scope, the latest first.
pub async fn list(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<Vec<Congress>, AppError> {
    let path = crate::scope::scope_path(state, user, org_id).await?;
    Ok(congresses::in_subtree(&state.db, &path, calendar::today(), 500).await?)
}

/// The higher committee approves the congress or sends it back; the organisation opens and
/// closes it. Approving takes an account whose scope lies strictly above the organisation (an
/// administrator of the whole tree for a root).
pub async fn change_state(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    event: Event,
    on: NaiveDate,
    note: &str,
) -> Result<Congress, AppError> {
    let Seen { org, .. } = prepared_congress(state, user, id).await?;
    if matches!(event, Event::Approve | Event::SendBack) && !crate::scope::is_strictly_above(user, &org) {
        return Err(AppError::Forbidden("Chỉ cấp ủy cấp trên duyệt hoặc trả lại đại hội này".into()));
    }
    in_tx(state, async |tx| congresses::change_state(tx, &actor(user), id, event, on, note).await).await
}

/// The draft and its congress as the account sees it.
pub async fn visible_draft(state: &AppState, user: &SessionUser, id: i64) -> Result<(Draft, Seen), AppError> {
    let draft = congresses::draft(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let seen = visible_congress(state, user, draft.congress_id).await?;
    Ok((draft, seen))
}

/// A draft whose congress the account prepares.
async fn prepared_draft(state: &AppState, user: &SessionUser, id: i64) -> Result<Draft, AppError> {
    let (draft, seen) = visible_draft(state, user, id).await?;
    seen.require_preparer(user)?;
    Ok(draft)
}

pub async fn create_draft(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
    title: &str,
    text: &str,
    window: (Option<NaiveDate>, Option<NaiveDate>),
    targets: Option<&[Target]>,
) -> Result<Draft, AppError> {
    prepared_congress(state, user, congress_id).await?;
    let id = in_tx(state, async |tx| {
        let id = congresses::create_draft(tx, &actor(user), congress_id, title, text, window.0, window.1).await?;
        if let Some(rows) = targets {
            congresses::targets::set(tx, id, 1, rows).await?;
        }
        Ok(id)
    })
    .await?;
    congresses::draft(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn add_version(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    text: &str,
    note: &str,
    targets: Option<&[Target]>,
) -> Result<Draft, AppError> {
    prepared_draft(state, user, draft_id).await?;
    in_tx(state, async |tx| {
        let version = congresses::add_version(tx, &actor(user), draft_id, text, note).await?;
        if let Some(rows) = targets {
            congresses::targets::set(tx, draft_id, version, rows).await?;
        }
        Ok(version)
    })
    .await?;
    congresses::draft(&state.db, draft_id).await?.ok_or(AppError::NotFound)
}

pub async fn set_window(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    window: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Draft, AppError> {
    prepared_draft(state, user, draft_id).await?;
    in_tx(state, async |tx| congresses::set_window(tx, &actor(user), draft_id, window.0, window.1).await).await?;
    congresses::draft(&state.db, draft_id).await?.ok_or(AppError::NotFound)
}

/// A version of a draft the account reads (the latest when none is asked).
pub async fn version(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    number: Option<u32>,
) -> Result<(Draft, Seen, Version), AppError> {
    let (draft, seen) = visible_draft(state, user, draft_id).await?;
    let version = version_of(state, &draft, number.unwrap_or(draft.latest())).await?;
    Ok((draft, seen, version))
}

/// A version of a draft already seen; a number it does not have is a field error.
async fn version_of(state: &AppState, draft: &Draft, number: u32) -> Result<Version, AppError> {
    congresses::version(&state.db, draft.id, number)
        .await?
        .ok_or_else(|| AppError::invalid("version", format!("Dự thảo có các bản từ 1 đến {}", draft.latest())))
}

/// A comment as a client sends it.
pub struct CommentInput {
    pub version: u32,
    pub paragraph: u32,
    pub quote: String,
    pub text: String,
    /// On behalf of this organisation; none: as the account's own member.
    pub on_behalf_of: Option<OrgId>,
    pub members_agreeing: Option<u32>,
    pub from_paper: bool,
}

/// Who the comment is from: the account's member (who must belong below the congress's
/// organisation), or an organisation below the congress's: for the congress's staff any in
/// their scope (typing in units' paper comments), for an account below only its own.
async fn sender_of(
    state: &AppState,
    user: &SessionUser,
    seen: &Seen,
    input: &CommentInput,
) -> Result<Sender, AppError> {
    let congress_org = &seen.org;
    match input.on_behalf_of {
        Some(org_id) => {
            if !user.user.role.may_report_tasks() {
                return Err(AppError::Forbidden("Tài khoản này không góp ý thay mặt tổ chức được".into()));
            }
            if seen.access == Access::Below && user.user.org_id != Some(org_id) {
                return Err(AppError::invalid("on_behalf_of_org_id", "Chỉ góp ý thay mặt tổ chức của tài khoản này"));
            }
            let org = match visible_org(state, user, org_id, calendar::today()).await {
                Ok(o) if o.active => o,
                _ => {
                    return Err(AppError::invalid("on_behalf_of_org_id", "Không có tổ chức này trong phạm vi của bạn"));
                }
            };
            if !is_within(&org.path, &congress_org.path) {
                return Err(AppError::invalid(
                    "on_behalf_of_org_id",
                    "Tổ chức này không thuộc đảng bộ tổ chức đại hội",
                ));
            }
            Ok(Sender::Org { org_id, members_agreeing: input.members_agreeing })
        }
        None => {
            let member = user.user.member_id.ok_or_else(|| {
                AppError::invalid("on_behalf_of_org_id", "Tài khoản không gắn với đảng viên: hãy chọn tổ chức góp ý")
            })?;
            let cell = dangvu_store::members::cell_of(&state.db, member).await?.ok_or(AppError::NotFound)?;
            let cell = dangvu_store::orgs::get(&state.db, cell, calendar::today()).await?.ok_or(AppError::NotFound)?;
            if !is_within(&cell.path, &congress_org.path) {
                return Err(AppError::Forbidden("Đảng viên không thuộc đảng bộ tổ chức đại hội này".into()));
            }
            Ok(Sender::Member(member))
        }
    }
}

pub async fn add_comment(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    input: CommentInput,
) -> Result<Comment, AppError> {
    let (_, seen) = visible_draft(state, user, draft_id).await?;
    if seen.congress.status == dangvu_domain::congresses::State::Closed {
        return Err(AppError::invalid("draft", "Đại hội đã bế mạc, không nhận góp ý nữa"));
    }
    let sender = sender_of(state, user, &seen, &input).await?;
    let new = NewComment {
        draft_id,
        version: input.version,
        paragraph: input.paragraph,
        quote: input.quote,
        text: input.text,
        sender,
        from_paper: input.from_paper,
        file_id: None,
    };
    let today = calendar::today();
    let id = in_tx(state, async |tx| congresses::add_comment(tx, &actor(user), &new, today).await).await?;
    let mut comment = congresses::comment(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if seen.access != Access::Staff {
        comment.same_text = 1;
    }
    Ok(comment)
}

/// Whose comments the account reads on a congress it stands to as `access`.
pub fn whose(user: &SessionUser, access: Access) -> Whose {
    match (access, &user.scope) {
        (Access::Staff, _) => Whose::All,
        (Access::Below, Scope::Subtree { path, .. }) => Whose::Own {
            member: user.user.member_id,
            scope_path: user.user.role.may_report_tasks().then(|| path.clone()),
        },
        (Access::Below, _) => Whose::Own { member: user.user.member_id, scope_path: None },
    }
}

pub async fn comments(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    filter: &CommentFilter,
    limit: i64,
) -> Result<Vec<Comment>, AppError> {
    let (_, seen) = visible_draft(state, user, draft_id).await?;
    Ok(congresses::comments(&state.db, draft_id, &whose(user, seen.access), filter, limit).await?)
}

/// A comment the account reads: any, for the congress's staff; otherwise its own (a member's)
/// or its organisation's. Otherwise 404.
pub async fn visible_comment(state: &AppState, user: &SessionUser, comment_id: i64) -> Result<Comment, AppError> {
    let comment = congresses::comment(&state.db, comment_id).await?.ok_or(AppError::NotFound)?;
    let (_, seen) = visible_draft(state, user, comment.draft_id).await?;
    let readable = match whose(user, seen.access) {
        Whose::All => true,
        Whose::Own { member, scope_path } => {
            (member.is_some() && comment.member_id == member)
                || match (comment.on_behalf_of_org_id, scope_path) {
                    (Some(org), Some(path)) => dangvu_store::orgs::get(&state.db, org, calendar::today())
                        .await?
                        .is_some_and(|o| is_within(&o.path, &path)),
                    _ => false,
                }
        }
    };
    if readable { Ok(comment) } else { Err(AppError::NotFound) }
}

/// The scanned page of a comment typed in from paper, attached by whoever typed such comments
/// in: the congress's preparers, or the office of the unit that sent it.
pub async fn attach_scan(
    state: &AppState,
    user: &SessionUser,
    comment_id: i64,
    file: impl Future<Output = Result<(String, Vec<u8>), AppError>>,
) -> Result<Comment, AppError> {
    let comment = visible_comment(state, user, comment_id).await?;
    let (_, seen) = visible_draft(state, user, comment.draft_id).await?;
    let preparer = seen.access == Access::Staff && user.user.role.may_prepare_congresses();
    let sender = comment.on_behalf_of_org_id.is_some() && user.user.role.may_report_tasks();
    if !(preparer || sender) {
        return Err(AppError::forbidden());
    }
    if !comment.from_paper {
        return Err(AppError::invalid("file", "Chỉ góp ý nhập từ phiếu giấy mới kèm bản quét"));
    }
    let (name, data) = file.await?;
    in_tx(state, async |tx| {
        dangvu_store::files::attach_to_draft_comment(tx, &actor(user), comment_id, &name, data).await
    })
    .await?;
    congresses::comment(&state.db, comment_id).await?.ok_or(AppError::NotFound)
}

/// The subcommittee's disposition of a comment (the congress's staff only).
pub async fn dispose(
    state: &AppState,
    user: &SessionUser,
    comment_id: i64,
    disposition: Disposition,
    reason: &str,
) -> Result<Comment, AppError> {
    let comment = congresses::comment(&state.db, comment_id).await?.ok_or(AppError::NotFound)?;
    let (_, seen) = visible_draft(state, user, comment.draft_id).await?;
    // A reader from below who cannot see this comment learns nothing of it.
    if seen.access != Access::Staff {
        return Err(AppError::NotFound);
    }
    seen.require_preparer(user)?;
    in_tx(state, async |tx| congresses::dispose(tx, &actor(user), comment_id, disposition, reason).await).await?;
    congresses::comment(&state.db, comment_id).await?.ok_or(AppError::NotFound)
}

pub fn router() -> crate::Routes {
    crate::Routes {
        api: api::router()
            .merge(delegates::api::router())
            .merge(documents::api::router())
            .merge(subcommittees::api::router())
            .merge(targets::api::router()),
        pages: pages::router().merge(delegates::pages::router()),
    }
}

/// Two versions of a draft compared paragraph by paragraph.
pub async fn comparison(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    from: u32,
    to: u32,
) -> Result<api::Comparison, AppError> {
    let (draft, _) = visible_draft(state, user, draft_id).await?;
    let old = version_of(state, &draft, from).await?;
    let new = version_of(state, &draft, to).await?;
    // Diffing is CPU work, bounded in time but not free: off the async threads.
    tokio::task::spawn_blocking(move || api::comparison_of(from, to, &old.paragraphs, &new.paragraphs))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The grouped comments of a paragraph (the congress's staff).
pub async fn groups(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    paragraph: u32,
) -> Result<Vec<dangvu_store::congresses::CommentGroup>, AppError> {
    visible_draft(state, user, draft_id).await?.1.require_staff()?;
    Ok(dangvu_store::congresses::comment_groups(&state.db, draft_id, paragraph).await?)
}

/// Where a row of the report stands and what it says: comments with the same key are one row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct LineKey {
    outdated: bool,
    paragraph: u32,
    version: u32,
    text: String,
    disposition: Option<&'static str>,
    reason: Option<String>,
}

/// The report's rows: comments in the order of the text (outdated ones last), the same text
/// at the same place with the same disposition and reason collapsed into one row.
pub fn disposition_lines(comments: Vec<Comment>) -> Vec<dangvu_reports::DispositionLine> {
    let mut keyed: Vec<(LineKey, Comment)> = comments
        .into_iter()
        .map(|c| {
            let key = LineKey {
                outdated: c.outdated,
                paragraph: c.at_paragraph.unwrap_or(0),
                version: c.at_version,
                text: dangvu_domain::congresses::group_key(&c.text),
                disposition: c.disposition.map(|d| d.as_str()),
                reason: c.reason.clone(),
            };
            (key, c)
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, a.1.id).cmp(&(&b.0, b.1.id)));
    let mut lines: Vec<dangvu_reports::DispositionLine> = Vec::new();
    let mut last: Option<LineKey> = None;
    for (key, c) in keyed {
        let sender = match (c.on_behalf_of_org_id, c.members_agreeing) {
            (Some(_), Some(n)) => format!("{} ({n} đảng viên tán thành)", c.sender),
            _ => c.sender.clone(),
        };
        if last.as_ref() == Some(&key)
            && let Some(line) = lines.last_mut()
        {
            line.senders.push(sender);
            continue;
        }
        let place = if key.outdated {
            format!("Đoạn {} của bản {}, bản mới không còn câu này", key.paragraph, key.version)
        } else {
            format!("Đoạn {}", key.paragraph)
        };
        // The place names a whole paragraph; words quoted from it are printed with the comment.
        let text = if c.whole_paragraph {
            c.text.clone()
        } else if c.quote.chars().count() > 160 {
            format!("{} (Trích: “{}…”)", c.text, c.quote.chars().take(160).collect::<String>())
        } else {
            format!("{} (Trích: “{}”)", c.text, c.quote)
        };
        lines.push(dangvu_reports::DispositionLine {
            place,
            text,
            senders: vec![sender],
            disposition: c.disposition.map_or("Chưa xử lý", |d| d.label()).to_owned(),
            reason: c.reason.clone().unwrap_or_default(),
        });
        last = Some(key);
    }
    lines
}

pub async fn disposition_report(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;

    let format = Format::document(format)?;
    let (draft, seen) = visible_draft(state, user, draft_id).await?;
    seen.require_staff()?;
    let mut report = disposition_report_of(&state.db, &draft, &seen.congress, &seen.org.name).await?;
    report.audit_head = crate::files::audit_head(state).await?;
    crate::files::printed(format, &format!("tiep-thu-giai-trinh-{draft_id}"), move |format| match format {
        Format::Docx => dangvu_reports::disposition_docx(&report),
        _ => dangvu_reports::disposition_pdf(&report),
    })
    .await
}

/// What the disposition report of a draft of `congress` (of the organisation `org_name`)
/// states, from the store.
pub async fn disposition_report_of(
    db: &dangvu_store::Db,
    draft: &Draft,
    congress: &Congress,
    org_name: &str,
) -> Result<dangvu_reports::DispositionReport, AppError> {
    let comments = congresses::every_comment(db, draft.id).await?;
    let latest = draft.versions.last().ok_or(AppError::NotFound)?;
    let from_units = comments.iter().filter(|c| c.on_behalf_of_org_id.is_some()).count() as u64;
    let mut totals: Vec<(String, u64)> = Disposition::ALL
        .iter()
        .map(|d| (d.label().to_owned(), comments.iter().filter(|c| c.disposition == Some(*d)).count() as u64))
        .collect();
    totals.push(("Chưa xử lý".to_owned(), comments.iter().filter(|c| c.disposition.is_none()).count() as u64));
    let total = comments.len() as u64;
    Ok(dangvu_reports::DispositionReport {
        audit_head: None,
        org: org_name.to_owned(),
        congress: format!("{}, nhiệm kỳ {}", congress.title, congress.term),
        draft: draft.title.clone(),
        version: latest.version,
        sha256: latest.sha256.clone(),
        place: congress.place.clone(),
        on: calendar::today(),
        comments: total,
        from_units,
        from_members: total - from_units,
        totals,
        lines: disposition_lines(comments),
    })
}

/// The organisation an account may comment for on a congress of the organisation at
/// `congress_path`: its own, when it lies below (or is) that organisation.
pub async fn units_below(
    state: &AppState,
    user: &SessionUser,
    congress_path: &str,
) -> Result<Vec<(OrgId, String)>, AppError> {
    let Scope::Subtree { org_id, path } = &user.scope else { return Ok(Vec::new()) };
    if !is_within(path, congress_path) {
        return Ok(Vec::new());
    }
    let org = dangvu_store::orgs::get(&state.db, *org_id, calendar::today()).await?;
    Ok(org.into_iter().filter(|o| o.active).map(|o| (o.id, o.name)).collect())
}

/// A committee pushes the plan of a term's congresses down to the organisations below it.
pub async fn push_plan(
    state: &AppState,
    user: &SessionUser,
    new: dangvu_store::congresses::NewPlan,
) -> Result<dangvu_store::congresses::Plan, AppError> {
    if !user.user.role.may_prepare_congresses() {
        return Err(AppError::forbidden());
    }
    crate::scope::org_field(state, user, new.org_id, "org_id").await?;
    let id = in_tx(state, async |tx| congresses::push_plan(tx, &actor(user), &new).await).await?;
    let org = visible_org(state, user, new.org_id, calendar::today()).await?;
    congresses::plans_reaching(&state.db, &org.path).await?.into_iter().find(|p| p.id == id).ok_or(AppError::NotFound)
}

/// The plans that reach an organisation in scope: pushed by it or by the committees above it.
pub async fn plans(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
) -> Result<Vec<dangvu_store::congresses::Plan>, AppError> {
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    Ok(congresses::plans_reaching(&state.db, &org.path).await?)
}

/// Where the organisations of a subtree in scope stand in a term's cycle on a day, plan by plan.
pub async fn progress(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    term: &str,
    on: NaiveDate,
) -> Result<Vec<dangvu_store::congresses::PlanProgress>, AppError> {
    let term = dangvu_domain::congresses::Term::parse(term)
        .ok_or_else(|| AppError::invalid("term", "Nhiệm kỳ viết như 2025-2030"))?
        .to_string();
    let org = visible_org(state, user, org_id, on).await?;
    Ok(congresses::progress(&state.db, &org.path, &term, on).await?)
}

/// A congress the signed-in account reads from below, with its drafts.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MyCongress {
    #[serde(flatten)]
    pub congress: Congress,
    /// The organisation's name.
    pub org_name: String,
    pub drafts: Vec<Draft>,
    /// The member's place in it, when the member is summoned or a delegate.
    pub place: Option<delegates::MyPlace>,
}

/// The congresses not yet closed of the account's own organisation and those above it: for a
/// member's account, of the member's cell and up.
pub async fn mine(state: &AppState, user: &SessionUser) -> Result<Vec<MyCongress>, AppError> {
    let today = calendar::today();
    let org = match user.user.member_id {
        Some(m) => dangvu_store::members::cell_of(&state.db, m).await?,
        None => user.user.org_id,
    };
    let Some(org) = org else { return Ok(Vec::new()) };
    let Some(org) = dangvu_store::orgs::get(&state.db, org, today).await? else { return Ok(Vec::new()) };
    let places = match user.user.member_id {
        Some(m) => dangvu_store::congresses::delegates::of_member(&state.db, m).await?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for congress in congresses::reaching(&state.db, &org.path).await? {
        let org_name =
            dangvu_store::orgs::get(&state.db, congress.org_id, today).await?.map(|o| o.name).unwrap_or_default();
        let drafts = congresses::drafts_of(&state.db, congress.id).await?;
        let place = places.iter().find(|d| d.congress_id == congress.id).map(delegates::MyPlace::from);
        out.push(MyCongress { congress, org_name, drafts, place });
    }
    Ok(out)
}

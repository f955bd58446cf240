//! The dues' pages: the report of a subtree with its units and arrears (`/dues`), a cell's book
//! for a month with the payments ticked in one go (`/dues/book`), and a member's year with the
//! basis, the decisions and a payment (`/members/{id}/dues`; the member reads the own).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use dangvu_domain::calendar;
use dangvu_domain::dues::{Category, ExemptionKind, Method, Month};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::dues::{BookLine, DuesReport, MemberDues};
use serde::Deserialize;

use super::{ExemptionInput, PaymentInput};
use crate::AppState;
use crate::error::AppError;
use crate::pages::{Layout, PageForm, PageId, PageQuery, PageResult, PageRoutes, PageUser, form_status, render_with};

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/dues", get(report))
        .route("/dues/book", get(book).post(record_book))
        .route("/members/{id}/dues", get(member))
        .route("/me/dues", get(mine))
        .route("/members/{id}/dues/basis", post(basis))
        .route("/members/{id}/dues/payments", post(payment))
        .route("/members/{id}/dues/exemptions", post(exemption))
}

/// 5.112: a count with the thousands dot.
pub fn count(n: impl std::borrow::Borrow<u32>) -> String {
    vi::number(i64::from(*n.borrow()))
}

/// 1.234.567 đ.
pub fn money(n: impl std::borrow::Borrow<i64>) -> String {
    format!("{} đ", vi::number(*n.borrow()))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    org_id: Option<i64>,
    period: Option<String>,
}

#[derive(Template)]
#[template(path = "dues/report.html")]
struct ReportPage {
    layout: Layout,
    r: DuesReport,
    period: String,
    label: String,
    holds_members: bool,
    month: String,
}

async fn report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<ReportQuery>,
) -> PageResult {
    let r = super::report(&state, &user, q.org_id.map(OrgId::from), q.period.as_deref()).await?;
    let org = super::dues_org(&state, &user, Some(r.org_id)).await?;
    let label = if r.from == r.to { r.from.label() } else { format!("{} – {}", r.from.label(), r.to.label()) };
    let page = ReportPage {
        layout: Layout::new(&user, "dues"),
        period: q.period.unwrap_or_default(),
        label,
        holds_members: org.kind.holds_members(),
        month: Month::of(calendar::today()).to_string(),
        r,
    };
    Ok(render_with(axum::http::StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct BookQuery {
    org_id: Option<i64>,
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "dues/book.html")]
struct BookPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    month: String,
    month_label: String,
    previous: String,
    next: String,
    lines: Vec<BookLine>,
    due: i64,
    paid: i64,
    keeps: bool,
    holds_members: bool,
    today: String,
    methods: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

async fn book_page(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    month: Option<&str>,
    errors: Vec<FieldError>,
) -> PageResult {
    let (org, month, lines) = super::month_book(state, user, org_id, month).await?;
    let page = BookPage {
        layout: Layout::new(user, "dues"),
        org_id: i64::from(org.id),
        org_name: org.name,
        month: month.to_string(),
        month_label: month.label(),
        previous: month.plus(-1).to_string(),
        next: month.next().to_string(),
        due: lines.iter().map(|l| l.month.due).sum(),
        paid: lines.iter().map(|l| l.month.paid).sum(),
        lines,
        keeps: user.user.role.may_keep_dues(),
        holds_members: org.kind.holds_members(),
        today: calendar::today().to_string(),
        methods: Method::ALL.iter().map(|m| (m.as_str(), m.label())).collect(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn book(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<BookQuery>,
) -> PageResult {
    book_page(&state, &user, q.org_id.map(OrgId::from), q.month.as_deref(), Vec::new()).await
}

/// The treasurer's sitting: the members ticked paid the amount typed beside them.
async fn record_book(State(state): State<AppState>, f: PageForm<Vec<(String, String)>>) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let org_id = get("org_id").parse::<i64>().ok().map(OrgId::from);
    let month = get("month");
    let result = async {
        let org_id = org_id.ok_or_else(|| AppError::invalid("org_id", "Hãy chọn chi bộ"))?;
        let inputs: Vec<PaymentInput> = form
            .iter()
            .filter(|(k, _)| k == "member")
            .filter_map(|(_, v)| v.parse::<i64>().ok())
            .map(|id| {
                let amount = get(&format!("amount_{id}")).replace(['.', ',', ' '], "");
                PaymentInput {
                    member_id: MemberId::from(id),
                    month: month.clone(),
                    amount: amount.parse().unwrap_or(0),
                    paid_on: get("paid_on"),
                    method: get("method"),
                    reference: Some(get(&format!("reference_{id}"))).filter(|r| !r.is_empty()),
                }
            })
            .collect();
        if inputs.is_empty() {
            return Err(AppError::invalid("payments", "Đánh dấu ít nhất một đảng viên đã nộp"));
        }
        super::record_payments(&state, &user, org_id, inputs).await
    }
    .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/dues/book?org_id={}&month={month}", org_id.map(i64::from).unwrap_or_default()))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => book_page(&state, &user, org_id, Some(&month), errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "dues/member.html")]
struct MemberPage {
    layout: Layout,
    d: MemberDues,
    keeps: bool,
    this_month: String,
    today: String,
    exempt_from: String,
    categories: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    methods: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

async fn member_page(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    year: Option<i32>,
    errors: Vec<FieldError>,
) -> PageResult {
    let d = super::member_dues(state, user, id, year).await?;
    let page = MemberPage {
        layout: Layout::new(user, "dues"),
        keeps: user.user.role.may_keep_dues(),
        this_month: Month::of(calendar::today()).to_string(),
        today: calendar::today().to_string(),
        exempt_from: d.exempt_from.map(vi::date).unwrap_or_default(),
        categories: Category::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        kinds: ExemptionKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        methods: Method::ALL.iter().map(|m| (m.as_str(), m.label())).collect(),
        d,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn member(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<MemberId>,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult {
    member_page(&state, &user, id, q.year, Vec::new()).await
}

#[derive(Template)]
#[template(path = "dues/mine.html")]
struct MinePage {
    name: String,
    csrf: String,
    d: MemberDues,
    exempt_from: String,
}

/// The member's own dues, in the handbook's shell.
async fn mine(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult {
    let id = user.user.member_id.ok_or(AppError::NotFound)?;
    let d = super::member_dues(&state, &user, id, q.year).await?;
    let page = MinePage {
        name: d.full_name.clone(),
        csrf: user.csrf_token.clone(),
        exempt_from: d.exempt_from.map(vi::date).unwrap_or_default(),
        d,
    };
    Ok(render_with(axum::http::StatusCode::OK, &page))
}

/// What a member's form answers: back to the year, or the page with the errors.
async fn after(state: &AppState, user: &SessionUser, id: MemberId, result: Result<(), AppError>) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/members/{}/dues", i64::from(id))).into_response()),
        Err(AppError::Invalid(errors)) => member_page(state, user, id, None, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct BasisForm {
    from: String,
    category: String,
    #[serde(default)]
    base: String,
}

fn amount(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    let digits = raw.replace(['.', ',', ' '], "");
    if digits.is_empty() {
        return Ok(None);
    }
    digits.parse().map(Some).map_err(|_| AppError::invalid(field, "Nhập số tiền bằng chữ số (đồng)"))
}

async fn basis(State(state): State<AppState>, PageId(id): PageId<MemberId>, f: PageForm<BasisForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let base = amount(&form.base, "base")?;
        super::set_basis(&state, &user, id, &form.from, &form.category, base).await.map(|_| ())
    }
    .await;
    after(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct PaymentForm {
    month: String,
    amount: String,
    paid_on: String,
    method: String,
    #[serde(default)]
    reference: String,
}

async fn payment(State(state): State<AppState>, PageId(id): PageId<MemberId>, f: PageForm<PaymentForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let amount = amount(&form.amount, "amount")?.ok_or_else(|| AppError::invalid("amount", "Nhập số tiền"))?;
        let input = PaymentInput {
            member_id: id,
            month: form.month,
            amount,
            paid_on: form.paid_on,
            method: form.method,
            reference: Some(form.reference).filter(|r| !r.trim().is_empty()),
        };
        super::record_payment(&state, &user, input).await.map(|_| ())
    }
    .await;
    after(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct ExemptionForm {
    kind: String,
    percent: Option<u32>,
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    decided_on: String,
    reference: String,
}

async fn exemption(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<ExemptionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let input = ExemptionInput {
        kind: form.kind,
        percent: form.percent,
        from: form.from,
        until: Some(form.until),
        decided_on: Some(form.decided_on).filter(|d| !d.trim().is_empty()),
        decided_by: None,
        reference: form.reference,
    };
    let result = super::add_exemption(&state, &user, id, input).await.map(|_| ());
    after(&state, &user, id, result).await
}

//! "Việc cần làm": what the account has to do next, gathered from the capabilities its role
//! works in — results waiting for the office, late tasks by unit, admission steps due and late,
//! probations ending, transfers to confirm, the cell's next meeting and minutes to approve,
//! members behind with their dues, petitions against their clocks. Each item links to the page
//! where it is done; nothing here is stored.

use chrono::{Days, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs::Org;
use dangvu_store::{cell_meetings, tasks};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;

/// One thing to do, with how many and where it is done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodoItem {
    /// What kind of work: `tasks_review`, `tasks_overdue`, `tasks_due_soon`, `admissions_late`,
    /// `admissions_due`, `probations_ending`, `transfers_to_confirm`, `next_cell_meeting`,
    /// `minutes_to_approve`, `member_tasks`, `dues_behind`, `petitions_overdue`, `petitions_due_soon`.
    pub kind: &'static str,
    /// The area of work it belongs to (Nhiệm vụ, Kết nạp đảng viên …).
    pub area: &'static str,
    pub label: String,
    pub count: i64,
    /// Past a deadline, or waiting on this account.
    pub urgent: bool,
    /// The page where it is done.
    pub href: String,
    /// A few lines that say which: units with late tasks, members, meetings.
    pub detail: Vec<String>,
}

/// What the account has to do, for the organisation at the top of its scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Todo {
    #[schema(value_type = i64)]
    pub org_id: dangvu_domain::ids::OrgId,
    pub org_name: String,
    /// Urgent first, then by area; empty when there is nothing to do.
    pub items: Vec<TodoItem>,
    /// Tasks whose deadline was yesterday: late from today (the home lists them apart).
    #[serde(skip)]
    pub missed_today: Vec<tasks::Task>,
    /// For those who read petitions: the subtree's against their clocks, and the open ones the
    /// account handles (the home lists them apart).
    #[serde(skip)]
    pub petitions: Option<(dangvu_store::petitions::Deadlines, Vec<dangvu_store::petitions::Petition>)>,
}

struct Items(Vec<TodoItem>);

impl Items {
    /// Adds an item when there is something to do.
    fn add(&mut self, item: TodoItem) {
        if item.count > 0 {
            self.0.push(item);
        }
    }
}

fn item(kind: &'static str, area: &'static str, label: String, count: i64, urgent: bool, href: String) -> TodoItem {
    TodoItem { kind, area, label, count, urgent, href, detail: Vec::new() }
}

/// Gathers the account's to-do for `org` (the top of its scope).
pub async fn gather(state: &AppState, user: &SessionUser, org: &Org) -> Result<Todo, AppError> {
    let role = user.user.role;
    let today = calendar::today();
    let settings = dangvu_store::settings::get(&state.db).await?;
    let mut items = Items(Vec::new());
    let missed_today = tasks_todo(state, user, org, today, settings.reminder_days, &mut items).await?;
    if role.may_keep_members() {
        admissions_todo(state, user, org, today, &settings.membership_rules, &mut items).await?;
        transfers_todo(state, org, today, &settings, &mut items).await?;
    }
    if role.may_hold_cell_meetings() && is_cell(org) {
        cell_todo(state, org, today, &mut items).await?;
    }
    if role.may_keep_dues() && is_cell(org) {
        dues_todo(state, user, org, today, &mut items).await?;
    }
    let mut petitions = None;
    if crate::petitions::reads_petitions(user) {
        let (d, mine) = crate::petitions::home(state, user, org).await?;
        let href = format!("/petitions?org_id={}&overdue=1", org.id);
        items.add(item("petitions_overdue", "Đơn thư", "Đơn thư quá hạn giải quyết".into(), d.overdue, true, href));
        let href = format!("/petitions?org_id={}", org.id);
        items.add(item("petitions_due_soon", "Đơn thư", "Đơn thư sắp đến hạn".into(), d.due_soon, false, href));
        petitions = Some((d, mine));
    }
    let mut items = items.0;
    // Stable: within the urgent and the rest, the areas keep the order they were gathered in.
    items.sort_by_key(|i| !i.urgent);
    Ok(Todo { org_id: org.id, org_name: org.name.clone(), items, missed_today, petitions })
}

fn is_cell(org: &Org) -> bool {
    org.kind.holds_members()
}

/// The tasks' items; answers the tasks late from today.
async fn tasks_todo(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    today: NaiveDate,
    days: i64,
    items: &mut Items,
) -> Result<Vec<tasks::Task>, AppError> {
    const AREA: &str = "Nhiệm vụ";
    if user.user.role.may_direct() {
        let n = tasks::pending_review_count(&state.db, &org.path, today).await?;
        let href = format!("/tasks?org_id={}&view=review", org.id);
        items.add(item("tasks_review", AREA, "Kết quả nhiệm vụ chờ xem xét, nghiệm thu".into(), n, true, href));
    }
    // Late work of earlier years is still late: counted from the first deadline on record.
    let since = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today);
    let s = tasks::summary(&state.db, &org.path, today, since, today).await?;
    let mut overdue = item(
        "tasks_overdue",
        AREA,
        "Nhiệm vụ quá hạn chưa hoàn thành".into(),
        s.counts.overdue,
        true,
        format!("/tasks?org_id={}&view=overdue", org.id),
    );
    overdue.detail = s
        .by_org
        .iter()
        .filter(|o| o.counts.overdue > 0)
        .take(5)
        .map(|o| format!("{}: {}", o.name, vi::number(o.counts.overdue)))
        .collect();
    items.add(overdue);
    let r = tasks::reminders(&state.db, &org.path, today, days).await?;
    let mut soon = item(
        "tasks_due_soon",
        AREA,
        format!("Nhiệm vụ đến hạn trong {days} ngày tới"),
        r.due_soon.len() as i64,
        false,
        format!("/tasks?org_id={}", org.id),
    );
    soon.detail = r.due_soon.iter().take(5).map(|t| format!("{} — hạn {}", t.title, due(t.due_on))).collect();
    items.add(soon);
    Ok(r.missed_today)
}

fn due(d: Option<NaiveDate>) -> String {
    d.map(vi::date).unwrap_or_else(|| "không thời hạn".into())
}

async fn admissions_todo(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    today: NaiveDate,
    rules: &dangvu_domain::members::MembershipRules,
    items: &mut Items,
) -> Result<(), AppError> {
    const AREA: &str = "Kết nạp đảng viên";
    let open = crate::members::admissions::list(state, user, &org.path, "open", None).await?;
    let late: Vec<_> = open.iter().filter(|v| v.is_late()).collect();
    let mut late_item = item(
        "admissions_late",
        AREA,
        "Hồ sơ kết nạp có bước quá hạn".into(),
        late.len() as i64,
        true,
        "/admissions?state=late".into(),
    );
    late_item.detail =
        late.iter().take(5).map(|v| format!("{}: {}", v.admission.full_name, v.current_label())).collect();
    items.add(late_item);
    let due_now: Vec<_> =
        open.iter().filter(|v| v.current.is_some_and(|s| s.state == dangvu_domain::members::StepState::Due)).collect();
    let mut due_item = item(
        "admissions_due",
        AREA,
        "Hồ sơ kết nạp đang trong thời hạn một bước".into(),
        due_now.len() as i64,
        false,
        "/admissions?state=due".into(),
    );
    due_item.detail = due_now
        .iter()
        .take(5)
        .map(|v| match v.current.and_then(|s| s.due_on) {
            Some(d) => format!("{}: {} — hạn {}", v.admission.full_name, v.current_label(), vi::date(d)),
            None => format!("{}: {}", v.admission.full_name, v.current_label()),
        })
        .collect();
    items.add(due_item);
    // Probations that end within the month ahead: the cell must review them within 30 working days.
    let horizon = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let ending: Vec<_> = open
        .iter()
        .filter_map(|v| {
            let ends = v.admission.case.probation_ends_on(rules)?;
            (v.admission.case.recognition_vote_on.is_none() && ends >= today && ends <= horizon).then_some((v, ends))
        })
        .collect();
    let mut ending_item = item(
        "probations_ending",
        AREA,
        "Đảng viên dự bị hết thời gian dự bị trong 30 ngày tới".into(),
        ending.len() as i64,
        false,
        "/admissions?state=open".into(),
    );
    ending_item.detail = ending
        .iter()
        .take(5)
        .map(|(v, ends)| format!("{}: hết dự bị {}", v.admission.full_name, vi::date(*ends)))
        .collect();
    items.add(ending_item);
    Ok(())
}

async fn transfers_todo(
    state: &AppState,
    org: &Org,
    today: NaiveDate,
    s: &dangvu_store::settings::Settings,
    items: &mut Items,
) -> Result<(), AppError> {
    let pending =
        dangvu_store::members::pending_transfers(&state.db, &org.path, today, &s.membership_rules, &s.holidays).await?;
    let late = pending.iter().any(|t| t.late);
    let href = match pending.first() {
        Some(t) => format!("/members/{}", t.member_id),
        None => "/members".into(),
    };
    let mut it = item(
        "transfers_to_confirm",
        "Đảng viên",
        "Đảng viên chuyển đến chờ chi bộ xác nhận".into(),
        pending.len() as i64,
        late,
        href,
    );
    it.detail = pending
        .iter()
        .take(5)
        .map(|t| {
            let late = if t.late { " (quá hạn)" } else { "" };
            format!(
                "{} từ {} — hạn nộp thư giới thiệu {}{late}",
                t.member_name,
                t.from_org_name,
                vi::date(t.letter_due_on)
            )
        })
        .collect();
    items.add(it);
    Ok(())
}

async fn cell_todo(state: &AppState, org: &Org, today: NaiveDate, items: &mut Items) -> Result<(), AppError> {
    const AREA: &str = "Sinh hoạt chi bộ";
    let now = calendar::local(chrono::Utc::now());
    let t = cell_meetings::cell_todo(&state.db, org.id, now, today).await?;
    if let Some(m) = &t.next {
        let mut next = item(
            "next_cell_meeting",
            AREA,
            format!("Buổi sinh hoạt tiếp theo: {} — {}", m.title, vi::day_and_time(m.scheduled_at)),
            1,
            false,
            format!("/cell-meetings/{}", m.id),
        );
        next.detail = vec![format!("{}/{} đảng viên đã trả lời tham dự", t.answered, t.expected)];
        items.add(next);
    }
    if let Some(first) = t.minutes_to_approve.first() {
        let mut minutes = item(
            "minutes_to_approve",
            AREA,
            "Biên bản chờ thông qua".into(),
            t.minutes_to_approve.len() as i64,
            true,
            format!("/cell-meetings/{}", first.id),
        );
        minutes.detail = t.minutes_to_approve.iter().take(5).map(|m| format!("{} ({})", m.title, m.month)).collect();
        items.add(minutes);
    }
    let count = t.member_tasks_to_review + t.member_tasks_overdue;
    let mut member_tasks = item(
        "member_tasks",
        AREA,
        "Nhiệm vụ của đảng viên cần theo dõi".into(),
        count,
        t.member_tasks_overdue > 0,
        "/cell-meetings".into(),
    );
    member_tasks.detail = vec![
        format!("Chờ bí thư xem xét: {}", vi::number(t.member_tasks_to_review)),
        format!("Quá hạn: {}", vi::number(t.member_tasks_overdue)),
    ];
    items.add(member_tasks);
    Ok(())
}

async fn dues_todo(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    today: NaiveDate,
    items: &mut Items,
) -> Result<(), AppError> {
    let month = dangvu_domain::dues::month::Month::of(today);
    let (_, _, lines) = crate::dues::month_book(state, user, Some(org.id), Some(&month.to_string())).await?;
    let behind: Vec<_> = lines.iter().filter(|l| l.needs_review).collect();
    let mut it = item(
        "dues_behind",
        "Đảng phí",
        "Đảng viên chưa đóng đảng phí từ 3 tháng trở lên: chi bộ xem xét".into(),
        behind.len() as i64,
        true,
        format!("/dues/book?org_id={}&month={month}", org.id),
    );
    it.detail = behind.iter().take(5).map(|l| format!("{}: {} tháng", l.full_name, l.unpaid_months)).collect();
    items.add(it);
    Ok(())
}

//! Tasks: status derived from dates, the kinds of meetings that give tasks, recurrences.

pub mod conclusion;
pub mod document;

use crate::ids::OrgId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::validation::Problems;

/// Where a task stands. Never stored: always derived from its dates, so it cannot drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Overdue,
    DoneOnTime,
    DoneLate,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] =
        [TaskStatus::Open, TaskStatus::Overdue, TaskStatus::DoneOnTime, TaskStatus::DoneLate];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Overdue => "overdue",
            TaskStatus::DoneOnTime => "done_on_time",
            TaskStatus::DoneLate => "done_late",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Open => "Đang thực hiện",
            TaskStatus::Overdue => "Quá hạn",
            TaskStatus::DoneOnTime => "Hoàn thành đúng hạn",
            TaskStatus::DoneLate => "Hoàn thành quá hạn",
        }
    }

    /// The status of a task with deadline `due_on`, done on `done_on`, as seen on `today`.
    /// A task is late from the day after its deadline.
    pub fn of(due_on: Option<NaiveDate>, done_on: Option<NaiveDate>, today: NaiveDate) -> TaskStatus {
        match (done_on, due_on) {
            (Some(done), Some(due)) if done > due => TaskStatus::DoneLate,
            (Some(_), _) => TaskStatus::DoneOnTime,
            (None, Some(due)) if due < today => TaskStatus::Overdue,
            (None, _) => TaskStatus::Open,
        }
    }

    /// The same rule in SQL, for counting in the database; `$today` is the parameter number.
    pub fn sql_case(today_param: usize) -> String {
        format!(
            "CASE WHEN t.done_on IS NOT NULL THEN \
               CASE WHEN t.due_on IS NOT NULL AND t.done_on > t.due_on THEN 'done_late' ELSE 'done_on_time' END \
             WHEN t.due_on IS NOT NULL AND t.due_on < ${today_param} THEN 'overdue' ELSE 'open' END"
        )
    }
}

/// Where the assigner's review of a task reported done stands: the assignee reports 100 %,
/// the work waits (`Pending`) until the one who assigned it accepts it or returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Not reported done (or a recurring duty moved on to its next period).
    None,
    Pending,
    Accepted,
    /// Sent back: the work is open again.
    Returned,
}

impl Review {
    pub const ALL: [Review; 4] = [Review::None, Review::Pending, Review::Accepted, Review::Returned];

    pub fn as_str(self) -> &'static str {
        match self {
            Review::None => "none",
            Review::Pending => "pending",
            Review::Accepted => "accepted",
            Review::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Review> {
        Review::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The review a progress report leads to: 100 % asks for one, less withdraws it.
    pub fn after_report(progress: i64) -> Review {
        if progress == 100 { Review::Pending } else { Review::None }
    }
}

/// A report duty that comes back every period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Recurrence {
    pub const ALL: [Recurrence; 4] =
        [Recurrence::Monthly, Recurrence::Quarterly, Recurrence::HalfYearly, Recurrence::Yearly];

    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::HalfYearly => "half_yearly",
            Recurrence::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Recurrence> {
        Recurrence::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Recurrence::Monthly => "Hằng tháng",
            Recurrence::Quarterly => "Hằng quý",
            Recurrence::HalfYearly => "6 tháng một lần",
            Recurrence::Yearly => "Hằng năm",
        }
    }

    fn months(self) -> u32 {
        match self {
            Recurrence::Monthly => 1,
            Recurrence::Quarterly => 3,
            Recurrence::HalfYearly => 6,
            Recurrence::Yearly => 12,
        }
    }

    /// The deadline of the next period: the same day of the month `months` later, or the
    /// last day of that month when it is shorter (31/1 → 28/2 or 29/2 → 31/3 … stays at
    /// month ends when the first deadline was a month end).
    pub fn next_due(self, due: NaiveDate) -> NaiveDate {
        let was_month_end = due.succ_opt().is_some_and(|d| d.month() != due.month());
        let total = due.year() * 12 + due.month0() as i32 + self.months() as i32;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        let last = last_day_of_month(year, month);
        let day = if was_month_end { last } else { due.day().min(last) };
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or(due)
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

/// The kinds of meetings whose conclusions give tasks (seeds 000, 002, 004).
pub const MEETING_KINDS: &[(&str, &str)] = &[
    ("standing_board", "Hội nghị Ban Thường vụ"),
    ("standing_office", "Họp Thường trực"),
    ("executive", "Hội nghị Ban Chấp hành"),
    ("quarterly_briefing", "Giao ban quý"),
    ("six_month_review", "Sơ kết 6 tháng"),
    ("annual_review", "Tổng kết năm"),
    ("congress_preparation", "Chuẩn bị đại hội"),
    ("working_session", "Làm việc với đơn vị"),
    ("other", "Cuộc họp khác"),
];

pub fn meeting_kind_label(kind: &str) -> &'static str {
    MEETING_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or("Cuộc họp")
}

/// A reporting period: `2024-Q2`, `2024-H1` or `2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (year, part) = match s.split_once('-') {
            Some((y, p)) => (y.parse::<i32>().ok()?, Some(p)),
            None => (s.parse::<i32>().ok()?, None),
        };
        if !(1930..=2200).contains(&year) {
            return None;
        }
        let (m1, m2) = match part {
            None => (1, 12),
            Some("H1") => (1, 6),
            Some("H2") => (7, 12),
            Some(q) => {
                let n: u32 = q.strip_prefix('Q')?.parse().ok()?;
                if !(1..=4).contains(&n) {
                    return None;
                }
                (n * 3 - 2, n * 3)
            }
        };
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, m1, 1)?,
            to: NaiveDate::from_ymd_opt(year, m2, last_day_of_month(year, m2))?,
        })
    }

    /// "quý II năm 2024", "6 tháng đầu năm 2024", "năm 2024".
    pub fn label(&self) -> String {
        let y = self.from.year();
        match (self.from.month(), self.to.month()) {
            (1, 12) => format!("năm {y}"),
            (1, 6) => format!("6 tháng đầu năm {y}"),
            (7, 12) => format!("6 tháng cuối năm {y}"),
            (m, _) => format!("quý {} năm {y}", ["I", "II", "III", "IV"][((m - 1) / 3) as usize]),
        }
    }
}

/// A task as it is assigned or edited: who assigns it, what, to which units, by when.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub org_id: OrgId,
    pub title: String,
    pub detail: String,
    /// The lead unit's organisation: the lead itself, or the organisation of the lead body.
    pub lead_org_id: OrgId,
    /// The body that leads, when the lead is a body of `lead_org_id` (a board, the office …).
    pub lead_body_id: Option<i64>,
    pub support_org_ids: Vec<OrgId>,
    /// Bodies that support, beside the organisations.
    pub support_body_ids: Vec<i64>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub recurrence: Option<String>,
    pub meeting_id: Option<i64>,
    pub document_id: Option<i64>,
}

impl NewTask {
    /// The rules every version of a task keeps, new or edited; `title` is the title as it
    /// will be stored (trimmed, normalised).
    pub fn check(&self, title: &str, problems: &mut Problems) {
        if title.is_empty() || title.chars().count() > 2000 {
            problems.add("title", "Nội dung nhiệm vụ gồm 1–2000 ký tự");
        }
        if self.detail.len() > 100_000 {
            problems.add("detail", "Mô tả quá dài");
        }
        if self.lead_body_id.is_none() && self.support_org_ids.contains(&self.lead_org_id) {
            problems.add("support_org_ids", "Đơn vị chủ trì không đồng thời là đơn vị phối hợp");
        }
        if let Some(lead) = self.lead_body_id
            && self.support_body_ids.contains(&lead)
        {
            problems.add("support_body_ids", "Đơn vị chủ trì không đồng thời là đơn vị phối hợp");
        }
        if self.support_body_ids.len() > 200 {
            problems.add("support_body_ids", "Tối đa 200 cơ quan phối hợp");
        }
        if self.support_org_ids.len() > 200 {
            problems.add("support_org_ids", "Tối đa 200 đơn vị phối hợp");
        }
        if let Some(r) = &self.recurrence
            && Recurrence::parse(r).is_none()
        {
            problems.add("recurrence", "Chu kỳ phải là monthly, quarterly, half_yearly hoặc yearly");
        }
        if self.recurrence.is_some() && self.due_on.is_none() {
            problems.add("due_on", "Nhiệm vụ định kỳ cần hạn của kỳ đầu tiên");
        }
        if let (Some(s), Some(d)) = (self.starts_on, self.due_on)
            && s > d
        {
            problems.add("due_on", "Hạn hoàn thành trước ngày bắt đầu");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn status_rules() {
        let today = d(2025, 6, 10);
        assert_eq!(TaskStatus::of(None, None, today), TaskStatus::Open);
        assert_eq!(TaskStatus::of(Some(d(2025, 6, 10)), None, today), TaskStatus::Open, "due today is not late yet");
        assert_eq!(TaskStatus::of(Some(d(2025, 6, 9)), None, today), TaskStatus::Overdue);
        assert_eq!(TaskStatus::of(Some(d(2025, 6, 9)), Some(d(2025, 6, 9)), today), TaskStatus::DoneOnTime);
        assert_eq!(TaskStatus::of(Some(d(2025, 6, 9)), Some(d(2025, 6, 10)), today), TaskStatus::DoneLate);
        assert_eq!(TaskStatus::of(None, Some(d(2025, 1, 1)), today), TaskStatus::DoneOnTime);
    }

    #[test]
    fn recurrences_keep_month_ends() {
        assert_eq!(Recurrence::Monthly.next_due(d(2024, 1, 31)), d(2024, 2, 29));
        assert_eq!(Recurrence::Monthly.next_due(d(2024, 2, 29)), d(2024, 3, 31));
        assert_eq!(Recurrence::Monthly.next_due(d(2025, 1, 15)), d(2025, 2, 15));
        assert_eq!(Recurrence::Quarterly.next_due(d(2025, 3, 31)), d(2025, 6, 30));
        assert_eq!(Recurrence::Quarterly.next_due(d(2025, 11, 30)), d(2026, 2, 28));
        assert_eq!(Recurrence::HalfYearly.next_due(d(2025, 6, 30)), d(2025, 12, 31));
        assert_eq!(Recurrence::Yearly.next_due(d(2024, 2, 29)), d(2025, 2, 28));
    }

    #[test]
    fn periods() {
        let q2 = Period::parse("2024-Q2").unwrap();
        assert_eq!((q2.from, q2.to), (d(2024, 4, 1), d(2024, 6, 30)));
        assert_eq!(q2.label(), "quý II năm 2024");
        let h1 = Period::parse("2024-H1").unwrap();
        assert_eq!((h1.from, h1.to), (d(2024, 1, 1), d(2024, 6, 30)));
        let y = Period::parse("2024").unwrap();
        assert_eq!((y.from, y.to), (d(2024, 1, 1), d(2024, 12, 31)));
        for bad in ["2024-Q5", "2024-Q0", "24", "2024-H3", "quý 2", ""] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn next_due_is_later_and_valid(y in 1990i32..2100, m in 1u32..=12, day in 1u32..=31, r in 0usize..4) {
            if let Some(due) = NaiveDate::from_ymd_opt(y, m, day) {
                let next = Recurrence::ALL[r].next_due(due);
                prop_assert!(next > due);
            }
        }

        #[test]
        fn status_matches_sql_rule(due in proptest::option::of(0i64..60), done in proptest::option::of(0i64..60), today in 0i64..60) {
            let base = d(2025, 1, 1);
            let at = |n: i64| base + chrono::Days::new(n as u64);
            let s = TaskStatus::of(due.map(at), done.map(at), at(today));
            let expected = match (done, due) {
                (Some(x), Some(y)) => if x > y { "done_late" } else { "done_on_time" },
                (Some(_), None) => "done_on_time",
                (None, Some(y)) => if y < today { "overdue" } else { "open" },
                (None, None) => "open",
            };
            prop_assert_eq!(s.as_str(), expected);
        }
    }

    #[test]
    fn a_task_is_checked_for_every_field_at_once() {
        let on = |s: &str| s.parse::<NaiveDate>().unwrap();
        let task = super::NewTask {
            org_id: OrgId(1),
            title: String::new(),
            detail: String::new(),
            lead_org_id: OrgId(7),
            support_org_ids: vec![OrgId(8), OrgId(7)],
            support_body_ids: vec![],
            lead_body_id: None,
            starts_on: Some(on("2026-05-01")),
            due_on: None,
            recurrence: Some("weekly".into()),
            meeting_id: None,
            document_id: None,
        };
        let mut problems = crate::validation::Problems::new();
        task.check("", &mut problems);
        let fields: Vec<String> = problems.finish().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "support_org_ids", "recurrence", "due_on"]);
        let fine = super::NewTask {
            support_org_ids: vec![OrgId(8)],
            support_body_ids: vec![],
            lead_body_id: None,
            due_on: Some(on("2026-06-30")),
            recurrence: Some("monthly".into()),
            ..task
        };
        let mut problems = crate::validation::Problems::new();
        fine.check("Báo cáo tiến độ", &mut problems);
        assert!(problems.finish().is_ok());
    }
}

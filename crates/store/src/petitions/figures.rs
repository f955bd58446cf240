//! The figures of a register for a subtree and a period: letters received, handled, resolved
//! on time and late, open and overdue, by kind, status, channel, subject and competent body,
//! and the monthly trend ("đơn thư … tăng" is a trend people want to see). Read in one grouped
//! query; the counts never name a sender or a case.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::petitions::{Channel, Concerns, Kind, State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Backend, Db, StoreError, params};

/// The counts of one group of letters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    pub received: i64,
    /// Not kept with a reason.
    pub handled: i64,
    pub not_handled: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub resolved_late: i64,
    /// Still open (received, held, accepted, paused).
    pub open: i64,
    /// Open and past their deadline today.
    pub overdue: i64,
    /// Within their deadline: resolved on time, or open and not yet past it.
    pub on_time: i64,
    /// Past their deadline: resolved late, or open and overdue.
    pub late: i64,
}

impl Counts {
    fn add(&mut self, state: State, late: bool, overdue: bool, n: i64) {
        self.received += n;
        if state == State::NotHandled {
            self.not_handled += n;
        } else {
            self.handled += n;
        }
        if state == State::Resolved {
            self.resolved += n;
            if late {
                self.resolved_late += n;
            } else {
                self.resolved_on_time += n;
            }
        }
        if !state.is_closed() {
            self.open += n;
        }
        if overdue {
            self.overdue += n;
        }
        let open = !state.is_closed();
        if (state == State::Resolved && late) || (open && overdue) {
            self.late += n;
        } else if state == State::Resolved || (open && !overdue) {
            self.on_time += n;
        }
    }
}

/// One line of a breakdown (its key is the map's: `denunciation`, `post` …, an organisation's
/// id): its words and its counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    pub label: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The letters received in one month and those of them resolved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub received: i64,
    pub resolved: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every letter received in the period (also at the top level of the answer).
    #[serde(flatten)]
    pub total: Counts,
    /// By kind: `complaint`, `denunciation`, `proposal`, `feedback`.
    pub by_kind: BTreeMap<String, Line>,
    /// By the state they are in now: `received`, `accepted`, `resolved` …
    pub by_status: BTreeMap<String, Line>,
    pub by_channel: BTreeMap<String, Line>,
    /// `member`, `org`, `state`.
    pub by_concerns: BTreeMap<String, Line>,
    /// By the id of the organisation whose bodies are competent (`none`: not routed).
    pub by_competent: BTreeMap<String, Line>,
    pub months: Vec<Month>,
}

/// The figures of the subtree at `path` for the letters received from `from` to `to`, their
/// deadlines read against `today`.
pub async fn figures(
    db: &Db,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Figures, StoreError> {
    let month = match db.backend() {
        Backend::Sqlite => "substr(p.received_on, 1, 7)",
        Backend::Postgres => "to_char(p.received_on, 'YYYY-MM')",
    };
    let sql = format!(
        "SELECT p.kind, p.channel, p.concerns, p.state, p.competent_org_id, {month},
             CASE WHEN (p.state = 'resolved' AND p.due_on IS NOT NULL AND p.closed_on > p.due_on)
                    OR (p.state IN ('not_handled', 'forwarded') AND p.closed_on > p.accept_due_on)
                  THEN 1 ELSE 0 END,
             CASE WHEN (p.state = 'received' AND p.accept_due_on < $4) OR (p.state = 'accepted' AND p.due_on < $4)
                  THEN 1 ELSE 0 END,
             COUNT(*)
         FROM petitions p
         WHERE +p.org_id IN (SELECT org_id FROM org_versions WHERE path >= $1 AND path < $2)
           AND p.received_on >= $3 AND p.received_on <= $5
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    );
    // `+p.org_id`: a period is read through the index of the day received; the subtree is a
    // filter (read through the organisations' index, a large subtree reads every year).
    let rows = db.query(&sql, params![path, subtree_end(path), from, today, to]).await?;
    let competent_ids: Vec<OrgId> = {
        let mut ids: Vec<OrgId> = rows.iter().filter_map(|r| r.opt_id(4).ok().flatten()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let names = crate::orgs::names(db, &competent_ids, today).await?;
    let mut total = Counts::default();
    let mut kinds: BTreeMap<Kind, Counts> = BTreeMap::new();
    let mut states: BTreeMap<State, Counts> = BTreeMap::new();
    let mut channels: BTreeMap<Channel, Counts> = BTreeMap::new();
    let mut subjects: BTreeMap<&'static str, (&'static str, Counts)> = BTreeMap::new();
    let mut competent: BTreeMap<String, (String, Counts)> = BTreeMap::new();
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in &rows {
        let kind = r.word(0, Kind::parse)?;
        let channel = r.word(1, Channel::parse)?;
        let concerns = r.word(2, Concerns::parse)?;
        let state = r.word(3, State::parse)?;
        let org: Option<i64> = r.opt_int(4)?;
        let (late, overdue, n) = (r.int(6)? == 1, r.int(7)? == 1, r.int(8)?);
        total.add(state, late, overdue, n);
        kinds.entry(kind).or_default().add(state, late, overdue, n);
        states.entry(state).or_default().add(state, late, overdue, n);
        channels.entry(channel).or_default().add(state, late, overdue, n);
        subjects
            .entry(concerns.as_str())
            .or_insert((concerns.label(), Counts::default()))
            .1
            .add(state, late, overdue, n);
        let (key, label) = match org {
            Some(id) => (id.to_string(), names.get(&OrgId::from(id)).cloned().unwrap_or_default()),
            None => ("none".to_owned(), "Chưa xác định".to_owned()),
        };
        competent.entry(key).or_insert((label, Counts::default())).1.add(state, late, overdue, n);
        let m = months.entry(r.text(5)?).or_default();
        m.0 += n;
        if state == State::Resolved {
            m.1 += n;
        }
    }
    let line = |key: &str, label: &str, counts: Counts| (key.to_owned(), Line { label: label.to_owned(), counts });
    Ok(Figures {
        from,
        to,
        total,
        by_kind: kinds.into_iter().map(|(k, c)| line(k.as_str(), k.label(), c)).collect(),
        by_status: states.into_iter().map(|(s, c)| line(s.as_str(), s.label(), c)).collect(),
        by_channel: channels.into_iter().map(|(k, c)| line(k.as_str(), k.label(), c)).collect(),
        by_concerns: subjects.into_iter().map(|(k, (l, c))| line(k, l, c)).collect(),
        by_competent: competent.into_iter().map(|(k, (l, c))| line(&k, &l, c)).collect(),
        months: months_between(from, to, &months),
    })
}

/// Every month of the period, the empty ones too (a chart with a gap would mislead).
fn months_between(from: NaiveDate, to: NaiveDate, counted: &BTreeMap<String, (i64, i64)>) -> Vec<Month> {
    use chrono::Datelike;
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) && out.len() < 240 {
        let key = format!("{y:04}-{m:02}");
        let (received, resolved) = counted.get(&key).copied().unwrap_or_default();
        out.push(Month { month: key, received, resolved });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

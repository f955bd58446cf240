//! The minutes of a cell meeting, in versions: a draft is rewritten freely; once read back
//! and approved it is locked (a trigger refuses changes), and a later change is a new version.

use chrono::{DateTime, FixedOffset};
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::Event;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{CellMeeting, get_in, move_to};
use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// A resolution of the meeting with its vote (by show of hands).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Resolution {
    pub text: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
}

/// How the meeting judged its own quality (tự đánh giá chất lượng buổi sinh hoạt).
pub const SELF_SCORES: [(&str, &str); 4] =
    [("good", "Tốt"), ("fair", "Khá"), ("average", "Trung bình"), ("poor", "Kém")];

/// The facts at the head of the minutes, as the template asks for them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MinutesHead {
    /// Who chaired (chủ trì).
    pub chair: String,
    /// Who kept the minutes (thư ký).
    pub secretary: String,
    /// Guests, such as the superior's representative.
    pub guests: String,
    /// `HH:MM` the meeting began and ended: the rules ask for 90 minutes at least (120 when a
    /// regular and a thematic meeting are held together).
    pub started_at: String,
    pub ended_at: String,
    /// `good`, `fair`, `average` or `poor`; empty until the meeting scores itself.
    pub self_score: String,
}

impl MinutesHead {
    /// Minutes between the start and the end, when both are given.
    pub fn length_minutes(&self) -> Option<i64> {
        let t = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
        Some((t(&self.ended_at)? - t(&self.started_at)?).num_minutes())
    }

    pub fn self_score_label(&self) -> &'static str {
        SELF_SCORES.iter().find(|(k, _)| *k == self.self_score).map_or("", |(_, l)| l)
    }

    fn check(&self, problems: &mut Problems) -> MinutesHead {
        let head = MinutesHead {
            chair: clean(&self.chair),
            secretary: clean(&self.secretary),
            guests: clean(&self.guests),
            started_at: self.started_at.trim().to_owned(),
            ended_at: self.ended_at.trim().to_owned(),
            self_score: self.self_score.trim().to_owned(),
        };
        for (field, v) in [("chair", &head.chair), ("secretary", &head.secretary), ("guests", &head.guests)] {
            if v.chars().count() > 500 {
                problems.add(field, "Tối đa 500 ký tự");
            }
        }
        for (field, v) in [("started_at", &head.started_at), ("ended_at", &head.ended_at)] {
            if !v.is_empty() && chrono::NaiveTime::parse_from_str(v, "%H:%M").is_err() {
                problems.add(field, "Giờ phải có dạng HH:MM");
            }
        }
        if head.length_minutes().is_some_and(|m| m <= 0) {
            problems.add("ended_at", "Giờ kết thúc phải sau giờ bắt đầu");
        }
        if !head.self_score.is_empty() && !SELF_SCORES.iter().any(|(k, _)| *k == head.self_score) {
            problems.add("self_score", "Tự đánh giá là good, fair, average hoặc poor");
        }
        head
    }
}

impl Resolution {
    /// The resolution as the minutes write it, with its vote when one was counted.
    pub fn describe(&self) -> String {
        match (self.votes_for, self.votes_against, self.votes_abstain) {
            (None, None, None) => self.text.clone(),
            (f, a, b) => format!(
                "{} (tán thành {}, không tán thành {}, không biểu quyết {})",
                self.text,
                f.unwrap_or(0),
                a.unwrap_or(0),
                b.unwrap_or(0)
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Minutes {
    pub meeting_id: i64,
    /// 1 for the first minutes; each change after approval adds one.
    pub version: i64,
    pub head: MinutesHead,
    pub text: String,
    pub resolutions: Vec<Resolution>,
    /// Why this version replaces an approved one.
    pub change_reason: String,
    /// When the minutes were approved; from then on this version is locked.
    #[schema(value_type = Option<String>)]
    pub approved_at: Option<DateTime<FixedOffset>>,
}

/// The latest version of the minutes, if any.
pub async fn current_minutes(db: &Db, meeting_id: i64) -> Result<Option<Minutes>, StoreError> {
    Ok(minutes_versions(db, meeting_id).await?.into_iter().next())
}

/// Every version, newest first.
pub async fn minutes_versions(db: &Db, meeting_id: i64) -> Result<Vec<Minutes>, StoreError> {
    let rows = db
        .query(
            "SELECT id, version, text, change_reason, approved_at, content FROM cell_meeting_minutes
             WHERE meeting_id = $1 ORDER BY version DESC",
            params![meeting_id],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let resolutions = db
            .query(
                "SELECT text, votes_for, votes_against, votes_abstain FROM cell_meeting_resolutions
                 WHERE minutes_id = $1 ORDER BY ordinal",
                params![r.int(0)?],
            )
            .await?
            .iter()
            .map(|x| {
                Ok(Resolution {
                    text: x.text(0)?,
                    votes_for: x.opt_int(1)?,
                    votes_against: x.opt_int(2)?,
                    votes_abstain: x.opt_int(3)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(Minutes {
            meeting_id,
            head: serde_json::from_str(&r.text(5)?).unwrap_or_default(),
            version: r.int(1)?,
            text: r.text(2)?,
            resolutions,
            change_reason: r.text(3)?,
            approved_at: r.opt_int(4)?.map(|us| calendar::local(crate::from_micros(us))),
        });
    }
    Ok(out)
}

fn check(text: &str, resolutions: &[Resolution], problems: &mut Problems) -> (String, Vec<Resolution>) {
    let text = dangvu_domain::text::nfc(text.trim());
    if text.chars().count() > 200_000 {
        problems.add("text", "Biên bản tối đa 200.000 ký tự");
    }
    if resolutions.len() > 100 {
        problems.add("resolutions", "Tối đa 100 nghị quyết");
    }
    let mut out = Vec::with_capacity(resolutions.len());
    for (i, r) in resolutions.iter().enumerate() {
        let t = clean(&r.text);
        if t.is_empty() || t.chars().count() > 2000 {
            problems.add(format!("resolutions[{i}].text"), "Nội dung nghị quyết gồm 1–2.000 ký tự");
        }
        for (name, v) in
            [("votes_for", r.votes_for), ("votes_against", r.votes_against), ("votes_abstain", r.votes_abstain)]
        {
            if v.is_some_and(|v| !(0..=100_000).contains(&v)) {
                problems.add(format!("resolutions[{i}].{name}"), "Số phiếu phải từ 0 đến 100.000");
            }
        }
        out.push(Resolution { text: t, ..r.clone() });
    }
    (text, out)
}

/// Writes the minutes: the draft is replaced; approved minutes stay as they are and the text
/// becomes a new version, which must say why.
pub async fn save_minutes(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    head: &MinutesHead,
    text: &str,
    resolutions: &[Resolution],
    change_reason: &str,
) -> Result<Minutes, StoreError> {
    let mut problems = Problems::new();
    let next = meeting.state.after(Event::WriteMinutes);
    if let Err(why) = next {
        problems.add("state", why);
    }
    let head = head.check(&mut problems);
    let (text, resolutions) = check(text, resolutions, &mut problems);
    let latest = tx
        .query_one(
            "SELECT id, version, approved_at FROM cell_meeting_minutes WHERE meeting_id = $1
             ORDER BY version DESC LIMIT 1",
            params![meeting.id],
        )
        .await?;
    let latest = match latest {
        Some(r) => Some((r.int(0)?, r.int(1)?, r.opt_int(2)?.is_some())),
        None => None,
    };
    let amends = latest.is_some_and(|(_, _, approved)| approved);
    let change_reason = clean(change_reason);
    if change_reason.chars().count() > 1000 {
        problems.add("change_reason", "Lý do sửa tối đa 1.000 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let content = serde_json::to_string(&head).map_err(|e| StoreError::Decode(e.to_string()))?;
    // An approved version is kept; the change is recorded with the reason given, or a plain one.
    let change_reason = match (amends, change_reason.is_empty()) {
        (true, true) => "Sửa đổi sau khi biên bản đã thông qua".to_string(),
        _ => change_reason,
    };
    let (minutes_id, version) = match latest {
        Some((id, version, false)) => {
            tx.execute(
                "UPDATE cell_meeting_minutes SET text = $2, change_reason = $3, content = $4 WHERE id = $1",
                params![id, text.as_str(), change_reason.as_str(), content.as_str()],
            )
            .await?;
            tx.execute("DELETE FROM cell_meeting_resolutions WHERE minutes_id = $1", params![id]).await?;
            (id, version)
        }
        other => {
            let version = other.map_or(1, |(_, v, _)| v + 1);
            let id = tx
                .query_one(
                    "INSERT INTO cell_meeting_minutes (meeting_id, version, text, change_reason, content, created_by,
                         created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    params![
                        meeting.id,
                        version,
                        text.as_str(),
                        change_reason.as_str(),
                        content.as_str(),
                        actor.id,
                        crate::now_micros()
                    ],
                )
                .await?
                .ok_or(StoreError::NotFound)?
                .int(0)?;
            (id, version)
        }
    };
    for (i, r) in resolutions.iter().enumerate() {
        tx.execute(
            "INSERT INTO cell_meeting_resolutions (minutes_id, ordinal, text, votes_for, votes_against, votes_abstain)
             VALUES ($1, $2, $3, $4, $5, $6)",
            params![minutes_id, i as i64 + 1, r.text.as_str(), r.votes_for, r.votes_against, r.votes_abstain],
        )
        .await?;
    }
    // A new version after approval must itself be approved again (the meeting is held again).
    if let Ok(next) = next {
        move_to(tx, meeting, next).await?;
    }
    tx.execute("UPDATE cell_meetings SET minutes_version = $2 WHERE id = $1", params![meeting.id, version]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: if amends { Action::CellMeetingMinutesAmend } else { Action::CellMeetingMinutes },
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"version": version, "resolutions": resolutions.len(), "change_reason": change_reason})),
        },
    )
    .await?;
    Ok(Minutes { meeting_id: meeting.id, version, head, text, resolutions, change_reason, approved_at: None })
}

/// The minutes were read back and the meeting approved them: the latest version is locked.
pub async fn approve_minutes(tx: &mut Tx, actor: &Actor, meeting: &CellMeeting) -> Result<CellMeeting, StoreError> {
    let mut problems = Problems::new();
    let next = meeting.state.after(Event::ApproveMinutes);
    if let Err(why) = next {
        problems.add("state", why);
    }
    let latest = tx
        .query_one(
            "SELECT id, version FROM cell_meeting_minutes WHERE meeting_id = $1 AND approved_at IS NULL
             ORDER BY version DESC LIMIT 1",
            params![meeting.id],
        )
        .await?;
    if latest.is_none() {
        problems.add("minutes", "Chưa có biên bản để thông qua");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let latest = latest.ok_or(StoreError::NotFound)?;
    let (id, version) = (latest.int(0)?, latest.int(1)?);
    tx.execute(
        "UPDATE cell_meeting_minutes SET approved_at = $2, approved_by = $3 WHERE id = $1",
        params![id, crate::now_micros(), actor.id],
    )
    .await?;
    if let Ok(next) = next {
        move_to(tx, meeting, next).await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingMinutesApprove,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"version": version})),
        },
    )
    .await?;
    get_in(tx, meeting.id).await?.ok_or(StoreError::NotFound)
}

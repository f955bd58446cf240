//! The member's handbook on a phone (Sổ tay đảng viên): the next meetings of the own cell with
//! the member's reply, and the past ones. Light pages: no script, one stylesheet.

use askama::Template;
use axum::response::IntoResponse;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::State;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::{self, HandbookLine};

use crate::AppState;
use crate::cell_meetings::start_of_today;
use crate::pages::{PageResult, render};

/// A meeting in the handbook's lists.
pub struct Line {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub state: &'static str,
}

impl Line {
    fn of(m: &HandbookLine) -> Line {
        Line {
            id: m.id,
            title: m.title.clone(),
            when: dangvu_domain::vi::day_and_time(m.scheduled_at),
            state: m.state.label(),
        }
    }
}

pub struct Upcoming {
    pub row: Line,
    pub reply: &'static str,
}

#[derive(Template)]
#[template(path = "cell_meetings/handbook.html")]
struct HandbookPage {
    csrf: String,
    name: String,
    cell: String,
    has_cell: bool,
    upcoming: Vec<Upcoming>,
    past: Vec<Line>,
    tasks: Vec<super::meetings::TaskView>,
    /// The member's awards and badges: (date, what, title).
    awards: Vec<(String, String, String)>,
    /// The next Party badge and the day party age reaches it.
    next_badge: Option<(u32, String)>,
    done: Option<&'static str>,
}

pub async fn home(state: &AppState, user: &SessionUser, done: Option<&'static str>) -> PageResult {
    let mut page = HandbookPage {
        csrf: user.csrf_token.clone(),
        name: user.user.username.clone(),
        cell: String::new(),
        has_cell: false,
        upcoming: Vec::new(),
        past: Vec::new(),
        tasks: Vec::new(),
        awards: Vec::new(),
        next_badge: None,
        done,
    };
    let Some(member_id) = user.user.member_id else { return Ok(render(&page)?.into_response()) };
    let today = calendar::today();
    let Some(home) = cell_meetings::member_home(&state.db, member_id, today, start_of_today(), 10, 12).await? else {
        return Ok(render(&page)?.into_response());
    };
    page.name = home.name;
    page.cell = home.cell;
    page.has_cell = true;
    page.upcoming = home
        .book
        .upcoming
        .iter()
        .map(|m| Upcoming {
            row: Line::of(m),
            reply: match m.reply {
                Some(r) => r.label(),
                None if m.state == State::Cancelled => "Đã hủy",
                None => "Chưa trả lời",
            },
        })
        .collect();
    page.past = home.book.past.iter().map(Line::of).collect();
    page.tasks = home.tasks.iter().map(super::meetings::TaskView::of).collect();
    (page.awards, page.next_badge) = my_awards(state, member_id, today).await?;
    Ok(render(&page)?.into_response())
}

/// The member's awards and badges, and the next badge: the first milestone above the last one
/// received, reached the days out of the Party later.
async fn my_awards(
    state: &AppState,
    member_id: dangvu_domain::ids::MemberId,
    today: chrono::NaiveDate,
) -> Result<(Vec<(String, String, String)>, Option<(u32, String)>), crate::error::AppError> {
    use dangvu_domain::vi;
    let awards = dangvu_store::rewards::awards::of_member(&state.db, member_id).await?;
    let received = awards.iter().filter_map(|a| a.badge_years).max().unwrap_or(0);
    let mut next = None;
    if let Some(m) = dangvu_store::members::get(&state.db, member_id, today).await?.filter(|m| m.ended_on.is_none()) {
        let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
        let periods: Vec<_> = m.inactive_periods.iter().map(|p| p.period()).collect();
        next = rules.badge_milestone_years.iter().filter(|&&y| y > received).min().and_then(|&y| {
            dangvu_domain::rewards::badge_reached_on(m.admitted_on, &periods, y).map(|on| (y, vi::date(on)))
        });
    }
    let list = awards
        .into_iter()
        .map(|a| {
            let what = a.badge_years.map_or_else(|| a.kind_label.to_owned(), |y| format!("Huy hiệu {y} năm tuổi Đảng"));
            (vi::date(a.decided_on), what, a.title)
        })
        .collect();
    Ok((list, next))
}

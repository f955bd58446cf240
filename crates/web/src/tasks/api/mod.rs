//! The API of documents, meetings and tasks: the registry, the conclusions and the drafts read
//! from them, the tasks from assignment to acceptance, their files and reports.

pub mod documents;
pub mod drafts;
pub mod files;
pub mod meetings;
pub mod tasks;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(documents::create, documents::list))
        .routes(routes!(documents::get))
        .routes(routes!(documents::files))
        .routes(routes!(meetings::create, meetings::list))
        .routes(routes!(meetings::get))
        .routes(routes!(meetings::tasks_of))
        .routes(routes!(tasks::create, tasks::list))
        .routes(routes!(tasks::summary))
        .routes(routes!(drafts::extract))
        .routes(routes!(tasks::get, tasks::update))
        .routes(routes!(tasks::cancel))
        .routes(routes!(tasks::files, tasks::attach))
        .routes(routes!(files::download))
        .routes(routes!(tasks::report, tasks::reports))
        .routes(routes!(tasks::review))
        .routes(routes!(tasks::reminders))
        .routes(routes!(tasks::report_file, tasks::issue_report))
}

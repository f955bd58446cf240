//! The web interface: server-rendered pages in Vietnamese that work on a phone,
//! progressively enhanced with htmx.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use dangvu_domain::accounts::Role;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::nfc;
use dangvu_store::accounts::{self, SessionUser};
use dangvu_store::orgs;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::AppError;
use crate::extract::{SESSION_COOKIE, cookie};

/// The page routes of one capability: the router, and the list of its paths, which the page
/// scope walk of the tests reads so that a page route cannot be added without a row there.
#[derive(Default)]
pub struct PageRoutes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl PageRoutes {
    pub fn new() -> PageRoutes {
        PageRoutes::default()
    }

    /// Adds a path and its handlers, as `Router::route` does.
    pub fn route(mut self, path: &'static str, handlers: MethodRouter<AppState>) -> PageRoutes {
        self.router = self.router.route(path, handlers);
        self.paths.push(path);
        self
    }

    pub fn merge(mut self, other: PageRoutes) -> PageRoutes {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// What the layout of every signed-in page shows.
pub struct Layout {
    pub username: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub is_admin: bool,
    pub sees_all: bool,
    /// The account has the personnel grant: the navigation shows personnel work.
    pub personnel: bool,
    /// The account reads the petitions' register.
    pub petitions: bool,
    /// The account reads the emulation and rewards work.
    pub rewards: bool,
    /// The account reads the dues books.
    pub dues: bool,
    pub nav: &'static str,
}

impl Layout {
    pub fn new(user: &SessionUser, nav: &'static str) -> Layout {
        Layout {
            username: user.user.username.clone(),
            role_label: user.user.role.label(),
            csrf: user.csrf_token.clone(),
            is_admin: user.user.role.may_administer(),
            sees_all: user.scope == accounts::Scope::Tree,
            personnel: crate::personnel::reads_personnel(user),
            petitions: crate::petitions::reads_petitions(user),
            rewards: crate::rewards::reads_rewards(user),
            dues: user.user.role.reads_dues(),
            nav,
        }
    }
}

/// Renders a template into a page.
pub fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError::App(AppError::Internal(e.to_string())))
}

/// What a form's handler answers: on success a redirect to `to(value)`; when the input was
/// refused, the form's page again with its problems (`again`); any other error as it is.
pub async fn redirect_or_again<T>(
    result: Result<T, AppError>,
    to: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(Vec<dangvu_domain::validation::FieldError>) -> PageResult,
) -> PageResult {
    match result {
        Ok(value) => Ok(axum::response::Redirect::to(&to(value)).into_response()),
        Err(AppError::Invalid(errors)) => again(errors).await,
        Err(e) => Err(e.into()),
    }
}

/// The status of a page that shows a form: 422 when it shows the form's problems.
pub fn form_status(errors: &[dangvu_domain::validation::FieldError]) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

pub fn render_with(status: StatusCode, t: &impl Template) -> Response {
    match render(t) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Why a page could not be shown.
pub enum PageError {
    /// Not signed in: go to the sign-in page, then come back.
    SignIn(String),
    App(AppError),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

impl From<dangvu_store::StoreError> for PageError {
    fn from(e: dangvu_store::StoreError) -> Self {
        PageError::App(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn(next) => {
                let target = format!("/login?next={}", urlencode(&next));
                Redirect::to(&target).into_response()
            }
            PageError::App(e) => {
                if let AppError::Internal(detail) = &e {
                    tracing::error!(%detail, "page failed");
                }
                let title = match e.status() {
                    StatusCode::NOT_FOUND => "Không tìm thấy",
                    StatusCode::FORBIDDEN => "Không có quyền",
                    StatusCode::TOO_MANY_REQUESTS => "Thử lại sau",
                    s if s.is_client_error() => "Yêu cầu không hợp lệ",
                    _ => "Lỗi hệ thống",
                };
                let message = match &e {
                    AppError::NotFound => {
                        "Trang hoặc tổ chức này không tồn tại, hoặc nằm ngoài phạm vi của tài khoản.".to_owned()
                    }
                    AppError::Invalid(fields) => {
                        fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; ")
                    }
                    other => other.to_string(),
                };
                let page = ErrorPage { title: title.to_owned(), message };
                let body = page.render().unwrap_or_else(|_| "Lỗi".into());
                (e.status(), Html(body)).into_response()
            }
        }
    }
}

pub type PageResult = Result<Response, PageError>;

pub async fn not_found() -> Response {
    PageError::App(AppError::NotFound).into_response()
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|v| v[1..].to_owned()).unwrap_or_default()
}

/// An id in a page's path (`PageId<OrgId>`, `PageId<MemberId>`, a plain `i64` for the rest);
/// anything else is the "not found" page.
pub struct PageId<T = i64>(pub T);

impl<T: std::str::FromStr, S: Send + Sync> FromRequestParts<S> for PageId<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let crate::extract::Id(id) = crate::extract::Id::<T>::from_request_parts(parts, state).await?;
        Ok(PageId(id))
    }
}

/// Query parameters of a page: a query that does not parse shows the error page in
/// Vietnamese, never the API's JSON.
pub struct PageQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let crate::extract::ApiQuery(q) = crate::extract::ApiQuery::<T>::from_request_parts(parts, state).await?;
        Ok(PageQuery(q))
    }
}

/// The signed-in account of the web interface (session cookie).
pub struct PageUser(pub SessionUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(PageError::SignIn(here));
        };
        match accounts::session(&state.db, token, calendar::today()).await? {
            Some(user) if user.user.role == Role::Member && !in_the_handbook(parts) => {
                Err(PageError::App(AppError::NotFound))
            }
            Some(user) => Ok(PageUser(user)),
            None => Err(PageError::SignIn(here)),
        }
    }
}

/// The pages of the member's handbook, as routes: a member account reaches these and nothing
/// of the office's interface, which answers 404 as a page that does not exist (the member
/// stays in the handbook's shell). Each handler still decides what the member may see there.
const HANDBOOK_ROUTES: [&str; 9] = [
    "/",
    "/logout",
    "/me/record",
    "/me/congresses",
    "/me/dues",
    "/files/{id}",
    "/drafts/{id}",
    "/drafts/{id}/comments",
    "/cell-meetings/{id}",
];

/// Routes under these belong to the handbook too: a meeting's reply and comments, a task's
/// report.
const HANDBOOK_PREFIXES: [&str; 2] = ["/cell-meetings/{id}/", "/cell-meeting-tasks/{id}/"];

fn in_the_handbook(parts: &Parts) -> bool {
    let Some(route) = parts.extensions.get::<axum::extract::MatchedPath>().map(|p| p.as_str()) else {
        return false;
    };
    HANDBOOK_ROUTES.contains(&route) || HANDBOOK_PREFIXES.iter().any(|p| route.starts_with(p))
}

/// A submitted form from a signed-in account, accepted only with the session's CSRF
/// token: the only way a page handler reads a form.
pub struct PageForm<T> {
    pub user: SessionUser,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let PageUser(user) = PageUser::from_request_parts(&mut parts, state).await?;
        let bytes =
            axum::body::to_bytes(body, 1 << 20).await.map_err(|_| AppError::BadRequest("Biểu mẫu quá lớn".into()))?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest("Biểu mẫu không hợp lệ".into()))?;
        let sent = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), user.csrf_token.as_bytes()) {
            return Err(AppError::Forbidden("Phiên làm việc đã thay đổi; hãy tải lại trang rồi thử lại".into()).into());
        }
        for (k, v) in &pairs {
            crate::extract::allowed_text(k, "form")?;
            crate::extract::allowed_text(v, k)?;
        }
        let normalized: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k, nfc(&v))).collect();
        let encoded = serde_urlencoded::to_string(&normalized).unwrap_or_default();
        let form =
            serde_urlencoded::from_str(&encoded).map_err(|_| AppError::BadRequest("Biểu mẫu thiếu trường".into()))?;
        Ok(PageForm { user, form })
    }
}

/// A submitted `multipart/form-data` form (one with files), under the same CSRF rule as
/// [`PageForm`]. Files with no name or no content (an empty file input) are left out.
pub struct PageUpload {
    pub user: SessionUser,
    pub fields: Vec<(String, String)>,
    /// Name as sent by the browser, and the bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

impl PageUpload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl FromRequest<AppState> for PageUpload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let PageUser(user) = PageUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("Biểu mẫu không hợp lệ".into()))?;
        let too_large = |_| AppError::TooLarge("Tệp lớn hơn 20 MB".into());
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let data = field.bytes().await.map_err(too_large)?;
                    if !file_name.is_empty() && !data.is_empty() {
                        files.push((file_name, data.to_vec()));
                    }
                }
                None => fields.push((name, nfc(&field.text().await.map_err(too_large)?))),
            }
        }
        let sent = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), user.csrf_token.as_bytes()) {
            return Err(AppError::Forbidden("Phiên làm việc đã thay đổi; hãy tải lại trang rồi thử lại".into()).into());
        }
        for (k, v) in &fields {
            crate::extract::allowed_text(v, k)?;
        }
        for (name, _) in &files {
            crate::extract::allowed_text(name, "file")?;
        }
        Ok(PageUpload { user, fields, files })
    }
}

/// Room for one attached file and the form around it.
pub fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(dangvu_store::files::MAX_FILE_BYTES + (1 << 20))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A message shown after a change, chosen by key so that no text comes from the URL.
pub fn done_message(key: Option<&str>) -> Option<&'static str> {
    Some(match key? {
        "found" => "Đã thành lập tổ chức.",
        "rename" => "Đã đổi tên tổ chức.",
        "move" => "Đã chuyển tổ chức.",
        "merge" => "Đã hợp nhất tổ chức.",
        "dissolve" => "Đã giải thể tổ chức.",
        "user" => "Đã tạo tài khoản.",
        "task" => "Đã giao nhiệm vụ.",
        "tasks" => "Đã giao các nhiệm vụ.",
        "report" => "Đã gửi báo cáo.",
        "review" => "Đã ghi ý kiến xem xét.",
        "document" => "Đã vào sổ văn bản.",
        "meeting" => "Đã lưu cuộc họp.",
        "file" => "Đã đính kèm tệp.",
        "edit" => "Đã sửa nhiệm vụ.",
        "cancel" => "Đã hủy nhiệm vụ.",
        "issued" => "Đã phát hành báo cáo và vào sổ văn bản.",
        "import" => "Đã nhập danh sách đảng viên.",
        "transfer" => "Đã chuyển sinh hoạt đảng.",
        "record" => "Đã sửa hồ sơ đảng viên.",
        "admission-dates" => "Đã sửa ngày vào Đảng; quá trình sinh hoạt được tính lại theo ngày mới.",
        "end" => "Đã ghi việc thôi là đảng viên.",
        "exemption" => "Đã ghi việc miễn sinh hoạt.",
        "recognize" => "Đã công nhận đảng viên chính thức.",
        "period" => "Đã cập nhật thời gian gián đoạn; tuổi đảng đã tính lại.",
        "readmit" => "Đã kết nạp lại; thời kỳ dự bị mới tính từ lễ kết nạp lại.",
        "confirm" => "Đã xác nhận đảng viên đến sinh hoạt.",
        "admission" => "Đã mở hồ sơ kết nạp.",
        "steps" => "Đã ghi các bước kết nạp.",
        "closed" => "Đã dừng hồ sơ kết nạp.",
        "target" => "Đã ghi chỉ tiêu kết nạp.",
        "classified" => "Đã ghi kết quả xếp loại.",
        "settings" => "Đã lưu thiết lập.",
        "cell_meeting" => "Đã lên lịch sinh hoạt; đảng viên thấy ngay trên Sổ tay.",
        "attendance" => "Đã lưu điểm danh.",
        "minutes" => "Đã lưu biên bản.",
        "approved" => "Biên bản đã thông qua và được khóa.",
        "meeting_cancelled" => "Đã hủy buổi sinh hoạt.",
        "meeting_moved" => "Đã đổi lịch sinh hoạt; đảng viên thấy ngay trên Sổ tay.",
        "reply" => "Đã gửi trả lời cho chi bộ.",
        "comment" => "Đã gửi ý kiến.",
        "topic" => "Đã gửi định hướng; mọi chi bộ trực thuộc thấy trong chương trình sinh hoạt của tháng.",
        "topic_withdrawn" => "Đã rút định hướng.",
        "member_task" => "Đã giao nhiệm vụ cho đảng viên.",
        "task_report" => "Đã báo cáo tiến độ.",
        "task_review" => "Đã ghi ý kiến của bí thư.",
        "election" => "Đã lập danh sách bầu cử.",
        "board" => "Đã cử vào ban kiểm phiếu.",
        "nomination" => "Đã thêm người được đề cử tại đại hội.",
        "withdrawn" => "Đã rút tên khỏi danh sách bầu cử.",
        "resolve" => "Đã xử lý các phiếu khác nhau; kết quả kiểm phiếu đã thống nhất.",
        "tie" => "Đã ghi quyết định của đoàn chủ tịch.",
        "seal" => "Đã niêm phong phiếu bầu.",
        "complaint" => "Đã ghi đơn khiếu nại về bầu cử.",
        "complaint_resolved" => "Đã ghi kết quả giải quyết khiếu nại.",
        "destroyed" => "Đã ghi quyết định tiêu hủy phiếu bầu.",
        "approval" => "Đã ghi quyết định của cấp trên về kết quả bầu cử.",
        "entry_started" => "Bắt đầu nhập phiếu.",
        "ballot" => "Đã lưu phiếu.",
        "ballot_undone" => "Đã bỏ phiếu vừa nhập.",
        "entry_finished" => "Đã kết thúc lần nhập.",
        _ => return None,
    })
}

/// `?done=…` in a page's address: the change the page was sent back from, shown to the user
/// by [`done_message`].
#[derive(Deserialize)]
pub struct DoneParam {
    pub done: Option<String>,
}

/// Finds the organisations a form lists: by the label a picker gives ("Chi bộ Văn phòng · Đảng bộ
/// Sở Tài chính", several separated by `;`) or by code ("DUK-CCQ-STC, DUK-CCQ-SKHDT").
pub async fn codes_to_ids(state: &AppState, codes: &str, field: &str) -> Result<Vec<OrgId>, AppError> {
    let mut ids = Vec::new();
    let today = calendar::today();
    let mut plain = Vec::new();
    for piece in codes.split([';', '\n']).map(str::trim).filter(|c| !c.is_empty()) {
        match crate::orgs::units::orgs_by_label(state, piece, today).await? {
            Some(found) => match found[..] {
                [one] => ids.push(one),
                [] => return Err(AppError::invalid(field, format!("Không có tổ chức “{piece}”"))),
                _ => {
                    return Err(AppError::invalid(
                        field,
                        format!("Có nhiều tổ chức mang tên “{piece}”: hãy chọn trong danh sách gợi ý"),
                    ));
                }
            },
            None => plain.push(piece),
        }
    }
    for code in plain.iter().flat_map(|p| p.split(',')).map(str::trim).filter(|c| !c.is_empty()) {
        let code = code.split_whitespace().next().unwrap_or_default();
        match orgs::get_by_code(&state.db, code, calendar::today()).await? {
            Some(o) => ids.push(o.id),
            None => return Err(AppError::invalid(field, format!("Không có tổ chức mã {code}"))),
        }
    }
    Ok(ids)
}

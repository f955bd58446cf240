//! The web interface over HTTP: sign-in with a cookie, CSRF on every form, scope,
//! security headers.

use reqwest::StatusCode;

use crate::both_backends;
use crate::harness::{PASSWORD, TestApp};

both_backends!(pages_sign_in_browse_and_change);

/// Signs in through the form and answers the session cookie.
async fn sign_in(app: &TestApp, username: &str) -> String {
    let res = app
        .http
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={username}&password={PASSWORD}&next=%2Forgs"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/orgs");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let res = app.http.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// A `multipart/form-data` body with text fields and one file, as a browser sends it.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----dangvu-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    if let Some((field, file_name, data)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(data);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a csrf token") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

async fn pages_sign_in_browse_and_change(app: TestApp) {
    // Not signed in: to the sign-in page, then back.
    let res = app.http.get(app.url("/orgs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=%2Forgs");
    let res = app.http.get(app.url("/login")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.text().await.unwrap().contains("Đăng nhập"));

    // A wrong password shows the form again, in Vietnamese.
    let res = app
        .http
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=khoi&password=sai")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("không đúng"));

    let cookie = sign_in(&app, "khoi").await;
    let (status, home) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Đảng bộ Khối các cơ quan tỉnh"));
    assert!(home.contains("419"), "the bloc's cells are counted on the dashboard");

    let bloc = app.org_id("DUK-CCQ").await;
    let (status, html) = page(&app, &cookie, &format!("/orgs/{bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đảng bộ Sở Tài chính"));
    let finance = app.org_id("DUK-CCQ-STC").await;
    let (status, kids) = page(&app, &cookie, &format!("/orgs/{finance}/children")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kids.contains("Chi bộ"));

    // Outside the scope: not found, as a page.
    let province = app.org_id("TU-NA").await;
    let (status, html) = page(&app, &cookie, &format!("/orgs/{province}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy"));
    let (status, _) = page(&app, &cookie, "/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A form without the session's token is refused; with it, the change is made.
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let post = |body: String| {
        app.http
            .post(app.url(&format!("/orgs/{cell}/rename")))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let res = post("name=Chi+b%E1%BB%99+m%E1%BB%9Bi&effective_on=2026-01-01".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, html) = page(&app, &cookie, &format!("/orgs/{cell}")).await;
    let csrf = csrf_of(&html);
    let res = post(format!("csrf={csrf}&name=Chi+b%E1%BB%99+m%E1%BB%9Bi&effective_on=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &cookie, &format!("/orgs/{cell}?done=rename")).await;
    assert!(html.contains("Chi bộ mới") && html.contains("Đã đổi tên"));

    // Invalid input shows the form again with the reason, and changes nothing.
    let res = post(format!("csrf={csrf}&name=+&effective_on=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không được để trống"));

    // A cross-site post is refused even with a token.
    let res = app
        .http
        .post(app.url(&format!("/orgs/{cell}/rename")))
        .header("cookie", &cookie)
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&name=X&effective_on="))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Signing out ends the session.
    let res = app
        .http
        .post(app.url("/logout"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The admin's pages.
    let cookie = sign_in(&app, "admin").await;
    let (status, html) = page(&app, &cookie, "/audit?verify=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nhật ký toàn vẹn"));
    let (status, html) = page(&app, &cookie, "/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("bithu"));
}

both_backends!(pages_follow_a_task);

/// The office records a meeting, assigns a task from it, the lead unit reports, and the
/// dashboard counts it: every step through the forms.
async fn pages_follow_a_task(app: TestApp) {
    let office = sign_in(&app, "vanphong").await;
    let (_, html) = page(&app, &office, "/meetings").await;
    let csrf = csrf_of(&html);
    let form = |cookie: &str, path: &str, body: String| {
        app.http
            .post(app.url(path))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let res = form(&office, "/meetings", format!(
        "csrf={csrf}&org_code=TU-NA&title=H%E1%BB%99i+ngh%E1%BB%8B+BTV&kind=standing_board&held_on=2025-06-20&conclusion=%281%29+Giao+S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh"
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let meeting_url = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = page(&app, &office, &meeting_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hội nghị BTV") && html.contains("Giao Sở Tài chính"));

    // A bad form shows the reason; a good one assigns the task.
    let res = form(
        &office,
        "/tasks/new",
        format!("csrf={csrf}&title=R%C3%A0+so%C3%A1t&lead_code=KHONG-CO&due_on=2025-07-15"),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("KHONG-CO"));
    let res = form(&office, "/tasks/new", format!(
        "csrf={csrf}&title=R%C3%A0+so%C3%A1t+ngu%E1%BB%93n+v%E1%BB%91n&lead_code=DUK-CCQ-STC&support_codes=DUK-CCQ-SKHDT&due_on=2025-07-15&recurrence="
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let task_url = res.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();

    // The bloc sees it in its queue, late, and reports it done.
    let bloc = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &bloc, "/tasks").await;
    assert!(html.contains("Rà soát nguồn vốn") && html.contains("Quá hạn"));
    let (_, html) = page(&app, &bloc, &task_url).await;
    let bloc_csrf = csrf_of(&html);
    let upload = |cookie: &str, path: String, (content_type, body): (String, Vec<u8>)| {
        app.http.post(app.url(&path)).header("cookie", cookie).header("content-type", content_type).body(body).send()
    };
    // A file of a kind that is refused refuses the whole report.
    let fields = [("csrf", bloc_csrf.as_str()), ("progress", "100"), ("note", "Xong"), ("done", "1")];
    let res = upload(&bloc, format!("{task_url}/report"), multipart(&fields, Some(("file", "trang.html", b"<b>"))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không thuộc loại được nhận"));
    let (_, html) = page(&app, &bloc, &task_url).await;
    assert!(html.contains("Chưa có báo cáo"));
    let report = multipart(&fields, Some(("file", "Báo cáo kết quả.pdf", b"%PDF-1.4 ket qua")));
    let res = upload(&bloc, format!("{task_url}/report"), report).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &bloc, &task_url).await;
    assert!(html.contains("Hoàn thành quá hạn") && html.contains("Chờ Văn phòng xem xét"));
    assert!(html.contains("Báo cáo kết quả.pdf"), "the file is listed with the task");
    let at = html.find("href=\"/files/").expect("a link to the file") + 6;
    let file_url = html[at..].split('"').next().unwrap().to_owned();
    let res = app.http.get(app.url(&file_url)).header("cookie", &office).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(&res.bytes().await.unwrap()[..], b"%PDF-1.4 ket qua");
    // Without the session's token, nothing is taken.
    let res = upload(&bloc, format!("{task_url}/files"), multipart(&[("csrf", "x")], Some(("file", "a.pdf", b"%PDF"))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The office accepts; the dashboard of 2025 counts it.
    let res = form(&office, &format!("{task_url}/review"), format!("csrf={csrf}&decision=accept&note=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = page(&app, &office, "/dashboard?period=2025").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đảng bộ Sở Tài chính") && html.contains("Hoàn thành quá hạn"));
    assert!(html.contains("<svg"), "the trend chart is drawn");

    // Documents: register one and find it without diacritics.
    let res = form(&office, "/documents", format!("csrf={csrf}&number=163-KH%2FTU&title=K%E1%BA%BF+ho%E1%BA%A1ch+%C4%91%E1%BA%A1i+h%E1%BB%99i&issued_on=2025-07-01")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, "/documents?q=ke+hoach+dai+hoi").await;
    assert!(html.contains("163-KH/TU") && html.contains("Kế hoạch"));

    // The office issues the year's report from the dashboard: numbered, registered, kept.
    let res = form(&office, "/reports/tasks", format!("csrf={csrf}&period=2025&symbol=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let doc_url = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = page(&app, &office, &doc_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("01-BC/") && html.contains("bao-cao-nhiem-vu-2025-so-01.pdf"), "{html}");

    // A task is edited (a new deadline needs a reason) and cancelled.
    let res = form(
        &office,
        "/tasks/new",
        format!("csrf={csrf}&title=Vi%E1%BB%87c+th%E1%BB%AD&lead_code=P-CLO&due_on=2031-01-31"),
    )
    .await
    .unwrap();
    let url = res.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let (status, html) = page(&app, &office, &format!("{url}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Việc thử") && html.contains("P-CLO"));
    let edit = |reason: &str| {
        format!(
            "csrf={csrf}&title=Vi%E1%BB%87c+th%E1%BB%AD&lead_code=P-CLO&support_codes=&due_on=2031-03-31&recurrence=&detail=&reason={reason}"
        )
    };
    let res = form(&office, &format!("{url}/edit"), edit("")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("lý do"));
    let res = form(&office, &format!("{url}/edit"), edit("Gia+h%E1%BA%A1n")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("31/03/2031"));
    let res = form(&office, &format!("{url}/cancel"), format!("csrf={csrf}&reason=Kh%C3%B4ng+c%C3%B2n+c%E1%BA%A7n"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Nhiệm vụ đã hủy") && html.contains("Không còn cần"));
    assert!(!html.contains("Sửa nhiệm vụ"));
}

both_backends!(pages_of_members);

/// The bloc's organiser searches, opens a record, and imports a file through the forms.
async fn pages_of_members(app: TestApp) {
    let organizer = sign_in(&app, "khoi").await;
    let (status, html) = page(&app, &organizer, "/members?q=dang").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đặng"), "the search folds đ");
    let url = html
        .match_indices("href=\"/members/")
        .map(|(i, _)| html[i + 6..].split('"').next().unwrap())
        .find(|u| u[9..].starts_with(|c: char| c.is_ascii_digit()))
        .expect("a member link")
        .to_owned();
    let (status, record) = page(&app, &organizer, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(record.contains("Tuổi đảng") && record.contains("Số định danh (CCCD)"));
    let csrf = csrf_of(&record);

    let bad = "full_name,birth_date,gender,status,admitted_on\nNguyễn Văn Một,1980-01-01,Nam,full,2010-05-19\nLê Thị Hai,31/02/1990,Nữ,dự bị,2025-01-01\n";
    let fields = [("csrf", csrf.as_str()), ("cell_code", "DUK-CCQ-STC-CB01")];
    let (content_type, body) = multipart(&fields, Some(("file", "ds.csv", bad.as_bytes())));
    let res = app
        .http
        .post(app.url("/members/import"))
        .header("cookie", &organizer)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the preview shows the problems");
    let html = res.text().await.unwrap();
    assert!(html.contains("row 3: birth_date") && html.contains("Xem trước khi nhập"), "{html}");
    let (_, none) = page(&app, &organizer, "/members?q=le+thi+hai").await;
    assert!(!none.contains("Lê Thị Hai"), "a preview writes nothing");

    // A register with its own headings and a column to skip: mapped on the preview page.
    let good = "Họ và tên,Ngày sinh,Quê quán,Giới tính,Trạng thái,Ngày vào Đảng\n\
                Nguyễn Văn Một,1980-01-01,Vinh,Nam,full,2010-05-19\n\
                Lê Thị Hai,28/02/1990,Hưng Nguyên,Nữ,dự bị,2025-01-01\n";
    let (content_type, body) = multipart(&fields, Some(("file", "ds.csv", good.as_bytes())));
    let res = app
        .http
        .post(app.url("/members/import"))
        .header("cookie", &organizer)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "'Quê quán' is not mapped yet");
    let html = res.text().await.unwrap();
    assert!(html.contains("Quê quán") && html.contains("disabled"), "{html}");
    let token = html.split("name=\"token\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a draft token");
    let review = |action: &'static str, token: String| {
        let form = [
            ("csrf", csrf.as_str()),
            ("token", token.as_str()),
            ("cell_code", "DUK-CCQ-STC-CB01"),
            ("col0", "full_name"),
            ("col1", "birth_date"),
            ("col2", ""),
            ("col3", "gender"),
            ("col4", "status"),
            ("col5", "admitted_on"),
            ("action", action),
        ];
        app.http
            .post(app.url("/members/import/review"))
            .header("cookie", &organizer)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap())
            .send()
    };
    let res = review("check", token.to_owned()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Nhập 2 đảng viên"));
    // Another account cannot use the draft.
    let other = sign_in(&app, "tochuc").await;
    let (_, other_page) = page(&app, &other, "/members").await;
    let res = app
        .http
        .post(app.url("/members/import/review"))
        .header("cookie", &other)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={}&token={token}&cell_code=DUK-CCQ-STC-CB01&action=import", csrf_of(&other_page)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("hết hạn"), "another account's draft is not found");
    let res = review("import", token.to_owned()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = review("import", token.to_owned()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a draft is imported once");
    let (_, html) = page(&app, &organizer, "/members?q=le+thi+hai").await;
    assert!(html.contains("Lê Thị Hai"));
    let res = app
        .http
        .get(app.url("/members/export?format=xlsx&q=le+thi+hai"))
        .header("cookie", &organizer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    // A leader who only reads sees no citizen id.
    let viewer = sign_in(&app, "lanhdao").await;
    let (_, record) = page(&app, &viewer, &url).await;
    assert!(!record.contains("Số định danh (CCCD)"));
}

both_backends!(pages_of_membership_work);

/// Posts a form and answers the status, the `location` and the page.
async fn post_form(app: &TestApp, cookie: &str, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
    let res = app
        .http
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    let status = res.status();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// The Organisation board's pages: open an admission case and carry it to the ceremony,
/// set a target and see the report, the figures, the classification of a cell, a member's
/// exemption and end, and the settings of the rules and holidays.
async fn pages_of_membership_work(app: TestApp) {
    let organizer = sign_in(&app, "khoi").await;
    let (status, html) = page(&app, &organizer, "/admissions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mở hồ sơ kết nạp") && html.contains("aria-current=\"page\">Kết nạp"));
    let csrf = csrf_of(&html);

    // Every problem listed, nothing written; then the case opens.
    let case = [
        ("csrf", csrf.as_str()),
        ("cell_code", "DUK-CCQ-STC-CB01"),
        ("full_name", "Võ Thị Hồng"),
        ("birth_date", "2001-09-09"),
        ("gender", "female"),
        ("candidate_listed_on", "2025-03-01"),
        ("course_certificate_on", "2025-04-01"),
        ("application_on", "2025-02-01"),
    ];
    let (status, _, html) = post_form(&app, &organizer, "/admissions", &case).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ngày trước bước trước đó"), "{html}");
    let mut fixed = case;
    fixed[7] = ("application_on", "2025-04-10");
    let (status, location, _) = post_form(&app, &organizer, "/admissions", &fixed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã mở hồ sơ kết nạp") && html.contains("Lớp bồi dưỡng nhận thức về Đảng"));
    let id = location.trim_start_matches("/admissions/").split('?').next().unwrap().to_owned();

    // The steps form up to the ceremony: the record of the new member follows.
    let steps = [
        ("csrf", csrf.as_str()),
        ("candidate_listed_on", "2025-03-01"),
        ("course_certificate_on", "2025-04-01"),
        ("application_on", "2025-04-10"),
        ("introduced_on", "2025-04-15"),
        ("cell_vote_on", "2025-05-05"),
        ("grassroots_resolution_on", "2025-05-20"),
        ("admission_decision_on", "2025-06-16"),
        ("decision_received_on", "2025-06-18"),
        ("ceremony_on", "2025-07-01"),
        ("recognition_vote_on", ""),
        ("recognition_decision_on", ""),
    ];
    let (status, location, _) = post_form(&app, &organizer, &format!("/admissions/{id}"), &steps).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Hồ sơ đảng viên") && html.contains("Chi bộ xét công nhận đảng viên chính thức"), "{html}");
    let (_, html) = page(&app, &organizer, "/admissions?state=all&q=vo+thi+hong").await;
    assert!(html.contains("Võ Thị Hồng"));

    // Target and report.
    let bloc = app.org_id("DUK-CCQ").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let (_, html) = page(&app, &organizer, &format!("/admissions/report?org_id={bloc}&year=2025")).await;
    assert!(html.contains("Kết nạp đảng viên năm 2025") && html.contains("Đảng bộ Sở Tài chính"));
    let back = bloc.to_string();
    let (status, location, _) = post_form(
        &app,
        &organizer,
        &format!("/orgs/{stc}/admission-target"),
        &[("csrf", &csrf), ("year", "2025"), ("target", "12"), ("back", &back)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã ghi chỉ tiêu kết nạp") && html.contains("value=\"12\""));

    // Figures of the bloc: the 5,112 members of seed 003, plus the one just admitted.
    let (status, html) = page(&app, &organizer, &format!("/figures?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dd>5113</dd>") && html.contains("Dưới 31 tuổi") && html.contains("Từ trần"), "{html}");

    // Classification of a cell: one member by score, the cell by level.
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, html) = page(&app, &organizer, &format!("/classifications?org_id={cell}&period=2025")).await;
    let member = html.split("name=\"level_").nth(1).and_then(|s| s.split('"').next()).expect("a member row").to_owned();
    let cell_id = cell.to_string();
    let level_field = format!("level_{member}");
    let score_field = format!("score_{member}");
    let form = [
        ("csrf", csrf.as_str()),
        ("org_id", cell_id.as_str()),
        ("period", "2025"),
        (level_field.as_str(), ""),
        (score_field.as_str(), "91,5"),
        ("org_level", "good"),
        ("org_score", ""),
    ];
    let (status, location, _) = post_form(&app, &organizer, "/classifications", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã ghi kết quả xếp loại") && html.contains("value=\"91.5\""), "{html}");

    // A member's record: exemption, then the end of membership.
    let path = format!("/members/{member}");
    let (_, html) = page(&app, &organizer, &path).await;
    assert!(html.contains("Miễn sinh hoạt đảng") && html.contains("Thôi là đảng viên"));
    // Admission dates typed a day late: corrected on the basis of the decision, the other
    // dates as the form shows them.
    let shown = |field: &str| {
        let tag = html.split(&format!("name=\"{field}\"")).nth(1).and_then(|s| s.split('>').next()).unwrap_or("");
        tag.split("value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_owned()
    };
    let (ceremony, official) = (shown("ceremony_on"), shown("official_on"));
    let admitted =
        chrono::NaiveDate::parse_from_str(&shown("admitted_on"), "%Y-%m-%d").expect("the admission-dates form");
    let earlier = (admitted - chrono::Days::new(1)).to_string();
    let dates = format!("{path}/admission-dates");
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("admitted_on", earlier.as_str()),
        ("ceremony_on", ceremony.as_str()),
        ("official_on", official.as_str()),
        ("basis", ""),
    ];
    let (status, _, html) = post_form(&app, &organizer, &dates, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ghi căn cứ sửa"), "{html}");
    form[4].1 = "Quyết định kết nạp (bản gốc)";
    let (status, location, html) = post_form(&app, &organizer, &dates, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã sửa ngày vào Đảng") && html.contains(&format!("value=\"{earlier}\"")), "{html}");
    let (status, _, html) = post_form(
        &app,
        &organizer,
        &format!("{path}/exemption"),
        &[("csrf", &csrf), ("exempt", "true"), ("reason", "")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ghi lý do miễn sinh hoạt"));
    let (status, _, _) = post_form(
        &app,
        &organizer,
        &format!("{path}/exemption"),
        &[("csrf", &csrf), ("exempt", "true"), ("reason", "Tuổi cao")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location, _) = post_form(
        &app,
        &organizer,
        &format!("{path}/end"),
        &[("csrf", &csrf), ("kind", "resigned"), ("ended_on", "2026-03-01")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Xin ra khỏi Đảng") && html.contains("Không còn là đảng viên"), "{html}");
    // Without the form's token nothing happens.
    let (status, _, _) = post_form(&app, &organizer, &format!("{path}/end"), &[("kind", "deceased")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Settings: the tree's admin only; a bad number refuses the whole form.
    let (status, _) = page(&app, &organizer, "/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = sign_in(&app, "admin").await;
    let (status, html) = page(&app, &admin, "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Thời gian dự bị (tháng, từ lễ kết nạp)"));
    let admin_csrf = csrf_of(&html);
    let bad = [("csrf", admin_csrf.as_str()), ("rule.probation_months", "mười hai"), ("holidays", "")];
    let (status, _, html) = post_form(&app, &admin, "/settings", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("probation_months"));
    let good = [
        ("csrf", admin_csrf.as_str()),
        ("rule.probation_months", "12"),
        ("holidays", "16/02/2026\n17/02/2026"),
        ("add_fixed_year", "2027"),
    ];
    let (status, location, _) = post_form(&app, &admin, "/settings", &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &admin, &location).await;
    assert!(html.contains("16/02/2026") && html.contains("30/04/2027") && html.contains("Đã lưu thiết lập"), "{html}");
}

both_backends!(pages_of_cell_meetings);

/// The first link to a cell meeting on a page.
fn meeting_link(html: &str) -> String {
    let at = html.find("href=\"/cell-meetings/").expect("a link to a meeting") + 6;
    html[at..].split('"').next().unwrap().to_owned()
}

/// The handbook on a member's phone stays light; the secretary schedules, records attendance,
/// writes and approves the minutes; the province sees which cells met.
async fn pages_of_cell_meetings(app: TestApp) {
    let member = sign_in(&app, "dangvien").await;
    let (status, home) = page(&app, &member, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Sổ tay đảng viên") && home.contains("Sắp tới"), "{home}");
    assert!(!home.contains("<script"), "no script on the handbook");
    assert!(!home.contains("href=\"/members\""), "no office navigation for a member");

    // Under 50 KB of HTML and CSS after compression, as a cheap phone on a slow link gets it.
    let mut bytes = 0;
    let meeting = meeting_link(&home);
    for path in ["/".to_owned(), meeting.clone(), "/static/app.css".to_owned(), "/static/icon.svg".to_owned()] {
        let res = app
            .http
            .get(app.url(&path))
            .header("cookie", &member)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        bytes += res.bytes().await.unwrap().len();
    }
    assert!(bytes < 50 * 1024, "the handbook weighs {bytes} bytes");

    let (_, html) = page(&app, &member, &meeting).await;
    assert!(html.contains("Tôi sẽ dự họp"), "{html}");
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &member,
        &format!("{meeting}/reply"),
        &[("csrf", &csrf), ("reply", "excused"), ("reason", "Đi công tác Vinh")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &member, &location).await;
    assert!(html.contains("Đã gửi trả lời") && html.contains("Đi công tác Vinh"), "{html}");
    let (status, _, html) =
        post_form(&app, &member, &format!("{meeting}/reply"), &[("csrf", &csrf), ("reply", "excused")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hãy ghi lý do xin vắng"), "{html}");

    // The secretary's pages.
    let secretary = sign_in(&app, "bithu").await;
    let (status, html) = page(&app, &secretary, "/cell-meetings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lên lịch sinh hoạt"), "{html}");
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &secretary,
        "/cell-meetings",
        &[
            ("csrf", &csrf),
            ("org_code", "DUK-CCQ-STC-CB01"),
            ("kind", "regular"),
            ("date", "2031-06-03"),
            ("time", "07:30"),
            ("topic", ""),
            ("place", "Hội trường Sở"),
            ("agenda", "Học tập và làm theo Bác\nNhiệm vụ tháng 7"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let id: i64 = location.trim_start_matches("/cell-meetings/").split('?').next().unwrap().parse().unwrap();
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Sinh hoạt thường kỳ tháng 6/2031") && html.contains("Nhiệm vụ tháng 7"), "{html}");
    // The secretary moves it by a day from the form on its page.
    assert!(html.contains("value=\"2031-06-03T07:30\""), "{html}");
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/reschedule"),
        &[
            ("csrf", &csrf),
            ("scheduled_at", "2031-06-04T08:00"),
            ("place", "Hội trường Sở"),
            ("topic", "Sinh hoạt thường kỳ tháng 6/2031"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Đã đổi lịch sinh hoạt") && html.contains("04/06/2031 lúc 08:00"), "{html}");
    // Attendance from the form: every member of the roster present.
    let (_, detail) = app.get(&app.login("bithu").await, &format!("/api/v1/cell-meetings/{id}")).await;
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for line in detail["roster"].as_array().unwrap() {
        fields.push((format!("s{}", line["member_id"]), "present".into()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, location, _) = post_form(&app, &secretary, &format!("/cell-meetings/{id}/attendance"), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(
        html.contains("Đã lưu điểm danh") && html.contains("BIÊN BẢN"),
        "the minutes start from the template: {html}"
    );
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/minutes"),
        &[
            ("csrf", &csrf),
            ("chair", "Nguyễn Văn Hùng"),
            ("started_at", "07:30"),
            ("ended_at", "08:30"),
            ("self_score", "fair"),
            ("text", "Diễn biến buổi sinh hoạt"),
            ("resolutions", "Thông qua kế hoạch tháng 7 | 12 | 0 | 0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("tán thành 12") && html.contains("<dd>Khá</dd>"), "{html}");
    assert!(html.contains("ít hơn 90 phút"), "an hour is short of the rules: {html}");
    let (status, location, _) =
        post_form(&app, &secretary, &format!("/cell-meetings/{id}/approve"), &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Biên bản đã thông qua và được khóa"), "{html}");

    // A task for the member who signs in as `dangvien`; it shows on the handbook.
    let (_, me) = app.get(&app.login("dangvien").await, "/api/v1/me").await;
    let me = me["user"]["member_id"].to_string();
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/tasks"),
        &[
            ("csrf", &csrf),
            ("member_id", &me),
            ("title", "Viết bài tuyên truyền chuyển đổi số"),
            ("due_on", "2031-07-15"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Đã giao nhiệm vụ cho đảng viên"), "{html}");
    let (_, home) = page(&app, &member, "/").await;
    assert!(home.contains("Việc được giao") && home.contains("Viết bài tuyên truyền chuyển đổi số"), "{home}");
    let task_action = home.split("action=\"/cell-meeting-tasks/").nth(1).unwrap().split('"').next().unwrap();
    let member_csrf = csrf_of(&home);
    let (status, location, _) = post_form(
        &app,
        &member,
        &format!("/cell-meeting-tasks/{task_action}"),
        &[("csrf", &member_csrf), ("progress", "100"), ("note", "Đã đăng trên trang của Sở")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = page(&app, &member, &location).await;
    assert!(home.contains("Chờ bí thư công nhận"), "{home}");

    // The province's view of the bloc in that month.
    let viewer = sign_in(&app, "lanhdao").await;
    let (status, html) = page(&app, &viewer, "/cell-meetings?org_code=DUK-CCQ&month=2031-06").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chi bộ chưa sinh hoạt") && html.contains("<svg"), "{html}");
    assert!(html.contains("Theo đơn vị trực thuộc") && html.contains("Đảng bộ Sở Tài chính"), "{html}");
    assert!(html.contains("Danh sách do Ban Tổ chức"), "a viewer sees counts, not names");
    assert!(html.contains("Chưa đủ 1 buổi chuyên đề trong quý"), "{html}");
    assert!(html.contains("Dưới 3 đảng viên chính thức"), "{html}");
    let (status, _) = page(&app, &member, "/cell-meetings?org_code=DUK-CCQ").await;
    assert!(status.is_redirection(), "a member goes to the handbook");

    // The bloc's office sets a topic for June; the cell's June meeting shows it.
    let organizer = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &organizer, "/cell-meetings?org_code=DUK-CCQ&month=2031-06").await;
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &organizer,
        "/cell-meeting-topics",
        &[
            ("csrf", &csrf),
            ("org_code", "DUK-CCQ"),
            ("month", "2031-06"),
            ("title", "Học tập chuyên đề năm 2031"),
            ("detail", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã gửi định hướng") && html.contains("Học tập chuyên đề năm 2031"), "{html}");
    let (_, html) = page(&app, &secretary, &format!("/cell-meetings/{id}")).await;
    assert!(html.contains("Nội dung cấp trên định hướng") && html.contains("Học tập chuyên đề năm 2031"), "{html}");
}

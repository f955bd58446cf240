//! The members registry through the API: records, search, scope of the identity fields,
//! transfers and the figures that follow them, import and export.

mod import_drafts;
mod life;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, multipart, page, sign_in};

both_backends!(
    registry_search_and_identity,
    a_mistyped_record_is_corrected,
    transfers_keep_the_figures_right,
    import_is_all_or_nothing,
    bulk_load_is_all_or_nothing_and_keeps_the_indexes,
    a_csv_export_never_carries_a_formula
);

fn member(name: &str, org_id: i64) -> Value {
    json!({"full_name": name, "birth_date": "12/03/1985", "gender": "Nữ", "org_id": org_id,
           "admitted_on": "2024-02-29", "ceremony_on": "2024-02-29", "status": "dự bị",
           "national_id": "040185000123", "phone": "0912 345 678", "card_number": "48001234"})
}

async fn stats(app: &TestApp, token: &str, org: i64, on: Option<&str>) -> (i64, i64) {
    let q = on.map(|d| format!("?on={d}")).unwrap_or_default();
    let (_, s) = app.get(token, &format!("/api/v1/orgs/{org}/stats{q}")).await;
    (s["members"]["full"].as_i64().unwrap(), s["members"]["probationary"].as_i64().unwrap())
}

async fn registry_search_and_identity(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (status, m) = app.post(&organizer, "/api/v1/members", member("Đặng Thị Đường", cell)).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["gender"], "female");
    assert_eq!(m["status"], "probationary");
    // Leap day: 12 months from 29/02/2024 is 28/02/2025 (Điều lệ Đảng, Điều 5).
    assert_eq!(m["probation_ends_on"], "2025-02-28");
    assert!(m["party_age"]["years"].as_i64().unwrap() >= 2);
    let id = m["id"].as_i64().unwrap();

    // Every bad field at once, nothing written.
    let before = app.audit_len().await;
    let (status, body) = app
        .post(
            &organizer,
            "/api/v1/members",
            json!({"full_name": "", "birth_date": "31/02/1990", "gender": "x",
              "org_id": cell, "admitted_on": "2099-01-01", "status": "?", "national_id": "123"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["full_name", "birth_date", "gender", "admitted_on", "status", "national_id"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(app.audit_len().await, before);
    // A member belongs to a cell, not to a committee.
    let (status, _) = app.post(&organizer, "/api/v1/members", member("Lê Văn A", app.org_id("DUK-CCQ").await)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Search ignores case and diacritics, đ included; by card number too.
    let bloc = app.org_id("DUK-CCQ").await;
    for q in ["dang%20thi%20duong", "ĐẶNG%20đường", "48001234"] {
        let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q={q}")).await;
        assert!(found["items"].as_array().unwrap().iter().any(|x| x["id"] == id), "{q}: {found}");
    }
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q=duong&status=full&limit=500")).await;
    assert!(found["items"].as_array().unwrap().iter().all(|x| x["status"] == "full"));
    let (_, page) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&limit=100")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 100);
    assert!(page["next_cursor"].is_string());
    // A word finds the words it starts: "uong" is inside Đường, not at its start.
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q=uong")).await;
    assert!(found["items"].as_array().unwrap().iter().all(|x| x["id"] != id), "{found}");
    // Page after page, a search lists each member once, cell after cell, whether it walks
    // the bloc (no word, a common word) or starts from the members of a rarer word.
    for q in ["", "thi", "dang", "dang%20thi"] {
        let (_, whole) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q={q}&limit=500")).await;
        let whole: Vec<i64> = whole["items"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
        let mut paged = Vec::new();
        let mut cursor = String::new();
        while paged.len() < whole.len() {
            let (status, page) =
                app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q={q}&limit=37&cursor={cursor}")).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            paged.extend(page["items"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert!(!whole.is_empty(), "{q}");
        assert_eq!(paged[..whole.len().min(paged.len())], whole[..], "{q}");
    }
    let (status, body) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&cursor=12")).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor"))
    );

    // The keepers of records see the identity fields; a leader who only reads does not.
    let (_, full) = app.get(&organizer, &format!("/api/v1/members/{id}")).await;
    assert_eq!(full["national_id"], "040185000123");
    let viewer = app.login("lanhdao").await;
    let (status, seen) = app.get(&viewer, &format!("/api/v1/members/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["national_id"], Value::Null);
    assert_eq!(seen["phone"], Value::Null);
    assert_eq!(seen["full_name"], "Đặng Thị Đường");
    let (status, _) = app.post(&viewer, "/api/v1/members", member("X", cell)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Reading a record is in the audit log.
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=5").await;
    assert!(log.to_string().contains("member.read"), "{log}");

    // The member's own account sees the whole record and downloads it; no one else's.
    let admin = app.login("admin").await;
    let (status, body) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "duong.dt", "password": "so-tay-cua-duong", "role": "member", "member_id": id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let own = app.login_with("duong.dt", "so-tay-cua-duong").await;
    let (status, mine) = app.get(&own, &format!("/api/v1/members/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["national_id"], "040185000123");
    let file = |token: String, member: i64| {
        app.http.get(app.url(&format!("/api/v1/members/{member}/file?format=csv"))).bearer_auth(token).send()
    };
    let res = file(own.clone(), id).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("Đặng Thị Đường") && text.contains("040185000123"), "{text}");
    let (_, others) = app.get(&organizer, &format!("/api/v1/members?org_id={cell}&limit=2")).await;
    let other =
        others["items"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).find(|m| *m != id).unwrap();
    assert_eq!(app.get(&own, &format!("/api/v1/members/{other}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(file(own.clone(), other).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&own, &format!("/api/v1/members?org_id={cell}")).await.0, StatusCode::FORBIDDEN);
    let res = file(viewer.clone(), id).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.text().await.unwrap().contains("040185000123"), "a leader's copy has no citizen id");

    // Export: the list as CSV (with BOM) and XLSX.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/members/export?org_id={cell}&format=csv")))
        .bearer_auth(&organizer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.starts_with('\u{feff}') && text.contains("Đặng Thị Đường"), "{}", &text[..200.min(text.len())]);
    let res = app
        .http
        .get(app.url(&format!("/api/v1/members/export?org_id={cell}&format=xlsx")))
        .bearer_auth(&organizer)
        .send()
        .await
        .unwrap();
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}

async fn a_mistyped_record_is_corrected(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let (_, m) = app.post(&organizer, "/api/v1/members", member("Đặng Thị Đường", cell)).await;
    let id = m["id"].as_i64().unwrap();
    let path = format!("/api/v1/members/{id}");

    // Every wrong field at once, nothing written.
    let before = app.audit_len().await;
    let (status, body) = app
        .send("PATCH", &path, Some(&organizer), Some(json!({"full_name": " ", "national_id": "12", "phone": "abc"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["full_name", "national_id", "phone"]);
    // Status and dates of admission have their own procedures.
    let (status, body) = app.send("PATCH", &path, Some(&organizer), Some(json!({"status": "full"}))).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    // Born after the admission decision would make the member too young for it.
    let (status, body) = app.send("PATCH", &path, Some(&organizer), Some(json!({"birth_date": "2015-01-01"}))).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("birth_date")),
        "{body}"
    );
    assert_eq!(app.audit_len().await, before);
    // A leader who reads does not correct.
    let viewer = app.login("lanhdao").await;
    let (status, _) = app.send("PATCH", &path, Some(&viewer), Some(json!({"full_name": "X"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The name and citizen id as on the card; the phone cleared.
    let (status, fixed) = app
        .send(
            "PATCH",
            &path,
            Some(&organizer),
            Some(json!({"full_name": "Đặng Thị Hường", "national_id": "040185000124", "phone": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{fixed}");
    assert_eq!(
        (&fixed["full_name"], &fixed["national_id"], &fixed["phone"], &fixed["card_number"]),
        (&json!("Đặng Thị Hường"), &json!("040185000124"), &Value::Null, &json!("48001234"))
    );
    assert_eq!(fixed["status"], "probationary", "the rest stays: {fixed}");
    // The search finds the corrected name and number, no longer the old ones.
    let found = |q: &'static str| {
        let (app, organizer) = (&app, &organizer);
        async move {
            let (_, found) = app.get(organizer, &format!("/api/v1/members?org_id={bloc}&q={q}&limit=500")).await;
            found["items"].as_array().unwrap().iter().any(|x| x["id"] == id)
        }
    };
    assert!(found("dang%20thi%20huong").await);
    assert!(found("040185000124").await);
    assert!(!found("dang%20thi%20duong").await);
    assert!(!found("040185000123").await);
    // The log names the changed citizen id without its digits.
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=5").await;
    let text = log.to_string();
    assert!(text.contains("member.correct") && text.contains("Đặng Thị Hường"), "{text}");
    assert!(!text.contains("040185000124"), "{text}");
    // Saving the same record again writes nothing.
    let before = app.audit_len().await;
    let (status, _) = app.send("PATCH", &path, Some(&organizer), Some(json!({"full_name": "Đặng Thị Hường"}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.audit_len().await, before);
}

/// Probationary members of `org` on 31 December 2025 minus those on 2 January 2026.
async fn probationary_change_across_new_year(app: &TestApp, token: &str, org: i64) -> i64 {
    stats(app, token, org, Some("2025-12-31")).await.1 - stats(app, token, org, Some("2026-01-02")).await.1
}

async fn transfers_keep_the_figures_right(app: TestApp) {
    let organizer = app.login("tochuc").await;
    let from = app.org_id("DUK-CCQ-STC-CB01").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let province = app.org_id("TU-NA").await;
    let (_, ward_cells) = app.get(&organizer, &format!("/api/v1/orgs?parent_id={}", app.org_id("P-TVINH").await)).await;
    let to = ward_cells["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "cell" || o["kind"] == "grassroots_cell")
        .map(|o| o["id"].as_i64().unwrap());
    let Some(to) = to else { panic!("the ward has a cell: {ward_cells}") };
    let (_, m) = app.post(&organizer, "/api/v1/members", member("Trần Văn Chuyển", from)).await;
    let id = m["id"].as_i64().unwrap();
    let bloc_before = stats(&app, &organizer, bloc, None).await;
    let province_before = stats(&app, &organizer, province, None).await;
    // Demo members are admitted on dates relative to today, so the bloc's own
    // change across New Year is measured before the transfer and compared after.
    let new_year_change = probationary_change_across_new_year(&app, &organizer, bloc).await;

    let (status, body) = app
        .post(
            &organizer,
            &format!("/api/v1/members/{id}/transfer"),
            json!({"to_org_id": to, "kind": "ra đi", "effective_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, moved) = app
        .post(
            &organizer,
            &format!("/api/v1/members/{id}/transfer"),
            json!({"to_org_id": to, "kind": "official", "effective_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["org_id"], to);
    let bloc_after = stats(&app, &organizer, bloc, None).await;
    assert_eq!(bloc_after.1, bloc_before.1 - 1, "the bloc lost one probationary member");
    assert_eq!(stats(&app, &organizer, province, None).await, province_before, "the province did not change");
    // On a date before the transfer, the member still counts in the bloc.
    assert_eq!(
        probationary_change_across_new_year(&app, &organizer, bloc).await,
        new_year_change + 1,
        "the member leaves the bloc on 1 January 2026"
    );
    // The bloc's organiser no longer reaches the member.
    let khoi = app.login("khoi").await;
    let (status, _) = app.get(&khoi, &format!("/api/v1/members/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A merge of two cells keeps every figure above them.
    let cell_a = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, sib) = app.get(&organizer, &format!("/api/v1/orgs/{cell_a}")).await;
    let parent = sib["parent_id"].as_i64().unwrap();
    let (_, kids) = app.get(&organizer, &format!("/api/v1/orgs?parent_id={parent}")).await;
    let cell_b =
        kids["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).find(|i| *i != cell_a).unwrap();
    let parent_before = stats(&app, &organizer, parent, None).await;
    let a_before = stats(&app, &organizer, cell_a, None).await;
    let b_before = stats(&app, &organizer, cell_b, None).await;
    let today = dangvu_domain::calendar::today().to_string();
    let (status, body) = app
        .post(&organizer, &format!("/api/v1/orgs/{cell_a}/merge"), json!({"into_id": cell_b, "effective_on": today}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(stats(&app, &organizer, parent, None).await, parent_before);
    let b_after = stats(&app, &organizer, cell_b, None).await;
    assert_eq!((b_after.0, b_after.1), (a_before.0 + b_before.0, a_before.1 + b_before.1));
}

async fn import_is_all_or_nothing(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let before = stats(&app, &organizer, cell, None).await;
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.http
            .post(app.url(&format!("/api/v1/members/import?org_id={cell}")))
            .bearer_auth(&organizer)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let bad = "full_name,birth_date,gender,status,admitted_on,card_number\n\
               Nguyễn Văn Một,1980-01-01,Nam,chính thức,2010-05-19,11\n\
               Lê Thị Hai,31/02/1990,Nữ,dự bị,2025-01-01,12\n\
               Phạm Văn Ba,1981-07-07,khác,full,2011-01-01,13\n";
    let res = send(bad.as_bytes().to_vec(), "text/csv").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["row 3: birth_date", "row 4: gender"], "{body}");
    assert_eq!(stats(&app, &organizer, cell, None).await, before, "nothing was written");

    let good = bad.replace("31/02/1990", "28/02/1990").replace("khác", "Nam");
    let res = send(good.into_bytes(), "text/csv").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["created"], 3);
    let after = stats(&app, &organizer, cell, None).await;
    assert_eq!((after.0, after.1), (before.0 + 2, before.1 + 1));

    // The same from a workbook, dates typed as dates.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["full_name", "gender", "status", "birth_date", "admitted_on"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Hồ Thị Xuân").unwrap();
    sheet.write_string(1, 1, "female").unwrap();
    sheet.write_string(1, 2, "full").unwrap();
    sheet
        .write_datetime_with_format(1, 3, rust_xlsxwriter::ExcelDateTime::from_ymd(1979, 4, 30).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 4, "02/09/2004").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let res = send(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap_or_default());
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={cell}&q=ho%20thi%20xuan")).await;
    assert_eq!(found["items"][0]["birth_date"], "1979-04-30", "{found}");
    assert_eq!(found["items"][0]["admitted_on"], "2004-09-02");

    // A register kept in Excel with its own headings: previewed, mapped, then imported.
    let register = "STT,Họ và tên,Ngày sinh,Quê quán,Giới tính,Đảng viên chính thức/dự bị,Ngày vào Đảng,Số CCCD\n\
                    1,Nguyễn Thị Mười,05/05/1985,Diễn Châu,Nữ,chính thức,03/02/2010,040185000999\n\
                    2,Võ Văn Mười Một,06/06/1986,Yên Thành,Nam,dự bị,03/02/2026,\n";
    let preview = |columns: &str| {
        let q = if columns.is_empty() { String::new() } else { format!("&columns={columns}") };
        app.http
            .post(app.url(&format!("/api/v1/members/import/preview?org_id={cell}{q}")))
            .bearer_auth(&organizer)
            .header("content-type", "text/csv")
            .body(register.as_bytes().to_vec())
            .send()
    };
    let before = stats(&app, &organizer, cell, None).await;
    let guessed: Value = preview("").await.unwrap().json().await.unwrap();
    assert_eq!(guessed["rows"], 2, "{guessed}");
    assert_eq!(guessed["valid"], false);
    assert_eq!(guessed["columns"][1]["field"], "full_name");
    assert_eq!(guessed["columns"][3]["field"], Value::Null);
    assert_eq!(guessed["columns"][6]["field"], "admitted_on");
    assert!(guessed["errors"].to_string().contains("Quê quán"), "{guessed}");
    assert_eq!(guessed["sample"][1][1], "Võ Văn Mười Một");
    let mapping = ",full_name,birth_date,,gender,status,admitted_on,national_id";
    let mapped: Value = preview(mapping).await.unwrap().json().await.unwrap();
    assert_eq!(mapped["valid"], true, "{mapped}");
    assert_eq!(stats(&app, &organizer, cell, None).await, before, "a preview writes nothing");
    let res = app
        .http
        .post(app.url(&format!("/api/v1/members/import?org_id={cell}&columns={mapping}")))
        .bearer_auth(&organizer)
        .header("content-type", "text/csv")
        .body(register.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["created"], 2);
    let after = stats(&app, &organizer, cell, None).await;
    assert_eq!((after.0, after.1), (before.0 + 1, before.1 + 1));
}

/// The secondary indexes of the members' tables, by name: a bulk load that builds them
/// again must leave exactly these.
async fn member_indexes(db: &dangvu_store::Db) -> Vec<String> {
    let sql = match db.backend() {
        dangvu_store::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('members', 'member_periods', 'member_terms') ORDER BY name"
        }
        dangvu_store::Backend::Postgres => {
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('members', 'member_periods', 'member_terms') ORDER BY indexname"
        }
    };
    db.query(sql, &[]).await.unwrap().iter().map(|r| r.text(0).unwrap()).collect()
}

/// `dangvu members import`: a file whose rows name their cells, checked whole, written in
/// one transaction, found by the search and counted by the figures afterwards.
async fn bulk_load_is_all_or_nothing_and_keeps_the_indexes(app: TestApp) {
    use dangvu_web::members::load::load_file;
    let organizer = app.login("khoi").await;
    let today = dangvu_domain::calendar::today();
    let (first, second) = ("DUK-CCQ-STC-CB01", "DUK-CCQ-STC-CB02");
    let (cell, other, bloc) = (app.org_id(first).await, app.org_id(second).await, app.org_id("DUK-CCQ").await);
    let indexes = member_indexes(&app.db).await;
    let audit = app.audit_len().await;
    let before = (stats(&app, &organizer, cell, None).await, stats(&app, &organizer, bloc, None).await);
    let file = std::env::temp_dir().join(format!("dangvu-bulk-{}-{:?}.csv", std::process::id(), app.db.backend()));
    let bad = format!(
        "\u{feff}Mã chi bộ;Họ và tên;Ngày sinh;Giới tính;Trạng thái;Ngày kết nạp;official_on;card_number\n\
         {first};Đặng Thị Bảy;1990-01-01;Nữ;chính thức;2012-05-19;2013-05-19;77001\n\
         KHONG-CO;Đường Văn Tám;31/02/1990;Nam;dự bị;2026-01-01;;77002\n\
         ;;;;;;;\n\
         \n\
         {second};Lê Văn Chín;1980-07-07;khác;dự bị;2026-01-01;2026-02-01;77003\n"
    );
    std::fs::write(&file, &bad).unwrap();
    let fields = |e: dangvu_store::StoreError| match e {
        dangvu_store::StoreError::Invalid(fields) => fields.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("{other}"),
    };
    let refused = load_file(&app.db, &file, None, today).await.map(|l| l.members);
    assert_eq!(
        fields(refused.unwrap_err()),
        ["row 3: cell", "row 3: birth_date", "row 6: gender", "row 6: official_on"],
        "every bad cell, by row (the header is row 1, and empty lines are rows) and column"
    );
    assert_eq!(app.audit_len().await, audit, "nothing was written");
    assert_eq!((stats(&app, &organizer, cell, None).await, stats(&app, &organizer, bloc, None).await), before);

    let good = bad
        .replace("KHONG-CO", second)
        .replace("31/02/1990", "28/02/1990")
        .replace("khác", "Nam")
        .replace("2026-01-01;2026-02-01", "2026-01-01;");
    std::fs::write(&file, &good).unwrap();
    let loaded = load_file(&app.db, &file, None, today).await.unwrap();
    assert_eq!(loaded.members, 3);
    assert_eq!(stats(&app, &organizer, cell, None).await, (before.0.0 + 1, before.0.1));
    assert_eq!(stats(&app, &organizer, bloc, None).await, (before.1.0 + 1, before.1.1 + 2));
    // Probationary for its first year: the past figures count it so.
    let (_, probationary) = stats(&app, &organizer, cell, Some("2013-01-01")).await;
    assert!(probationary >= 1, "the full member was probationary in 2013");
    for (q, name) in
        [("dang%20thi%20bay", "Đặng Thị Bảy"), ("duong%20tam%2077002", "Đường Văn Tám"), ("77003", "Lê Văn Chín")]
    {
        let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q={q}")).await;
        assert_eq!(found["items"][0]["full_name"], name, "{q}: {found}");
    }
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={other}&q=77002")).await;
    assert_eq!(found["items"][0]["birth_date"], "1990-02-28", "{found}");
    assert_eq!(app.audit_len().await, audit + 1, "one entry for the load");
    assert_eq!(member_indexes(&app.db).await, indexes);

    // Hundreds of rows: the records, periods and words go out in statements of different
    // sizes, and a period never reaches the engine before its member.
    let many: String = std::iter::once("full_name,birth_date,gender,status,admitted_on,official_on\n".to_owned())
        .chain((0..450).map(|i| format!("Trần Văn Số{i},1980-01-01,Nam,full,2016-01-01,2017-01-01\n")))
        .collect();
    std::fs::write(&file, many).unwrap();
    let before_many = stats(&app, &organizer, other, None).await;
    let past_before = stats(&app, &organizer, other, Some("2016-06-01")).await;
    assert_eq!(load_file(&app.db, &file, Some(second), today).await.unwrap().members, 450);
    assert_eq!(stats(&app, &organizer, other, None).await, (before_many.0 + 450, before_many.1));
    let past = stats(&app, &organizer, other, Some("2016-06-01")).await;
    assert_eq!(past, (past_before.0, past_before.1 + 450), "probationary until 2017");

    // A load larger than the registry drops the indexes of the members' tables and builds
    // them again, in the same transaction. Another connection has the file open here, as a
    // running server would: the load stays in WAL mode and readers go on.
    let sqlite = app.db.backend() == dangvu_store::Backend::Sqlite;
    let server = if sqlite { Some(dangvu_store::Db::connect(app.database_url()).await.unwrap()) } else { None };
    let mut tx = app.db.begin_bulk().await.unwrap();
    if sqlite {
        assert_eq!(journal_mode(&mut tx).await, "wal", "the file is shared");
    }
    let rows: Vec<(i64, dangvu_store::members::CheckedMember)> = dangvu_web::members::import::check_file(
        "full_name,birth_date,gender,status,admitted_on,national_id\nPhan Văn Mười,1975-03-03,Nam,full,2001-01-01,040175000010\n"
            .as_bytes(),
        false,
        None,
        today,
    )
    .unwrap()
    .into_iter()
    .map(|m| (other, m))
    .collect();
    let mut load = dangvu_store::members::BulkLoad::start(&mut tx, 10_000_000).await.unwrap();
    let mut made = load.rows();
    load.add(&mut tx, made.prepare(rows)).await.unwrap();
    if sqlite {
        // PostgreSQL makes readers of the table wait while its indexes are dropped.
        let (_, during) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q=dang%20thi%20bay")).await;
        assert_eq!(during["items"][0]["full_name"], "Đặng Thị Bảy", "readers go on during a load: {during}");
    }
    load.finish(&mut tx, made, &dangvu_store::audit::Actor::command_line(), today).await.unwrap();
    tx.commit().await.unwrap();
    drop(server);
    assert_eq!(member_indexes(&app.db).await, indexes);
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={bloc}&q=040175000010")).await;
    assert_eq!(found["items"][0]["full_name"], "Phan Văn Mười", "{found}");

    // The references are checked again once the load is over.
    let mut tx = app.db.begin().await.unwrap();
    let orphan = tx
        .execute(
            "INSERT INTO member_periods (member_id, org_id, status, valid_from) VALUES ($1, $2, 'full', '2020-01-01')",
            &[999_999_999_i64.into(), cell.into()],
        )
        .await;
    assert!(orphan.is_err(), "foreign keys are on again");
    if sqlite {
        // The writer's connection has its own settings back for the writes that follow.
        let mut setting = async |name: &str| tx.query(&format!("PRAGMA {name}"), &[]).await.unwrap()[0].int(0).unwrap();
        assert_eq!(setting("temp_store").await, 2, "temporary tables in memory");
        assert_eq!(setting("cache_size").await, -65_536);
        assert_eq!(setting("threads").await, 0);
    }
    drop(tx);
    let _ = std::fs::remove_file(&file);

    if sqlite {
        // Alone on the file, a load runs in rollback-journal mode, and WAL comes back when it
        // ends, by a commit or by a rollback.
        for commit in [false, true] {
            let mut tx = app.db.begin_bulk().await.unwrap();
            assert_eq!(journal_mode(&mut tx).await, "delete", "the load has the file to itself");
            if commit {
                tx.commit().await.unwrap();
            } else {
                drop(tx);
            }
            let mode = app.db.query("PRAGMA journal_mode", &[]).await.unwrap();
            assert_eq!(
                mode[0].text(0).unwrap(),
                "wal",
                "WAL is back after a {}",
                ["rollback", "commit"][commit as usize]
            );
        }
    }
}

async fn journal_mode(tx: &mut dangvu_store::Tx) -> String {
    tx.query("PRAGMA journal_mode", &[]).await.unwrap()[0].text(0).unwrap()
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
    // Placed as the user finds it: the spreadsheet's row, the column under the file's own heading.
    assert!(html.contains("Dòng 3, cột “birth_date”") && html.contains("Xem trước khi nhập"), "{html}");
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

/// Reliability defect 4: a value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// written as text in every CSV export (XLSX cells are typed strings already).
async fn a_csv_export_never_carries_a_formula(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let mut m = member("Lê Thị Công Thức", cell);
    m["card_number"] = json!("@SUM(1+1)");
    m["phone"] = json!("+84 912 345 678");
    let (status, body) = app.post(&organizer, "/api/v1/members", m).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let res = app
        .http
        .get(app.url(&format!("/api/v1/members/export?org_id={cell}&format=csv")))
        .bearer_auth(&organizer)
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    let line = text.lines().find(|l| l.contains("Lê Thị Công Thức")).expect("the member's line");
    let cells: Vec<&str> = line.split(',').collect();
    assert!(cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])), "{line}");
    assert!(line.contains("'@SUM(1+1)") && line.contains("'+84 912 345 678"), "{line}");
}

//! Emulation and rewards: the Party badge candidates follow party age as the rules count it and
//! the badges recorded; an award proposal runs from draft to a decision in the registry; a
//! campaign is launched, registered, reported and summed up; the demo's bloc shows its lists.

use chrono::{Days, Months, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    badge_candidates_follow_party_age_and_the_badges_recorded,
    an_award_proposal_runs_from_draft_to_a_decision,
    a_campaign_is_launched_registered_reported_and_summed_up
);

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap_or_else(|| panic!("a date: {v}")), "%Y-%m-%d").unwrap()
}

fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(years * 12)).unwrap()
}

/// A full member of the cell, admitted on `admitted`.
async fn add_member(app: &TestApp, token: &str, cell: i64, name: &str, admitted: NaiveDate) -> i64 {
    let ceremony = admitted + Days::new(15);
    let (status, m) = app
        .post(
            token,
            "/api/v1/members",
            json!({"full_name": name, "birth_date": years_before(admitted, 25).to_string(), "gender": "male",
                   "org_id": cell, "admitted_on": admitted.to_string(), "status": "full",
                   "ceremony_on": ceremony.to_string(),
                   "official_on": (ceremony.checked_add_months(Months::new(12)).unwrap()).to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m["id"].as_i64().unwrap()
}

/// member id → (milestone, reached on) of the candidates' list.
fn listed(body: &Value) -> std::collections::HashMap<i64, (u64, NaiveDate)> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items: {body}"))
        .iter()
        .map(|c| (c["member_id"].as_i64().unwrap(), (c["milestone_years"].as_u64().unwrap(), date(&c["reached_on"]))))
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.db.query_one(sql, &[]).await.unwrap().unwrap().int(0).unwrap()
}

async fn badge_candidates_follow_party_age_and_the_badges_recorded(app: TestApp) {
    let admin = app.login("admin").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let today = dangvu_domain::calendar::today();
    let (status, first) = app.get(&admin, &format!("/api/v1/orgs/{stc}/badge-candidates")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let on = date(&first["on"]);
    let days: Vec<NaiveDate> = first["award_days"].as_array().unwrap().iter().map(date).collect();
    assert_eq!(days.len(), 4);
    assert_eq!(days[0], on, "the next award day by default");
    assert!(on >= today && days.windows(2).all(|w| w[0] < w[1]));

    let exactly = add_member(&app, &admin, cell, "Nguyễn Văn Đúng Ngày", years_before(on, 30)).await;
    let day_short =
        add_member(&app, &admin, cell, "Trần Văn Thiếu Một Ngày", years_before(on, 30) + Days::new(1)).await;
    let long_ago = add_member(&app, &admin, cell, "Lê Văn Bốn Sáu Năm", years_before(on, 46)).await;
    let out_admitted = years_before(on, 31);
    let was_out = add_member(&app, &admin, cell, "Phạm Văn Gián Đoạn", out_admitted).await;
    let left = add_member(&app, &admin, cell, "Hoàng Văn Đã Ra", years_before(on, 35)).await;
    let due_now = years_before(today, 30) - Days::new(20);
    let awarded = add_member(&app, &admin, cell, "Đỗ Văn Nhận Huy Hiệu", due_now).await;
    // Two years out of the Party (lost contact, then back): the milestone moves by as many days.
    let (from, until) = (out_admitted + Days::new(3650), out_admitted + Days::new(3650 + 731));
    let (status, body) = app
        .post(
            &admin,
            &format!("/api/v1/members/{was_out}/inactive-periods"),
            json!({"from_on": from.to_string(), "until_on": until.to_string(), "reason": "lost_contact"}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .post(
            &admin,
            &format!("/api/v1/members/{left}/end"),
            json!({"kind": "resigned", "ended_on": today.to_string()}),
        )
        .await;
    assert!(status.is_success(), "{body}");

    let (_, body) = app.get(&admin, &format!("/api/v1/orgs/{stc}/badge-candidates?on={on}")).await;
    let found = listed(&body);
    let first_item = &body["items"][0];
    for field in ["member_id", "full_name", "milestone_years", "reached_on"] {
        assert!(!first_item[field].is_null(), "the contract's {field}: {first_item}");
    }
    assert_eq!(found.get(&exactly), Some(&(30, on)), "reached on the award day itself");
    assert!(!found.contains_key(&day_short), "one day short of 30 years");
    assert_eq!(found.get(&long_ago).map(|f| f.0), Some(45), "the highest milestone reached, none received");
    assert!(!found.contains_key(&was_out), "two years out: not yet 30 years of party age");
    assert!(!found.contains_key(&left), "a member who left is not listed");
    assert_eq!(found.get(&awarded), Some(&(30, due_now.checked_add_months(Months::new(360)).unwrap())));
    // The member who was out reaches 30 years the days out later.
    let reached = out_admitted.checked_add_months(Months::new(360)).unwrap() + Days::new(731);
    let (_, body) = app.get(&admin, &format!("/api/v1/orgs/{stc}/badge-candidates?on={reached}")).await;
    assert_eq!(listed(&body).get(&was_out), Some(&(30, reached)));
    let (_, body) =
        app.get(&admin, &format!("/api/v1/orgs/{stc}/badge-candidates?on={}", reached - Days::new(1))).await;
    assert!(!listed(&body).contains_key(&was_out));

    // The badge recorded: once, only when due, never for a collective; nothing written otherwise.
    let awards_before = count(&app, "SELECT COUNT(*) FROM awards").await;
    let audit_before = app.audit_len().await;
    for (recipients, field) in [
        (json!([{"member_id": day_short}]), "recipients[0]"),
        (json!([{"member_id": awarded}, {"member_id": awarded}]), "recipients[1]"),
        (json!([{"org_id": cell}]), "recipients[0]"),
        (json!([{"member_id": awarded, "milestone_years": 40}]), "recipients[0]"),
        (json!([]), "recipients"),
    ] {
        let (status, body) = app
            .post(
                &admin,
                "/api/v1/awards",
                json!({"kind": "badge", "title": "Tặng Huy hiệu Đảng", "decided_on": today.to_string(),
                       "org_id": stc, "recipients": recipients}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{recipients}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], field, "{body}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM awards").await, awards_before);
    assert_eq!(app.audit_len().await, audit_before, "a refused award writes nothing");
    let (status, award) = app
        .post(
            &admin,
            "/api/v1/awards",
            json!({"kind": "badge", "title": "Tặng Huy hiệu Đảng", "decided_on": today.to_string(), "org_id": stc,
                   "recipients": [{"member_id": awarded}, {"member_id": long_ago}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{award}");
    let badges: Vec<u64> =
        award["recipients"].as_array().unwrap().iter().map(|r| r["badge_years"].as_u64().unwrap()).collect();
    assert_eq!(badges, vec![30, 45]);
    let (status, again) = app
        .post(
            &admin,
            "/api/v1/awards",
            json!({"kind": "badge", "title": "Lần nữa", "decided_on": today.to_string(), "org_id": stc,
                   "recipients": [{"member_id": awarded, "milestone_years": 30}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    let (_, body) = app.get(&admin, &format!("/api/v1/orgs/{stc}/badge-candidates?on={on}")).await;
    let found = listed(&body);
    assert!(!found.contains_key(&awarded) && !found.contains_key(&long_ago), "received: off the list");
    assert!(found.contains_key(&exactly));
    let (status, mine) = app.get(&admin, &format!("/api/v1/members/{awarded}/awards")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["items"][0]["badge_years"], 30);
    assert_eq!(mine["items"][0]["kind"], "badge");
    let (_, of_org) = app.get(&admin, &format!("/api/v1/orgs/{cell}/awards?kind=badge")).await;
    assert!(of_org["items"].as_array().unwrap().iter().any(|a| a["id"] == award["id"]), "{of_org}");
    // The audit entry counts, it does not name.
    let (_, log) = app.get(&admin, "/api/v1/audit?limit=5").await;
    let entry = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "award.record").cloned();
    let entry = entry.unwrap_or_else(|| panic!("{log}"));
    assert_eq!(entry["after"]["members"], 2);
    assert!(!entry.to_string().contains("Nhận Huy Hiệu"), "{entry}");

    // The contract's shape: no deciding organisation named, an account of the whole tree decides
    // at the top of its scope.
    let (status, merit) = app
        .post(
            &admin,
            "/api/v1/awards",
            json!({"kind": "merit", "title": "Bằng khen", "decided_on": today.to_string(), "recipients": [{"org_id": cell}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{merit}");
    assert_eq!(merit["org_id"], app.org_id("TU-NA").await);

    // Scope and role: a cell's secretary does not read the committee above; a member reads no list.
    let bithu = app.login("bithu").await;
    let (status, _) = app.get(&bithu, &format!("/api/v1/orgs/{stc}/badge-candidates")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let dangvien = app.login("dangvien").await;
    let (status, _) = app.get(&dangvien, &format!("/api/v1/orgs/{cell}/badge-candidates")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get(&dangvien, &format!("/api/v1/members/{awarded}/awards")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The page: the days ahead, the list, its print, and the decision recorded from the ticks.
    let cookie = sign_in(&app, "admin").await;
    let (status, html) = page(&app, &cookie, &format!("/rewards/badges?org_id={stc}&on={on}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nguyễn Văn Đúng Ngày") && !html.contains("Thiếu Một Ngày"), "{html}");
    let res = app
        .http
        .get(app.url(&format!("/rewards/badges/list?org_id={stc}&on={on}&format=pdf")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    if let Some(text) = crate::petitions::pdf_text(&pdf) {
        assert!(text.contains("Nguyễn Văn Đúng Ngày") && text.contains("Huy hiệu Đảng"), "{text}");
    }
    if on == today {
        let csrf = csrf_of(&html);
        let (status, location, text) = post_form(
            &app,
            &cookie,
            "/rewards/badges",
            &[
                ("csrf", &csrf),
                ("org_id", &stc.to_string()),
                ("on", &on.to_string()),
                ("member", &exactly.to_string()),
                ("decision_number", "901-QĐ/ĐUK"),
                ("decided_on", &today.to_string()),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
        assert!(location.starts_with("/awards/"));
    } else {
        // Not reached yet on the decision day: the form says so and records nothing.
        let csrf = csrf_of(&html);
        let (status, _, text) = post_form(
            &app,
            &cookie,
            "/rewards/badges",
            &[
                ("csrf", &csrf),
                ("org_id", &stc.to_string()),
                ("on", &on.to_string()),
                ("member", &exactly.to_string()),
                ("decision_number", "901-QĐ/ĐUK"),
                ("decided_on", &today.to_string()),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains("chưa đến mốc"), "{text}");
        let registered = count(&app, "SELECT COUNT(*) FROM documents WHERE number = '901-QĐ/ĐUK'").await;
        assert_eq!(registered, 0, "the decision's document is not left behind");
    }
    let (status, html) = page(&app, &cookie, &format!("/members/{awarded}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Huy hiệu 30 năm tuổi Đảng"), "the record shows the badge");
    // The member's handbook shows the own awards and when the next badge comes.
    let cookie = sign_in(&app, "dangvien").await;
    let (status, html) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Khen thưởng, Huy hiệu Đảng") && html.contains("năm tuổi Đảng: đủ mốc ngày"), "{html}");
}

async fn an_award_proposal_runs_from_draft_to_a_decision(app: TestApp) {
    let khoi = app.login("khoi").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let today = dangvu_domain::calendar::today();
    let member_of = |parent: i64| {
        format!(
            "SELECT MIN(m.id) FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
             WHERE v.parent_id = {parent} AND m.ended_on IS NULL"
        )
    };
    let member = count(&app, &member_of(stc)).await;
    let other_unit = count(&app, &format!("SELECT MAX(org_id) FROM org_versions WHERE parent_id = {bloc} AND valid_to IS NULL AND kind = 'grassroots_committee'")).await;
    let outsider = count(&app, &member_of(other_unit)).await;

    for (body, field) in [
        (json!({"org_id": stc, "kind": "badge", "title": "Huy hiệu"}), "kind"),
        (json!({"org_id": stc, "to_org_id": cell, "kind": "certificate", "title": "Xuống dưới"}), "to_org_id"),
        (json!({"org_id": stc, "kind": "certificate", "title": " "}), "title"),
    ] {
        let (status, answer) = app.post(&khoi, "/api/v1/award-proposals", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field);
    }
    let (status, p) = app
        .post(
            &khoi,
            "/api/v1/award-proposals",
            json!({"org_id": stc, "kind": "certificate", "title": "Đề nghị tặng Giấy khen năm nay"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["to_org_id"], bloc, "to the committee above by default");
    assert_eq!(p["state"], "draft");
    let id = p["id"].as_i64().unwrap();
    let items = format!("/api/v1/award-proposals/{id}/items");
    let (status, p) =
        app.post(&khoi, &items, json!({"member_id": member, "achievement": "Hoàn thành xuất sắc nhiệm vụ"})).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    for (body, field) in [
        (json!({"member_id": member, "achievement": "Lần nữa"}), "member_id"),
        (json!({"member_id": outsider, "achievement": "Ngoài đơn vị"}), "member_id"),
        (json!({"org_id": cell, "achievement": ""}), "achievement"),
    ] {
        let (status, answer) = app.post(&khoi, &items, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
    }
    let (_, p) = app.post(&khoi, &items, json!({"org_id": cell, "achievement": "Chi bộ trong sạch, vững mạnh"})).await;
    assert_eq!((p["members"].as_i64(), p["collectives"].as_i64()), (Some(1), Some(1)), "{p}");
    let member_item = p["items"].as_array().unwrap().iter().find(|i| i["member_id"] == member).unwrap()["id"].clone();

    let steps = format!("/api/v1/award-proposals/{id}/steps");
    let (status, p) = app.post(&khoi, &steps, json!({"event": "submit"})).await;
    assert_eq!((status, p["state"].as_str()), (StatusCode::OK, Some("submitted")), "{p}");
    let (status, _) = app.post(&khoi, &items, json!({"member_id": outsider, "achievement": "Muộn"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a submitted proposal is not edited");
    let (status, answer) = app.post(&khoi, &steps, json!({"event": "return"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "returning needs a reason: {answer}");
    let (_, p) = app.post(&khoi, &steps, json!({"event": "return", "reason": "Bổ sung xếp loại"})).await;
    assert_eq!(p["state"], "returned");
    assert_eq!(p["reason"], "Bổ sung xếp loại");
    let (_, p) = app.post(&khoi, &steps, json!({"event": "submit"})).await;
    assert_eq!(p["state"], "submitted");

    // A cell's secretary is neither the unit nor the level that decides.
    let bithu = app.login("bithu").await;
    let (status, _) = app.post(&bithu, &steps, json!({"event": "decide", "decision_number": "1-QĐ/ĐUK"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let awards_before = count(&app, "SELECT COUNT(*) FROM awards").await;
    let (status, answer) = app.post(&khoi, &steps, json!({"event": "decide"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["fields"][0]["field"], "decision_number");
    let (_, p) = app.get(&khoi, &format!("/api/v1/award-proposals/{id}")).await;
    assert_eq!(p["state"], "submitted", "nothing changed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM awards").await, awards_before);
    let (status, p) = app
        .post(
            &khoi,
            &steps,
            json!({"event": "decide", "decision_number": "77-QĐ/ĐUK", "approved": [member_item],
                   "decided_on": today.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["state"], "decided");
    let award = p["award_id"].as_i64().expect("the award");
    let (status, a) = app.get(&khoi, &format!("/api/v1/awards/{award}")).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["document_number"], "77-QĐ/ĐUK");
    assert_eq!(a["kind"], "certificate");
    assert_eq!((a["members"].as_i64(), a["collectives"].as_i64()), (Some(1), Some(0)), "only the items approved");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM documents WHERE number = '77-QĐ/ĐUK'").await, 1);
    let (status, _) = app.post(&khoi, &steps, json!({"event": "withdraw"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a decided proposal is over");
    let (_, mine) = app.get(&khoi, &format!("/api/v1/members/{member}/awards")).await;
    assert!(mine["items"].as_array().unwrap().iter().any(|a| a["award_id"] == award), "{mine}");
    let (status, a) =
        app.post(&khoi, &format!("/api/v1/awards/{award}/ceremony"), json!({"held_on": today.to_string()})).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["ceremony_on"], today.to_string());

    // The figures: the decision counted once, by the level that decided and its kind.
    let (status, f) = app.get(&khoi, &format!("/api/v1/awards/stats?org_id={bloc}&from={today}&to={today}")).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let row = f["rows"].as_array().unwrap().iter().find(|r| r["org_id"] == bloc && r["kind"] == "certificate").cloned();
    let row = row.unwrap_or_else(|| panic!("{f}"));
    assert_eq!((row["individuals"].as_i64(), row["collectives"].as_i64()), (Some(1), Some(0)));
    // Seed 004's sentence is one query: the province's merit award of the demo.
    let admin = app.login("admin").await;
    let province = app.org_id("TU-NA").await;
    let (_, f) =
        app.get(&admin, &format!("/api/v1/awards/stats?org_id={province}&from=2026-01-01&to=2026-12-31")).await;
    let merit = f["rows"].as_array().unwrap().iter().find(|r| r["org_id"] == province && r["kind"] == "merit").cloned();
    let merit = merit.unwrap_or_else(|| panic!("{f}"));
    assert_eq!((merit["collectives"].as_i64(), merit["individuals"].as_i64()), (Some(23), Some(164)));
    let res = app
        .http
        .get(app.url(&format!("/api/v1/awards/report?org_id={province}&from=2026-01-01&to=2026-12-31")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));

    // The demo's bloc shows its badge candidates for the next award day, missed ones among them.
    let (_, c) = app.get(&admin, &format!("/api/v1/orgs/{bloc}/badge-candidates")).await;
    let items = c["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{c}");
    let previous_day = date(&c["on"]) - Days::new(80);
    assert!(items.iter().any(|i| date(&i["reached_on"]) < previous_day), "a member missed earlier is listed");
    // From the root the same members (the demo's registry is the bloc's), read the other way.
    let (_, all) = app.get(&admin, &format!("/api/v1/orgs/{province}/badge-candidates")).await;
    let ids = |v: &Value| v["items"].as_array().unwrap().iter().map(|i| i["member_id"].as_i64()).collect::<Vec<_>>();
    let mut from_root = ids(&all);
    let mut from_bloc = ids(&c);
    from_root.sort_unstable();
    from_bloc.sort_unstable();
    assert_eq!(from_root, from_bloc);

    // The pages of the journey answer.
    let cookie = sign_in(&app, "khoi").await;
    for path in [
        format!("/rewards?org_id={bloc}"),
        format!("/award-proposals/{id}"),
        format!("/awards/{award}"),
        format!("/rewards/figures?org_id={bloc}"),
    ] {
        let (status, html) = page(&app, &cookie, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
    }
    let (_, html) = page(&app, &cookie, &format!("/award-proposals/{id}")).await;
    assert!(html.contains("Đã quyết định"), "{html}");
}

async fn a_campaign_is_launched_registered_reported_and_summed_up(app: TestApp) {
    let khoi = app.login("khoi").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (status, answer) = app
        .post(
            &khoi,
            "/api/v1/campaigns",
            json!({"org_id": bloc, "theme": "Thi đua", "starts_on": "2027-01-01", "ends_on": "2026-12-01", "criteria": "Một"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["fields"][0]["field"], "ends_on");
    let (status, c) = app
        .post(
            &khoi,
            "/api/v1/campaigns",
            json!({"org_id": bloc, "theme": "Thi đua chào mừng đại hội đảng các cấp", "starts_on": "2026-01-01",
                   "ends_on": "2027-06-30", "criteria": "1. Đại hội đúng tiến độ\n2. Kết nạp đủ chỉ tiêu"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["state"], "open");
    assert_eq!(c["criteria"], "1. Đại hội đúng tiến độ\n2. Kết nạp đủ chỉ tiêu", "the lines are kept");
    let id = c["id"].as_i64().unwrap();
    let (status, answer) = app
        .post(&khoi, &format!("/api/v1/campaigns/{id}/results"), json!({"org_id": stc, "text": "Chưa đăng ký"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "reporting needs a registration: {answer}");
    let (status, answer) =
        app.post(&khoi, &format!("/api/v1/campaigns/{id}/units"), json!({"org_id": bloc, "text": "Chính mình"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the launcher does not register: {answer}");
    let (status, c) = app
        .post(&khoi, &format!("/api/v1/campaigns/{id}/units"), json!({"org_id": stc, "text": "Đăng ký xuất sắc"}))
        .await;
    assert_eq!((status, c["registered"].as_i64()), (StatusCode::OK, Some(1)), "{c}");
    let (_, c) = app
        .post(&khoi, &format!("/api/v1/campaigns/{id}/results"), json!({"org_id": stc, "text": "Đạt 5/5 tiêu chí"}))
        .await;
    assert_eq!(c["reported"], 1);

    // A cell's secretary below sees the campaign launched above and registers the own cell.
    let bithu = app.login("bithu").await;
    let (status, list) = app.get(&bithu, "/api/v1/campaigns").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"].as_array().unwrap().iter().any(|x| x["id"] == id), "{list}");
    let (status, c) =
        app.post(&bithu, &format!("/api/v1/campaigns/{id}/units"), json!({"text": "Chi bộ đăng ký"})).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert!(c["units"].as_array().unwrap().iter().any(|u| u["org_id"] == cell));
    let (status, _) = app
        .post(&bithu, &format!("/api/v1/campaigns/{id}/close"), json!({"summary": "Không phải cấp phát động"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = app.post(&khoi, &format!("/api/v1/campaigns/{id}/close"), json!({"summary": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, c) = app
        .post(&khoi, &format!("/api/v1/campaigns/{id}/close"), json!({"summary": "Hai đơn vị đăng ký, một báo cáo"}))
        .await;
    assert_eq!((status, c["state"].as_str()), (StatusCode::OK, Some("closed")), "{c}");
    let (status, _) = app.post(&bithu, &format!("/api/v1/campaigns/{id}/results"), json!({"text": "Muộn"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a closed campaign takes nothing more");

    // The campaign's page, and a unit outside the bloc does not read it.
    let cookie = sign_in(&app, "khoi").await;
    let (status, html) = page(&app, &cookie, &format!("/campaigns/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hai đơn vị đăng ký, một báo cáo") && html.contains("Đạt 5/5 tiêu chí"), "{html}");
    let admin = app.login("admin").await;
    let ward = app.org_id("P-TVINH").await;
    let (status, body) = app
        .post(&admin, "/api/v1/users", json!({"username": "vp.truongvinh", "password": crate::harness::PASSWORD, "role": "office", "org_id": ward}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let ward_office = app.login("vp.truongvinh").await;
    let (status, _) = app.get(&ward_office, &format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

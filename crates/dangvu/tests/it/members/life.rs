//! The life of a membership through the API: recognition, exemption and the end of
//! membership with the figures that follow; the admission pipeline with its deadlines in
//! working days, targets and report; classification; the rules and holidays as settings.

use chrono::NaiveDate;
use dangvu_domain::members::{HolidayCalendar, add_working_days};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    recognition_exemption_and_end,
    admission_pipeline_to_official_member,
    classification_by_level,
    party_age_leaves_out_the_time_out,
    admission_dates_typed_wrong_are_corrected
);

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

async fn stats(app: &TestApp, token: &str, org: i64, on: Option<&str>) -> (i64, i64) {
    let q = on.map(|d| format!("?on={d}")).unwrap_or_default();
    let (_, s) = app.get(token, &format!("/api/v1/orgs/{org}/stats{q}")).await;
    (s["members"]["full"].as_i64().unwrap(), s["members"]["probationary"].as_i64().unwrap())
}

async fn figures(app: &TestApp, token: &str, org: i64, query: &str) -> Value {
    let (status, f) = app.get(token, &format!("/api/v1/orgs/{org}/member-figures?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    f
}

fn sum(bands: &Value) -> i64 {
    bands.as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).sum()
}

async fn recognition_exemption_and_end(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (status, m) = app
        .post(
            &organizer,
            "/api/v1/members",
            json!({"full_name": "Hồ Thị Lan", "birth_date": "1996-07-02", "gender": "female", "org_id": cell,
                   "admitted_on": "2024-02-20", "ceremony_on": "2024-02-29", "status": "probationary"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let before = stats(&app, &organizer, cell, None).await;

    // Figures of the cell add up: by gender, by age band, by party-age band.
    let f = figures(&app, &organizer, cell, "").await;
    let total = f["figures"]["total"].as_i64().unwrap();
    assert_eq!(total, before.0 + before.1);
    assert_eq!(f["figures"]["male"].as_i64().unwrap() + f["figures"]["female"].as_i64().unwrap(), total);
    assert_eq!(sum(&f["figures"]["by_age"]), total);
    assert_eq!(sum(&f["figures"]["by_party_age"]), total);
    assert_eq!(f["figures"]["by_age"][0]["label"], "Dưới 31 tuổi");

    // Recognition: not before probation ends (28/02/2025); the member is official from that
    // day even though the decision came later.
    let path = format!("/api/v1/members/{id}/recognition");
    let (status, body) = app.post(&organizer, &path, json!({"decided_on": "2025-02-10"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, m) = app.post(&organizer, &path, json!({"decided_on": "2025-03-14"})).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "full");
    assert_eq!(m["official_on"], "2025-02-28");
    assert_eq!(m["probation_ends_on"], Value::Null);
    assert_eq!(stats(&app, &organizer, cell, None).await, (before.0 + 1, before.1 - 1));
    let p_before = stats(&app, &organizer, cell, Some("2025-02-27")).await;
    let p_on = stats(&app, &organizer, cell, Some("2025-02-28")).await;
    assert_eq!(p_on.0, p_before.0 + 1, "official from the end of probation");
    assert_eq!(p_on.1, p_before.1 - 1);
    let (status, _) = app.post(&organizer, &path, json!({"decided_on": "2025-03-20"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only once");
    let f = figures(&app, &organizer, cell, "from=2025-01-01&to=2025-12-31").await;
    assert!(f["flows"]["recognized"].as_i64().unwrap() >= 1);

    // Exemption needs a reason; lifting it clears it.
    let path = format!("/api/v1/members/{id}/exemption");
    let (status, body) = app.send("PUT", &path, Some(&organizer), Some(json!({"exempt": true}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["reason"]);
    let (status, m) = app
        .send(
            "PUT",
            &path,
            Some(&organizer),
            Some(json!({"exempt": true, "since": "2026-01-05", "reason": "Ốm dài ngày"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!((m["exempt"].clone(), m["exempt_since"].clone()), (json!(true), json!("2026-01-05")));
    assert_eq!(m["exempt_reason"], "Ốm dài ngày");
    assert_eq!(stats(&app, &organizer, cell, None).await, (before.0 + 1, before.1 - 1), "still counted");
    let (_, m) = app.send("PUT", &path, Some(&organizer), Some(json!({"exempt": false}))).await;
    assert_eq!((m["exempt"].clone(), m["exempt_reason"].clone()), (json!(false), Value::Null));

    // The end of membership: kind checked, the member leaves the figures from that day.
    let path = format!("/api/v1/members/{id}/end");
    let (status, body) = app.post(&organizer, &path, json!({"kind": "gone", "ended_on": "2026-02-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["kind"]);
    let (status, body) = app.post(&organizer, &path, json!({"kind": "deceased", "ended_on": "2099-01-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let audit = app.audit_len().await;
    let (status, m) = app.post(&organizer, &path, json!({"kind": "deceased", "ended_on": "2026-02-01"})).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!((m["end_kind"].clone(), m["ended_on"].clone()), (json!("deceased"), json!("2026-02-01")));
    assert_eq!(app.audit_len().await, audit + 1);
    assert_eq!(stats(&app, &organizer, cell, None).await, (before.0, before.1 - 1), "the full member left");
    assert_eq!(
        stats(&app, &organizer, cell, Some("2026-01-31")).await.0,
        stats(&app, &organizer, cell, Some("2026-02-01")).await.0 + 1
    );
    let f = figures(&app, &organizer, cell, "from=2026-01-01&to=2026-06-30").await;
    assert_eq!(f["flows"]["deceased"], 1);
    let bloc = app.org_id("DUK-CCQ").await;
    let f = figures(&app, &organizer, bloc, "from=2026-01-01&to=2026-06-30").await;
    assert_eq!(f["flows"]["deceased"], 1, "the bloc sees its cell's departures");
    // Nothing more happens to an ended membership; the record stays readable.
    let (status, _) = app.post(&organizer, &path, json!({"kind": "resigned"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .post(
            &organizer,
            &format!("/api/v1/members/{id}/transfer"),
            json!({"to_org_id": cell, "kind": "official", "effective_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get(&organizer, &format!("/api/v1/members/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = app.get(&organizer, &format!("/api/v1/members?org_id={cell}&q=ho%20thi%20lan")).await;
    assert_eq!(found["items"], json!([]), "the list holds current members");

    // A temporary transfer needs its end, 3 months to 2 years later; the receiving side confirms.
    let (_, list) = app.get(&organizer, &format!("/api/v1/members?org_id={cell}&limit=1")).await;
    let other = list["items"][0]["id"].as_i64().unwrap();
    let to = app.org_id("DUK-CCQ-STC-CB02").await;
    let path = format!("/api/v1/members/{other}/transfer");
    let (status, body) =
        app.post(&organizer, &path, json!({"to_org_id": to, "kind": "temporary", "effective_on": "2026-03-02"})).await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["until_on".to_owned()]));
    let (status, _) = app
        .post(
            &organizer,
            &path,
            json!({"to_org_id": to, "kind": "temporary", "effective_on": "2026-03-02", "until_on": "2026-04-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "under 3 months");
    let (status, body) = app
        .post(
            &organizer,
            &path,
            json!({"to_org_id": to, "kind": "temporary", "effective_on": "2026-03-02", "until_on": "2026-09-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, pending) = app.get(&organizer, &format!("/api/v1/transfers/pending?org_id={to}")).await;
    let t = pending["items"].as_array().unwrap().iter().find(|t| t["member_id"] == other).expect("pending").clone();
    assert_eq!(t["kind"], "temporary");
    assert_eq!(t["until_on"], "2026-09-01");
    // 30 working days from Monday 02/03/2026: six weeks later.
    assert_eq!(t["letter_due_on"], "2026-04-13");
    assert_eq!(t["late"], true);
    let tid = t["id"].as_i64().unwrap();
    let (status, _) =
        app.post(&organizer, &format!("/api/v1/transfers/{tid}/confirm"), json!({"confirmed_on": "2026-03-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not before the transfer");
    let (status, _) =
        app.post(&organizer, &format!("/api/v1/transfers/{tid}/confirm"), json!({"confirmed_on": "2026-03-05"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, history) = app.get(&organizer, &format!("/api/v1/members/{other}/transfers")).await;
    assert_eq!(history["items"][0]["confirmed_on"], "2026-03-05");
    assert_eq!(history["items"][0]["late"], false);
    let (_, pending) = app.get(&organizer, &format!("/api/v1/transfers/pending?org_id={to}")).await;
    assert!(pending["items"].as_array().unwrap().iter().all(|t| t["id"] != tid));
}

fn case_json(cell: i64, name: &str, birth: &str) -> Value {
    json!({"org_id": cell, "full_name": name, "birth_date": birth, "gender": "male",
           "candidate_listed_on": "2025-01-06", "course_certificate_on": "2025-02-10",
           "application_on": "2025-03-03", "introduced_on": "2025-03-10"})
}

async fn admission_pipeline_to_official_member(app: TestApp) {
    let admin = app.login("admin").await;
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let bloc = app.org_id("DUK-CCQ").await;

    // The holidays are data: the solar holidays of 2025 (30/4, 1/5, 2/9 and 1/1) and the
    // first day of Quốc khánh chosen that year (1/9).
    let mut calendar = HolidayCalendar::vietnam_fixed(2025);
    calendar.add_holiday(NaiveDate::from_ymd_opt(2025, 9, 1).unwrap());
    let days: Vec<String> = calendar.holidays.iter().map(|d| d.to_string()).collect();
    let (status, s) =
        app.send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"holidays": {"holidays": days}}))).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["holidays"]["holidays"].as_array().unwrap().len(), calendar.holidays.len());
    // Rules change field by field; unknown fields and nonsense are refused with nothing written.
    for (patch, field) in [
        (json!({"probation_month": 12}), "membership_rules.probation_month"),
        (json!({"good_min_score": 95}), "membership_rules.excellent_min_score"),
    ] {
        let (status, body) =
            app.send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"membership_rules": patch}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), [field]);
    }
    let (status, s) = app
        .send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"membership_rules": {"ceremony_working_days": 30}})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s["membership_rules"]["probation_months"], 12);
    let (status, _) = app.send("PUT", "/api/v1/settings", Some(&organizer), Some(json!({"holidays": {}}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A case opens with the dates known; the chi bộ votes on 01/04/2025.
    let mut c = case_json(cell, "Trần Văn Quý", "2000-05-01");
    c["cell_vote_on"] = json!("2025-04-01");
    let (status, a) = app.post(&organizer, "/api/v1/admissions", c).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let id = a["id"].as_i64().unwrap();
    let due = add_working_days(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), 60, &calendar);
    assert_ne!(due, add_working_days(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), 60, &HolidayCalendar::new()));
    assert_eq!(a["current"]["step"], "admission_decision");
    assert_eq!(a["current"]["due_on"], due.to_string(), "60 working days, holidays skipped");
    assert_eq!(a["state"], "late");
    let (_, late) = app.get(&organizer, &format!("/api/v1/admissions?org_id={bloc}&state=late")).await;
    assert!(late["items"].as_array().unwrap().iter().any(|x| x["id"] == id));
    assert!(late["late"].as_u64().unwrap() >= 1);
    let (_, due_list) = app.get(&organizer, &format!("/api/v1/admissions?org_id={bloc}&state=due")).await;
    assert!(due_list["items"].as_array().unwrap().iter().all(|x| x["id"] != id));
    let (_, found) = app.get(&organizer, &format!("/api/v1/admissions?org_id={bloc}&q=tran%20van%20quy")).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);

    // The rules of §4.1 on the day of the vote, every problem at once, nothing written.
    let audit = app.audit_len().await;
    let mut young = case_json(cell, "Lê Văn Nhỏ", "2008-01-15");
    young["cell_vote_on"] = json!("2025-04-01");
    young["course_certificate_on"] = json!("2019-01-01");
    let (status, body) = app.post(&organizer, "/api/v1/admissions", young).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let messages: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("Chưa đủ 18 tuổi")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("hết hạn")), "{messages:?}");
    let mut backwards = case_json(cell, "Lê Văn Ngược", "1999-01-15");
    backwards["application_on"] = json!("2024-12-01");
    let (status, body) = app.post(&organizer, "/api/v1/admissions", backwards).await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["application_on".to_owned()]));
    let (status, _) =
        app.post(&app.login("lanhdao").await, "/api/v1/admissions", case_json(cell, "X", "1999-01-01")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_len().await, audit);

    // Decision and ceremony: the person enters the registry as a probationary member.
    let report_before = app.get(&organizer, &format!("/api/v1/admissions/report?org_id={bloc}&year=2025")).await.1;
    let cell_before = stats(&app, &organizer, cell, None).await;
    let path = format!("/api/v1/admissions/{id}");
    let (status, body) = app.send("PATCH", &path, Some(&organizer), Some(json!({"ceremony_on": "2025-06-02"}))).await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["ceremony_on".to_owned()]));
    let (status, body) = app.send("PATCH", &path, Some(&organizer), Some(json!({"nonsense": 1}))).await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["nonsense".to_owned()]));
    let (status, a) = app
        .send(
            "PATCH",
            &path,
            Some(&organizer),
            Some(json!({"grassroots_resolution_on": "2025-04-20", "admission_decision_on": "2025-05-20",
                        "decision_received_on": "2025-05-22", "ceremony_on": "2025-06-02"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let member = a["member_id"].as_i64().expect("a member from the ceremony");
    // Probation ended on 02/06/2026; the chi bộ had 30 working days to review it, so the
    // recognition vote is late from mid-July 2026 on.
    let probation = a["steps"].as_array().unwrap().iter().find(|s| s["step"] == "probation").unwrap().clone();
    assert_eq!((probation["state"].clone(), probation["done_on"].clone()), (json!("done"), json!("2026-06-02")));
    assert_eq!((a["current"]["step"].clone(), a["state"].clone()), (json!("recognition_vote"), json!("late")));
    let (_, m) = app.get(&organizer, &format!("/api/v1/members/{member}")).await;
    assert_eq!((m["status"].clone(), m["admitted_on"].clone()), (json!("probationary"), json!("2025-05-20")));
    assert_eq!(m["probation_ends_on"], "2026-06-02");
    assert_eq!(stats(&app, &organizer, cell, None).await, (cell_before.0, cell_before.1 + 1));
    let (status, _) = app.send("PATCH", &path, Some(&organizer), Some(json!({"ceremony_on": "2025-06-03"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the registry holds the ceremony now");

    // The report counts the admission for its unit, against the unit's target.
    let (status, r) = app
        .send(
            "PUT",
            &format!("/api/v1/orgs/{stc}/admission-target"),
            Some(&organizer),
            Some(json!({"year": 2025, "target": 4})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (_, r) = app.get(&organizer, &format!("/api/v1/admissions/report?org_id={bloc}&year=2025")).await;
    let unit = |r: &Value| r["units"].as_array().unwrap().iter().find(|u| u["org_id"] == stc).unwrap().clone();
    assert_eq!(unit(&r)["target"], 4);
    assert_eq!(unit(&r)["admitted"].as_i64().unwrap(), unit(&report_before)["admitted"].as_i64().unwrap() + 1);
    assert_eq!(r["total"]["admitted"].as_i64().unwrap(), report_before["total"]["admitted"].as_i64().unwrap() + 1);
    let units: i64 = r["units"].as_array().unwrap().iter().map(|u| u["admitted"].as_i64().unwrap()).sum();
    assert_eq!(units, r["total"]["admitted"].as_i64().unwrap(), "every admission belongs to one unit");

    // Recognition through the case: official from the end of probation.
    let (status, body) =
        app.send("PATCH", &path, Some(&organizer), Some(json!({"recognition_vote_on": "2026-05-20"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "before probation ends: {body}");
    let (status, a) = app
        .send(
            "PATCH",
            &path,
            Some(&organizer),
            Some(json!({"recognition_vote_on": "2026-06-05", "recognition_decision_on": "2026-06-25"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["state"], "official");
    assert_eq!(a["current"], Value::Null);
    let (_, m) = app.get(&organizer, &format!("/api/v1/members/{member}")).await;
    assert_eq!((m["status"].clone(), m["official_on"].clone()), (json!("full"), json!("2026-06-02")));
    let (_, open) = app.get(&organizer, &format!("/api/v1/admissions?org_id={bloc}")).await;
    assert!(open["items"].as_array().unwrap().iter().all(|x| x["id"] != id), "no longer open");

    // A case that stops keeps its dates and takes no more steps.
    let (_, b) = app.post(&organizer, "/api/v1/admissions", case_json(cell, "Phan Văn Dừng", "1990-10-10")).await;
    let other = b["id"].as_i64().unwrap();
    let (status, b) =
        app.post(&organizer, &format!("/api/v1/admissions/{other}/close"), json!({"reason": "Chuyển công tác"})).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "closed");
    assert_eq!(b["case"]["application_on"], "2025-03-03");
    let (status, _) = app
        .send(
            "PATCH",
            &format!("/api/v1/admissions/{other}"),
            Some(&organizer),
            Some(json!({"cell_vote_on": "2025-04-01"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn classification_by_level(app: TestApp) {
    let organizer = app.login("khoi").await;
    let secretary = app.login("bithu").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let (_, list) = app.get(&organizer, &format!("/api/v1/members?org_id={cell}&limit=3")).await;
    let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();

    // All or nothing: a level above the score's is refused, and so is the whole batch.
    let audit = app.audit_len().await;
    let (status, body) = app
        .post(
            &secretary,
            "/api/v1/classifications",
            json!({"period": "2025", "entries": [{"member_id": ids[0], "score": 92}, {"member_id": ids[1], "level": "excellent", "score": 60}]}),
        )
        .await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["entries[1].level".to_owned()]));
    assert_eq!(app.audit_len().await, audit);
    let (status, body) =
        app.post(&secretary, "/api/v1/classifications", json!({"period": "2025-Q5", "entries": []})).await;
    assert_eq!((status, fields(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["period".to_owned()]));

    let (status, body) = app
        .post(
            &secretary,
            "/api/v1/classifications",
            json!({"period": "2025", "decided_on": "2025-12-20", "entries": [
                {"member_id": ids[0], "score": 92}, {"member_id": ids[1], "level": "good"},
                {"member_id": ids[2], "level": "completed", "score": 95}, {"org_id": cell, "score": 75}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["recorded"], 4);
    // The secretary's scope is the cell: the bloc is outside it.
    let (status, _) = app
        .post(
            &secretary,
            "/api/v1/classifications",
            json!({"period": "2025", "entries": [{"org_id": bloc, "level": "good"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, c) = app.get(&organizer, &format!("/api/v1/classifications?org_id={bloc}&period=2025")).await;
    assert_eq!(c["summary"]["members"], json!({"excellent": 1, "good": 1, "completed": 1, "not_completed": 0}), "{c}");
    assert_eq!(c["summary"]["orgs"]["good"], 1);
    // Recording again replaces.
    app.post(
        &organizer,
        "/api/v1/classifications",
        json!({"period": "2025", "entries": [{"member_id": ids[0], "level": "not_completed"}]}),
    )
    .await;
    let (_, c) = app.get(&organizer, &format!("/api/v1/classifications?org_id={cell}&period=2025")).await;
    assert_eq!(c["summary"]["members"], json!({"excellent": 0, "good": 1, "completed": 1, "not_completed": 1}));
    assert_eq!(c["items"].as_array().unwrap().len(), 4, "three members and the cell itself");
    let (_, other) = app.get(&organizer, &format!("/api/v1/classifications?org_id={bloc}&period=2024")).await;
    assert_eq!(other["summary"]["members"]["good"], 0);
}

/// Party age counts from the first admission decision minus the periods out; a member
/// re-admitted once, after 36 months out, keeps the first date and starts a new probation.
async fn party_age_leaves_out_the_time_out(app: TestApp) {
    use dangvu_domain::members::{InactivePeriod, party_age};
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (status, m) = app
        .post(
            &organizer,
            "/api/v1/members",
            json!({"full_name": "Trương Văn Gián", "birth_date": "1985-04-01", "gender": "male", "org_id": cell,
                   "admitted_on": "2010-03-15", "ceremony_on": "2010-03-20", "official_on": "2011-03-20",
                   "status": "full"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let today = dangvu_domain::calendar::today();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let age_months =
        |m: &Value| m["party_age"]["years"].as_i64().unwrap() * 12 + m["party_age"]["months"].as_i64().unwrap();
    let first = age_months(&m);

    // Two years out of contact (731 days) take 24 months off, give or take the day.
    let periods = format!("/api/v1/members/{id}/inactive-periods");
    let (status, m) = app
        .post(
            &organizer,
            &periods,
            json!({"from_on": "2015-01-01", "until_on": "2017-01-01", "reason": "lost_contact"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    let gap = [InactivePeriod { from: d("2015-01-01"), until: Some(d("2017-01-01")) }];
    let expected = party_age(d("2010-03-15"), &gap, today);
    assert_eq!(m["party_age"]["years"], expected.years, "{m}");
    assert_eq!(m["party_age"]["months"], expected.months);
    assert!((23..=25).contains(&(first - age_months(&m))), "{first} then {m}");
    assert_eq!(m["inactive_periods"][0]["reason"], "lost_contact");

    for (bad, field) in [
        (json!({"from_on": "2016-06-01", "until_on": "2016-09-01", "reason": "lost_contact"}), "from_on"),
        (json!({"from_on": "2009-01-01", "until_on": "2009-09-01", "reason": "lost_contact"}), "from_on"),
        (json!({"from_on": "2018-01-01", "until_on": "2017-09-01", "reason": "lost_contact"}), "until_on"),
        (json!({"from_on": "2018-01-01", "reason": "on_holiday"}), "reason"),
    ] {
        let (status, body) = app.post(&organizer, &periods, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), [field], "{body}");
    }
    // The member is counted once in the party-age bands, from the age proper.
    let f = figures(&app, &organizer, cell, "").await;
    assert_eq!(sum(&f["figures"]["by_party_age"]), f["figures"]["total"].as_i64().unwrap());

    // Expelled in 2020, re-admitted: not before 36 months out, then once only.
    let flows = async |from: &str, to: &str| {
        figures(&app, &organizer, cell, &format!("from={from}&to={to}")).await["flows"].clone()
    };
    let (in_2020, in_2024) = (flows("2020-01-01", "2020-12-31").await, flows("2024-01-01", "2024-12-31").await);
    // The year the member became a full member, before leaving.
    let (_, before) = app.get(&organizer, &format!("/api/v1/members/{id}")).await;
    let official_year = before["official_on"].as_str().expect("a full member")[..4].to_owned();
    let recognition_year = async || flows(&format!("{official_year}-01-01"), &format!("{official_year}-12-31")).await;
    let recognized_then = recognition_year().await;
    assert!(recognized_then["recognized"].as_i64().unwrap() >= 1, "{recognized_then}");
    let (status, _) = app
        .post(&organizer, &format!("/api/v1/members/{id}/end"), json!({"kind": "expelled", "ended_on": "2020-06-01"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let ended = stats(&app, &organizer, cell, None).await;
    let readmit = format!("/api/v1/members/{id}/readmission");
    let (status, body) =
        app.post(&organizer, &readmit, json!({"decision_on": "2022-01-10", "ceremony_on": "2022-01-20"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["decision_on"]);
    assert!(body.to_string().contains("01/06/2023"), "says when: {body}");
    let (status, m) =
        app.post(&organizer, &readmit, json!({"decision_on": "2024-02-01", "ceremony_on": "2024-02-15"})).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "probationary");
    assert_eq!(m["admitted_on"], "2010-03-15", "the first decision stays");
    assert_eq!(m["ceremony_on"], "2024-02-15");
    assert_eq!(m["probation_ends_on"], "2025-02-15");
    assert_eq!(m["readmissions"], 1);
    // The dates of two memberships are not corrected as one.
    let (status, body) = app
        .send(
            "PUT",
            &format!("/api/v1/members/{id}/admission-dates"),
            Some(&organizer),
            Some(json!({"admitted_on": "2010-03-01", "ceremony_on": "2024-02-15", "basis": "Hồ sơ gốc"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["admitted_on"], "{body}");
    assert_eq!(m["inactive_periods"][1]["reason"], "expelled");
    let gaps = [gap[0], InactivePeriod { from: d("2020-06-01"), until: Some(d("2024-02-01")) }];
    let expected = party_age(d("2010-03-15"), &gaps, today);
    assert_eq!(
        (m["party_age"]["years"].as_u64(), m["party_age"]["months"].as_u64()),
        (Some(expected.years.into()), Some(expected.months.into()))
    );
    assert_eq!(stats(&app, &organizer, cell, None).await, (ended.0, ended.1 + 1), "back as probationary");
    // The 2020 departure stays in 2020's figures; the return counts in 2024's, apart from
    // first admissions.
    let n = |f: &Value, k: &str| f[k].as_i64().unwrap();
    let (now_2020, now_2024) = (flows("2020-01-01", "2020-12-31").await, flows("2024-01-01", "2024-12-31").await);
    assert_eq!(n(&now_2020, "expelled"), n(&in_2020, "expelled") + 1, "{now_2020}");
    assert_eq!(n(&now_2024, "readmitted"), n(&in_2024, "readmitted") + 1, "{now_2024}");
    assert_eq!(n(&now_2024, "admitted"), n(&in_2024, "admitted"), "{now_2024}");
    // The first recognition as a full member stays in its year's figures, though the
    // re-admitted member is probationary again.
    assert_eq!(recognition_year().await["recognized"], recognized_then["recognized"]);
    let (_, then) = app.get(&organizer, &format!("/api/v1/orgs/{cell}/stats?on=2022-01-01")).await;
    let (_, later) = app.get(&organizer, &format!("/api/v1/orgs/{cell}/stats?on=2024-03-01")).await;
    assert!(then["members"]["probationary"].is_i64() && later["members"]["probationary"].is_i64());

    let (status, _) = app
        .post(&organizer, &format!("/api/v1/members/{id}/end"), json!({"kind": "resigned", "ended_on": "2024-06-01"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        app.post(&organizer, &readmit, json!({"decision_on": "2026-01-05", "ceremony_on": "2026-01-10"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("tối đa 1 lần"), "{body}");

    // A period recorded in error is removed and party age counts it again.
    let period_id = m["inactive_periods"][0]["id"].as_i64().unwrap();
    let (status, m) = app.send("DELETE", &format!("{periods}/{period_id}"), Some(&organizer), None).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["inactive_periods"].as_array().unwrap().len(), 1);
    let (status, _) = app.send("DELETE", &format!("{periods}/{period_id}"), Some(&organizer), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// An organizer imported a member a year late: the dates are corrected on the basis of the
/// original decision, party age and the past figures follow, and a wrong correction is
/// refused whole with every field named.
async fn admission_dates_typed_wrong_are_corrected(app: TestApp) {
    let organizer = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let other = app.org_id("DUK-CCQ-STC-CB02").await;
    let before_her = stats(&app, &organizer, cell, Some("2013-01-01")).await;
    let (status, m) = app
        .post(
            &organizer,
            "/api/v1/members",
            json!({"full_name": "Lê Thị Nhầm", "birth_date": "1988-02-29", "gender": "female", "org_id": cell,
                   "admitted_on": "2012-05-10", "ceremony_on": "2012-05-20", "official_on": "2013-05-20",
                   "status": "full"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let months =
        |m: &Value| m["party_age"]["years"].as_i64().unwrap() * 12 + m["party_age"]["months"].as_i64().unwrap();
    let age_before = months(&m);
    let (in_2011, in_2013) = (
        stats(&app, &organizer, cell, Some("2011-12-01")).await,
        stats(&app, &organizer, cell, Some("2013-01-01")).await,
    );
    // Registered as a full member, she was still probationary on 1 January 2013.
    assert_eq!(in_2013, (before_her.0, before_her.1 + 1));
    let url = format!("/api/v1/members/{id}/admission-dates");

    // Everything wrong at once, nothing written.
    let (status, body) = app
        .send(
            "PUT",
            &url,
            Some(&organizer),
            Some(json!({"admitted_on": "2099-01-01", "ceremony_on": "31/02/2012", "official_on": "2011-01-01", "basis": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["ceremony_on"], "unreadable dates first: {body}");
    let (status, body) = app
        .send(
            "PUT",
            &url,
            Some(&organizer),
            Some(json!({"admitted_on": "2099-01-01", "ceremony_on": "2012-05-20", "official_on": "2012-01-01", "basis": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut named = fields(&body);
    named.sort();
    named.dedup();
    assert_eq!(named, ["admitted_on", "basis", "ceremony_on", "official_on"], "{body}");
    let (_, same) = app.get(&organizer, &format!("/api/v1/members/{id}")).await;
    assert_eq!(same["admitted_on"], "2012-05-10");

    let basis = "Quyết định kết nạp số 123-QĐ/ĐU ngày 10/5/2011 (hồ sơ gốc)";
    let (status, m) = app
        .send(
            "PUT",
            &url,
            Some(&organizer),
            Some(json!({"admitted_on": "2011-05-10", "ceremony_on": "2011-05-20", "official_on": "2012-05-20", "basis": basis})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!((m["admitted_on"].as_str(), m["official_on"].as_str()), (Some("2011-05-10"), Some("2012-05-20")));
    assert_eq!(months(&m), age_before + 12, "{m}");
    assert_eq!(m["status"], "full", "the status stays");
    // On 1 December 2011 the member was already in the cell, probationary; on 1 January
    // 2013 already full.
    assert_eq!(stats(&app, &organizer, cell, Some("2011-12-01")).await, (in_2011.0, in_2011.1 + 1));
    assert_eq!(stats(&app, &organizer, cell, Some("2013-01-01")).await, (in_2013.0 + 1, in_2013.1 - 1));
    let logged: i64 = app
        .db
        .query_one(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'member.correct_admission' AND entity_id = $1",
            dangvu_store::params![id],
        )
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(logged, 1);

    // After a transfer, the admission cannot move past it: the earlier cell would lose its days.
    let (status, body) = app
        .post(
            &organizer,
            &format!("/api/v1/members/{id}/transfer"),
            json!({"to_org_id": other, "kind": "official", "effective_on": "2020-01-01"}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .send(
            "PUT",
            &url,
            Some(&organizer),
            Some(json!({"admitted_on": "2020-02-01", "ceremony_on": "2020-02-01", "official_on": "2021-02-01", "basis": basis})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["admitted_on"], "{body}");
    assert!(body.to_string().contains("01/01/2020"), "says which date: {body}");
}

both_backends!(pages_of_membership_work);

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

    // Figures of the bloc: the 5.112 members of seed 003, plus the one just admitted (with the thousands dot).
    let (status, html) = page(&app, &organizer, &format!("/figures?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dd>5.113</dd>") && html.contains("Dưới 31 tuổi") && html.contains("Từ trần"), "{html}");

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

//! Party dues: a member's months follow the regulation in force each month (QĐ 342, then
//! 01-QĐ/TW and its 2028 step), the basis declared, the region of the cell's area, fifty years
//! of party age and the decisions recorded; payments are checked and recorded all or none; a
//! cell's month and a subtree's report add up, with what each level keeps and passes up; the
//! member reads only the own dues.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::dues::Month;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    a_members_months_follow_the_rule_in_force_and_the_decisions,
    payments_are_checked_and_recorded_all_or_none,
    a_cells_month_and_the_report_of_a_subtree_add_up
);

async fn add_member(app: &TestApp, token: &str, cell: i64, name: &str, admitted: NaiveDate) -> i64 {
    let (status, m) = app
        .post(
            token,
            "/api/v1/members",
            json!({"full_name": name, "birth_date": NaiveDate::from_ymd_opt(admitted.year() - 25, 4, 2).unwrap().to_string(),
                   "gender": "female", "org_id": cell,
                   "admitted_on": admitted.to_string(), "status": "full"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m["id"].as_i64().unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send("PUT", path, Some(token), Some(body)).await
}

/// month → (due, paid, exempt) of a member's year.
fn months(body: &Value) -> std::collections::BTreeMap<String, (i64, i64, bool)> {
    body["months"]
        .as_array()
        .unwrap_or_else(|| panic!("months: {body}"))
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_owned(),
                (m["due"].as_i64().unwrap(), m["paid"].as_i64().unwrap(), m["exempt"].as_bool().unwrap()),
            )
        })
        .collect()
}

async fn a_members_months_follow_the_rule_in_force_and_the_decisions(app: TestApp) {
    let admin = app.login("admin").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let member = add_member(&app, &admin, cell, "Võ Thị Đảng Phí", NaiveDate::from_ymd_opt(2001, 7, 15).unwrap()).await;
    let (status, body) = put(
        &app,
        &admin,
        &format!("/api/v1/members/{member}/dues-basis"),
        json!({"from": "2025-06", "category": "insured", "base": 8_765_430}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, year) = app.get(&admin, &format!("/api/v1/members/{member}/dues?year=2026")).await;
    assert_eq!(status, StatusCode::OK, "{year}");
    let m = months(&year);
    assert_eq!(m.len(), 12);
    // 1 % of the insured salary, rounded to the đồng, under both regulations.
    assert_eq!(m["2026-01"], (87_654, 0, false));
    assert_eq!(m["2026-02"], (87_654, 0, false));
    assert_eq!(year["months"][0]["regulation"], "qd342");
    assert_eq!(year["months"][1]["regulation"], "qd01");
    // Every month over and unpaid counts (all of 2026 before this month).
    let today = dangvu_domain::calendar::today();
    let over = if today.year() > 2026 {
        12
    } else if today.year() == 2026 {
        today.month0()
    } else {
        0
    };
    assert_eq!(year["unpaid_months"], over, "{year}");

    // A hardship reduction of 50 % for three months; a basis from July replaces the salary.
    let (status, e) = app
        .post(&admin, &format!("/api/v1/members/{member}/dues/exemptions"),
            json!({"kind": "hardship", "percent": 50, "from": "2026-04", "until": "2026-06", "reference": "QĐ 3-QĐ/ĐU"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let stc = app.org_id("DUK-CCQ-STC").await;
    assert_eq!(e["decided_by"], stc, "the committee above the cell decides: {e}");
    let (status, _) = put(
        &app,
        &admin,
        &format!("/api/v1/members/{member}/dues-basis"),
        json!({"from": "2026-07", "category": "pensioner", "base": 6_000_000}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, year) = app.get(&admin, &format!("/api/v1/members/{member}/dues?year=2026")).await;
    let m = months(&year);
    assert_eq!(m["2026-03"].0, 87_654);
    assert_eq!(m["2026-05"].0, 43_827);
    assert_eq!(m["2026-07"].0, 30_000);

    // A hardship decision longer than twelve months, or without an end, is refused.
    for bad in [
        json!({"kind": "hardship", "percent": 30, "from": "2026-01", "until": "2027-01", "reference": "x"}),
        json!({"kind": "hardship", "percent": 30, "from": "2026-01", "reference": "x"}),
        json!({"kind": "social_pension", "percent": 50, "from": "2026-01", "reference": "x"}),
    ] {
        let (status, body) = app.post(&admin, &format!("/api/v1/members/{member}/dues/exemptions"), bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // An insured basis needs its salary.
    let (status, body) = put(
        &app,
        &admin,
        &format!("/api/v1/members/{member}/dues-basis"),
        json!({"from": "2026-08", "category": "insured"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "base", "{body}");

    // No basis declared: the other members' share of the regional minimum wage of the cell's
    // area, region IV set on the cell; 0.3 % in 2026, 0.5 % from 2028.
    let other =
        add_member(&app, &admin, cell, "Lê Văn Chưa Kê Khai", NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()).await;
    let (status, body) = put(&app, &admin, &format!("/api/v1/orgs/{cell}/dues-unit"), json!({"region": 4})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, y26) = app.get(&admin, &format!("/api/v1/members/{other}/dues?year=2026")).await;
    assert_eq!(months(&y26)["2026-03"].0, 11_100, "{y26}");
    let (_, y28) = app.get(&admin, &format!("/api/v1/members/{other}/dues?year=2028")).await;
    assert_eq!(months(&y28)["2028-03"].0, 18_500, "{y28}");
    let (status, body) = put(&app, &admin, &format!("/api/v1/orgs/{cell}/dues-unit"), json!({"region": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Fifty years of party age exempt from the month they are reached (QĐ 01 only).
    let veteran =
        add_member(&app, &admin, cell, "Hồ Văn Năm Mươi Năm", NaiveDate::from_ymd_opt(1976, 5, 10).unwrap()).await;
    let (_, body) = app.get(&admin, &format!("/api/v1/members/{veteran}/dues?year=2026")).await;
    let m = months(&body);
    assert!(!m["2026-04"].2 && m["2026-04"].0 > 0, "{body}");
    assert_eq!(m["2026-05"], (0, 0, true), "{body}");
    assert_eq!(body["exempt_from"], "2026-05-10");
    // Before the admission nothing is due.
    let (_, body) = app.get(&admin, &format!("/api/v1/members/{member}/dues?year=2001")).await;
    assert_eq!(months(&body)["2001-06"].0, 0);
    assert!(months(&body)["2001-07"].0 > 0);

    // The dues rules are settings: a region out of range is refused under its name.
    let (status, body) = put(&app, &admin, "/api/v1/settings", json!({"dues_rules": {"default_region": 9}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "dues_rules.default_region", "{body}");
    let (status, body) = put(&app, &admin, "/api/v1/settings", json!({"dues_rules": {"student_amount": 6000}})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["dues_rules"]["student_amount"], 6000);
}

async fn payments_are_checked_and_recorded_all_or_none(app: TestApp) {
    let admin = app.login("admin").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let today = dangvu_domain::calendar::today();
    let admitted = NaiveDate::from_ymd_opt(today.year() - 3, 3, 1).unwrap();
    let member = add_member(&app, &admin, cell, "Phan Văn Nộp Tiền", admitted).await;
    let this = Month::of(today);
    let last = this.plus(-1);
    let pay = |month: Month, amount: i64, method: &str, reference: Option<&str>| json!({"month": month.to_string(), "amount": amount, "paid_on": today.to_string(), "method": method, "reference": reference});
    let path = format!("/api/v1/members/{member}/dues/payments");
    let (status, p) = app.post(&admin, &path, pay(last, 15_000, "cash", None)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["month"], last.to_string());
    let (status, p) = app.post(&admin, &path, pay(this, 15_000, "portal", Some("DVC-123"))).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");

    let before = app.audit_len().await;
    let refused = [
        (pay(last, 0, "cash", None), "amount"),
        (pay(last, 15_000, "portal", None), "reference"),
        (pay(this, 15_000, "portal", Some("DVC-123")), "reference"),
        (pay(Month::of(admitted).plus(-1), 15_000, "cash", None), "month"),
        (pay(this.plus(13), 15_000, "cash", None), "month"),
        (pay(last, 15_000, "gold", None), "method"),
    ];
    for (body, field) in refused {
        let (status, answer) = app.post(&admin, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
    }
    // A batch with one bad line writes nothing.
    let (status, body) = app
        .post(
            &admin,
            &format!("/api/v1/orgs/{cell}/dues/payments"),
            json!({"month": last.to_string(), "paid_on": today.to_string(),
            "payments": [{"member_id": member, "amount": 1000}, {"member_id": member, "amount": -5}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "payments[1].amount", "{body}");
    assert_eq!(app.audit_len().await, before, "nothing refused is written");
    let (_, year) = app.get(&admin, &format!("/api/v1/members/{member}/dues?year={}", last.year())).await;
    assert_eq!(months(&year)[&last.to_string()].1, 15_000, "{year}");

    // The member reads the own dues and nobody else's, and records nothing.
    let own = app.login("dangvien").await;
    let (_, me) = app.get(&own, "/api/v1/me").await;
    let mine = me["user"]["member_id"].as_i64().unwrap_or_else(|| panic!("{me}"));
    let (status, body) = app.get(&own, &format!("/api/v1/members/{mine}/dues")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.get(&own, &format!("/api/v1/members/{member}/dues")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        app.post(&own, &format!("/api/v1/members/{mine}/dues/payments"), pay(this, 1000, "cash", None)).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
    // In the handbook: the member's own year in its shell; another member's page is not found.
    let cookie = sign_in(&app, "dangvien").await;
    let (status, html) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("my-dues") && html.contains("/me/dues"), "{html}");
    let (status, html) = page(&app, &cookie, "/me/dues").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("dues-months") && html.contains("Sổ tay đảng viên"), "{html}");
    let (status, _) = page(&app, &cookie, &format!("/members/{member}/dues")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The own record, as the registry holds it, in the handbook.
    let (status, html) = page(&app, &cookie, "/me/record").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("my-record") && html.contains("Tuổi đảng") && html.contains("Sổ tay đảng viên"), "{html}");
    // The office's pages do not exist for a member: typing their address finds nothing.
    for path in ["/members", "/orgs", "/dues", "/rewards", "/tasks", "/settings", &format!("/members/{mine}")] {
        let (status, html) = page(&app, &cookie, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {html}");
    }
    // A reader records nothing; an account of another subtree sees nothing.
    let viewer = app.login("lanhdao").await;
    let (status, _) = app.get(&viewer, &format!("/api/v1/members/{member}/dues")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.post(&viewer, &path, pay(this, 1000, "cash", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let secretary = app.login("bithu").await;
    let other_cell = app.org_id("DUK-CCQ-STC-CB02").await;
    let (status, _) = app.get(&secretary, &format!("/api/v1/orgs/{other_cell}/dues")).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
}

async fn a_cells_month_and_the_report_of_a_subtree_add_up(app: TestApp) {
    let secretary = app.login("bithu").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let today = dangvu_domain::calendar::today();
    let this = Month::of(today);
    let (status, book) = app.get(&secretary, &format!("/api/v1/orgs/{cell}/dues")).await;
    assert_eq!(status, StatusCode::OK, "{book}");
    let lines = book["items"].as_array().unwrap();
    assert!(!lines.is_empty());
    // The demo: half the cell has paid this month; the treasurer records the rest in one go.
    let unpaid: Vec<Value> = lines
        .iter()
        .filter(|l| l["paid"].as_i64() < l["due"].as_i64())
        .map(|l| json!({"member_id": l["member_id"], "amount": l["due"].as_i64().unwrap() - l["paid"].as_i64().unwrap()}))
        .collect();
    assert!(!unpaid.is_empty(), "{book}");
    let (status, body) = app
        .post(
            &secretary,
            &format!("/api/v1/orgs/{cell}/dues/payments"),
            json!({"month": this.to_string(), "paid_on": today.to_string(), "method": "cash", "payments": unpaid}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), unpaid.len());
    let (_, book) = app.get(&secretary, &format!("/api/v1/orgs/{cell}/dues?month={this}")).await;
    assert!(book["items"].as_array().unwrap().iter().all(|l| l["paid"].as_i64() >= l["due"].as_i64()), "{book}");

    // What the books read by year is what the payments say, the demo's bulk and the sittings.
    let kept_by_year = app
        .db
        .query_one(
            "SELECT CAST(SUM(m01 + m02 + m03 + m04 + m05 + m06 + m07 + m08 + m09 + m10 + m11 + m12) AS BIGINT)
             FROM dues_paid_years",
            &[],
        )
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    let recorded = app
        .db
        .query_one("SELECT CAST(SUM(amount) AS BIGINT) FROM dues_payments", &[])
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(kept_by_year, recorded);

    // The report of the grassroots committee: the units add up, the committee keeps 70 % of all
    // its subtree collected (its cells' 30 % included) and passes 30 % up.
    let admin = app.login("admin").await;
    let stc = app.org_id("DUK-CCQ-STC").await;
    let period = today.year().to_string();
    let (status, r) = app.get(&admin, &format!("/api/v1/orgs/{stc}/dues-report?period={period}")).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let n = |v: &Value| v.as_i64().unwrap_or_else(|| panic!("a number: {v}"));
    assert!(n(&r["members"]) > 0 && n(&r["paid"]) > 0 && n(&r["due"]) > 0, "{r}");
    let units = r["units"].as_array().unwrap();
    assert_eq!(units.iter().map(|u| n(&u["paid"])).sum::<i64>(), n(&r["paid"]));
    assert_eq!(units.iter().map(|u| n(&u["members"])).sum::<i64>(), n(&r["members"]));
    assert_eq!(n(&r["kept"]) + n(&r["remitted"]), n(&r["paid"]));
    let paid = n(&r["paid"]);
    assert_eq!(n(&r["remitted"]), paid - (paid * 7000 + 5000) / 10_000, "{r}");
    // One in 41 paid nothing since September: the cell reviews them (never removed).
    assert!(n(&r["members_in_arrears"]) > 0);
    let arrears = r["arrears"].as_array().unwrap();
    assert_eq!(arrears.len() as i64, n(&r["members_in_arrears"]));
    if today.month() >= 12 {
        assert!(arrears.iter().any(|a| a["needs_review"] == true), "{r}");
    }
    // The bloc's report counts what the grassroots pass up; the province's what the bloc does.
    let bloc = app.org_id("DUK-CCQ").await;
    let (_, rb) = app.get(&admin, &format!("/api/v1/orgs/{bloc}/dues-report?period={period}")).await;
    assert!(n(&rb["paid"]) > paid && n(&rb["kept"]) + n(&rb["remitted"]) == n(&rb["paid"]), "{rb}");
    for bad in ["2026-Q5", "2026-13", "abc"] {
        let (status, body) = app.get(&admin, &format!("/api/v1/orgs/{stc}/dues-report?period={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    // The secretary reads the own cell's report, not the committee's.
    let (status, _) = app.get(&secretary, &format!("/api/v1/orgs/{cell}/dues-report")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get(&secretary, &format!("/api/v1/orgs/{stc}/dues-report")).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");

    // The pages: the report, the cell's book with the sitting form, the member's year.
    let cookie = sign_in(&app, "bithu").await;
    let (status, html) = page(&app, &cookie, &format!("/dues?org_id={cell}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Báo cáo thu, nộp đảng phí") && html.contains("dues-totals"), "{html}");
    let (status, html) = page(&app, &cookie, &format!("/dues/book?org_id={cell}&month={}", this.plus(-1))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("dues-book"), "{html}");
    let csrf = csrf_of(&html);
    let line = lines.iter().find(|l| l["due"].as_i64() > Some(0)).unwrap();
    let id = line["member_id"].as_i64().unwrap().to_string();
    let (status, html) = page(&app, &cookie, &format!("/members/{id}/dues")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("dues-months"), "{html}");
    // Ticking a member with an amount of nothing answers the form with the reason.
    let month = this.plus(-1).to_string();
    let amount_field = format!("amount_{id}");
    let (status, _, html) = post_form(
        &app,
        &cookie,
        "/dues/book",
        &[
            ("csrf", &csrf),
            ("org_id", &cell.to_string()),
            ("month", &month),
            ("paid_on", &today.to_string()),
            ("method", "cash"),
            ("member", &id),
            (&amount_field, "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Số tiền từ 1 đến"), "{html}");
}

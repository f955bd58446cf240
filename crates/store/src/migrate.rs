//! Schema migrations, kept per engine where the SQL differs (vaultwarden's layout).

use crate::{Backend, Db, StoreError};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "directives",
        sqlite: include_str!("../migrations/sqlite/0002_directives.sql"),
        postgres: include_str!("../migrations/postgres/0002_directives.sql"),
    },
    Migration {
        version: 3,
        name: "task_followup",
        sqlite: include_str!("../migrations/sqlite/0003_task_followup.sql"),
        postgres: include_str!("../migrations/postgres/0003_task_followup.sql"),
    },
    Migration {
        version: 4,
        name: "members",
        sqlite: include_str!("../migrations/sqlite/0004_members.sql"),
        postgres: include_str!("../migrations/postgres/0004_members.sql"),
    },
    Migration {
        version: 5,
        name: "membership_life",
        sqlite: include_str!("../migrations/sqlite/0005_membership_life.sql"),
        postgres: include_str!("../migrations/postgres/0005_membership_life.sql"),
    },
    Migration {
        version: 6,
        name: "party_age",
        sqlite: include_str!("../migrations/sqlite/0006_party_age.sql"),
        postgres: include_str!("../migrations/postgres/0006_party_age.sql"),
    },
    Migration {
        version: 7,
        name: "cell_meetings",
        sqlite: include_str!("../migrations/sqlite/0007_cell_meetings.sql"),
        postgres: include_str!("../migrations/postgres/0007_cell_meetings.sql"),
    },
    Migration {
        version: 8,
        name: "cell_meeting_topics",
        sqlite: include_str!("../migrations/sqlite/0008_cell_meeting_topics.sql"),
        postgres: include_str!("../migrations/postgres/0008_cell_meeting_topics.sql"),
    },
    Migration {
        version: 9,
        name: "cell_meeting_tasks",
        sqlite: include_str!("../migrations/sqlite/0009_cell_meeting_tasks.sql"),
        postgres: include_str!("../migrations/postgres/0009_cell_meeting_tasks.sql"),
    },
    Migration {
        version: 10,
        name: "cell_meeting_files",
        sqlite: include_str!("../migrations/sqlite/0010_cell_meeting_files.sql"),
        postgres: include_str!("../migrations/postgres/0010_cell_meeting_files.sql"),
    },
    Migration {
        version: 11,
        name: "member_terms",
        sqlite: include_str!("../migrations/sqlite/0011_member_terms.sql"),
        postgres: include_str!("../migrations/postgres/0011_member_terms.sql"),
    },
    Migration {
        version: 12,
        name: "recognition_kept",
        sqlite: include_str!("../migrations/sqlite/0012_recognition_kept.sql"),
        postgres: include_str!("../migrations/postgres/0012_recognition_kept.sql"),
    },
    Migration {
        version: 13,
        name: "members_indexes_unused",
        sqlite: include_str!("../migrations/sqlite/0013_members_indexes_unused.sql"),
        postgres: include_str!("../migrations/postgres/0013_members_indexes_unused.sql"),
    },
    Migration {
        version: 14,
        name: "members_search_covers_the_walk",
        sqlite: include_str!("../migrations/sqlite/0014_members_search_covers_the_walk.sql"),
        postgres: include_str!("../migrations/postgres/0014_members_search_covers_the_walk.sql"),
    },
    Migration {
        version: 15,
        name: "import_drafts",
        sqlite: include_str!("../migrations/sqlite/0015_import_drafts.sql"),
        postgres: include_str!("../migrations/postgres/0015_import_drafts.sql"),
    },
    Migration {
        version: 16,
        name: "elections",
        sqlite: include_str!("../migrations/sqlite/0016_elections.sql"),
        postgres: include_str!("../migrations/postgres/0016_elections.sql"),
    },
    Migration {
        version: 17,
        name: "congresses",
        sqlite: include_str!("../migrations/sqlite/0017_congresses.sql"),
        postgres: include_str!("../migrations/postgres/0017_congresses.sql"),
    },
    Migration {
        version: 18,
        name: "congress_delegates",
        sqlite: include_str!("../migrations/sqlite/0018_congress_delegates.sql"),
        postgres: include_str!("../migrations/postgres/0018_congress_delegates.sql"),
    },
    Migration {
        version: 19,
        name: "after_the_count",
        sqlite: include_str!("../migrations/sqlite/0019_after_the_count.sql"),
        postgres: include_str!("../migrations/postgres/0019_after_the_count.sql"),
    },
    Migration {
        version: 20,
        name: "personnel",
        sqlite: include_str!("../migrations/sqlite/0020_personnel.sql"),
        postgres: include_str!("../migrations/postgres/0020_personnel.sql"),
    },
    Migration {
        version: 21,
        name: "personnel_plans",
        sqlite: include_str!("../migrations/sqlite/0021_personnel_plans.sql"),
        postgres: include_str!("../migrations/postgres/0021_personnel_plans.sql"),
    },
    Migration {
        version: 22,
        name: "nominations",
        sqlite: include_str!("../migrations/sqlite/0022_nominations.sql"),
        postgres: include_str!("../migrations/postgres/0022_nominations.sql"),
    },
    Migration {
        version: 23,
        name: "petitions",
        sqlite: include_str!("../migrations/sqlite/0023_petitions.sql"),
        postgres: include_str!("../migrations/postgres/0023_petitions.sql"),
    },
    Migration {
        version: 24,
        name: "rewards",
        sqlite: include_str!("../migrations/sqlite/0024_rewards.sql"),
        postgres: include_str!("../migrations/postgres/0024_rewards.sql"),
    },
    Migration {
        version: 25,
        name: "dues",
        sqlite: include_str!("../migrations/sqlite/0025_dues.sql"),
        postgres: include_str!("../migrations/postgres/0025_dues.sql"),
    },
    Migration {
        version: 26,
        name: "task_bodies",
        sqlite: include_str!("../migrations/sqlite/0026_task_bodies.sql"),
        postgres: include_str!("../migrations/postgres/0026_task_bodies.sql"),
    },
];

/// Creates or upgrades the schema; safe to run twice and from several servers at once.
/// Answers the versions it applied.
pub async fn migrate(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin().await?;
    if tx.backend() == Backend::Postgres {
        // Two servers starting together must not both apply the same migration.
        tx.query("SELECT pg_advisory_xact_lock(7001001)", &[]).await?;
    }
    tx.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await?;
    let done: Vec<i64> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_, _>>()?;
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        let sql = match tx.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        tx.batch(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            crate::params![m.version, m.name, crate::now_micros()],
        )
        .await?;
        applied.push(m.version);
    }
    tx.commit().await?;
    Ok(applied)
}

/// True when every known migration has been applied.
pub async fn is_current(db: &Db) -> Result<bool, StoreError> {
    let rows = db.query("SELECT MAX(version) FROM schema_migrations", &[]).await?;
    let latest = rows.first().map(|r| r.opt_int(0)).transpose()?.flatten();
    Ok(latest == MIGRATIONS.last().map(|m| m.version))
}

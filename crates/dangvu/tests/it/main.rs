//! Every integration test in one binary (one link step on a 2-core machine).
//! Each test runs against SQLite and PostgreSQL, on a fresh database of its own.

mod harness;
mod input;

mod accounts;
mod audit;
mod backup;
mod browser;
mod cell_meetings;
mod cli;
mod congresses;
mod contract;
mod delegates;
mod dues;
mod elections;
mod elections_after;
mod members;
mod orgs;
mod pages;
mod personnel;
mod petitions;
mod rewards;
mod scope;
mod task_units;
mod tasks;
mod todo;
mod vietnamese;

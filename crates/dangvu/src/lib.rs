//! The `dangvu` binary's library: the demo province and the server runner, shared by
//! the command line, the integration tests and the benchmarks.
#![forbid(unsafe_code)]

pub mod demo;
pub mod server;

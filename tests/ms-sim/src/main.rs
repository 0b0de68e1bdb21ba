//! `ms-sim`: runs one or more simulated Management Servers on loopback.

fn main() {}

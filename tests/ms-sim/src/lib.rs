//! A Management Server simulator (see the project's ms-api notes).

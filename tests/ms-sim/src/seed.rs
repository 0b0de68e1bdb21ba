//! Builds a deterministic estate from a seed (ChaCha8: the same seed gives the same
//! rows on every platform and release).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::SimConfig;
use crate::estate::SimEstate;
use crate::model::{
    Agent, CloudStorageAccount, DemoUser, Device, Group, Job, S3Settings, StorageServer, Tenant,
    User,
};

const CUSTOMERS: &[&str] = &[
    "Northwind Traders",
    "Contoso Dental",
    "Margie's Travel",
    "Fabrikam Legal",
    "Adatum Clinic",
    "Tailspin Toys",
    "Litware Accounting",
    "Proseware Logistics",
    "Wingtip Architects",
    "Woodgrove Pharmacy",
    "Fourth Coffee",
    "Alpine Ski House",
    "Coho Winery",
    "Blue Yonder Freight",
    "Humongous Insurance",
    "Lucerne Publishing",
];
const CHILD_GROUPS: &[&str] = &["Servers", "Workstations", "Laptops", "Branch Office"];
const MACHINE_ROLES: &[&str] = &["DC", "FS", "SQL", "WS", "LT", "APP", "HV"];
const CLIENT_TYPES: &[&str] = &["PC", "Server", "BusinessEssentials"];
const VERSIONS: &[&str] = &["20.1.1011.1", "20.1.1108.1", "21.0.812.1", "21.1.1010.1"];
const SYSTEMS: &[&str] = &[
    "Windows Server 2019 Standard",
    "Windows Server 2022 Standard",
    "Windows 10 Pro",
    "Windows 11 Pro",
];
const JOB_TYPES: &[&str] = &[
    "Files and Folders",
    "Image",
    "SQL Server",
    "Hyper-V",
    "Exchange",
];
const GB: i64 = 1 << 30;

/// Demo credentials: (user name, password). The first sees every tenant, the second the
/// first half of them, the third the rest.
pub(crate) const DEMO_CREDENTIALS: [(&str, &str); 3] = [
    ("admin", "demo-admin"),
    ("tech-north", "demo-north"),
    ("tech-south", "demo-south"),
];

fn guid(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

fn slug(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

struct Ids {
    group: i64,
    agent: i64,
    device: i64,
    job: i64,
    account: i64,
}

pub(crate) fn build(config: &SimConfig, now: DateTime<Utc>) -> SimEstate {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut ids = Ids {
        group: 1,
        agent: 1001,
        device: 5001,
        job: 20001,
        account: 3001,
    };
    let storage_servers = vec![
        StorageServer {
            storage_server_id: 901,
            name: "Storage East".into(),
            url: "https://storage-east.example.net".into(),
            kind: "NovaBACKUP Storage Server".into(),
        },
        StorageServer {
            storage_server_id: 902,
            name: "Storage West".into(),
            url: "https://s3.storage-west.example.net".into(),
            kind: "S3 Compatible".into(),
        },
    ];
    let mut e = SimEstate {
        seed: config.seed,
        now,
        tenants: vec![],
        groups: vec![],
        agents: vec![],
        devices: vec![],
        jobs: vec![],
        runs: vec![],
        cloud_storage_accounts: vec![],
        storage_servers,
        users: vec![],
        demo_users: vec![],
        customer_health: vec![],
        unavailable_logs: Default::default(),
        group_tenant: HashMap::new(),
        agent_tenant: HashMap::new(),
    };
    let mut s3_compatible_seen = 0usize;
    for t in 0..config.tenants {
        let base = CUSTOMERS[t % CUSTOMERS.len()];
        let name = if t < CUSTOMERS.len() {
            base.to_string()
        } else {
            format!("{base} {}", t / CUSTOMERS.len() + 1)
        };
        let tenant_id = guid(&mut rng);
        let root = ids.group;
        ids.group += 1;
        e.groups.push(Group {
            group_id: root,
            group_name: name.clone(),
            description: Some(format!("Customer {name}")),
            parent_group_id: None,
            tenant_id: tenant_id.clone(),
            default: false,
        });
        e.group_tenant.insert(root, t);
        let mut tenant_groups = vec![root];
        for c in 0..rng.random_range(1..=3usize) {
            let id = ids.group;
            ids.group += 1;
            e.groups.push(Group {
                group_id: id,
                group_name: CHILD_GROUPS[c % CHILD_GROUPS.len()].to_string(),
                description: None,
                parent_group_id: Some(root),
                tenant_id: tenant_id.clone(),
                default: c == 0,
            });
            e.group_tenant.insert(id, t);
            tenant_groups.push(id);
        }
        let mut accounts = vec![];
        for a in 0..rng.random_range(1..=3usize) {
            let id = ids.account;
            ids.account += 1;
            accounts.push(id);
            let quota = GB * rng.random_range(1..=20i64) * 50;
            let used = match a % 3 {
                0 => quota / 100 * rng.random_range(5..=80i64),
                1 => quota / 100 * rng.random_range(85..=110i64),
                _ => 0,
            };
            let percent = (used as f64 * 1000.0 / quota as f64).round() / 10.0;
            let calculated_days = if rng.random_bool(0.3) {
                rng.random_range(8..40i64)
            } else {
                rng.random_range(0..3i64)
            };
            e.cloud_storage_accounts.push(CloudStorageAccount {
                cloud_storage_account_id: id,
                display_type: "CloudStorageAccount".into(),
                group_id: root,
                group_name: name.clone(),
                user_name: format!("{}-{}", slug(&name), a + 1),
                backup_client_license_key: format!(
                    "NB-{:05}-{:05}-{:05}",
                    rng.random_range(0..100_000),
                    rng.random_range(0..100_000),
                    id
                ),
                storage_server_id: e.storage_servers[a % e.storage_servers.len()].storage_server_id,
                used_bytes: used,
                used_bytes_last_calculation_completed: (used > 0).then(|| {
                    now - Duration::days(calculated_days)
                        - Duration::minutes(rng.random_range(0..1440))
                }),
                free_bytes: (quota - used).max(0),
                quota_bytes: quota,
                quota_percent: percent,
                quota_status: match percent {
                    p if p > 100.0 => "OVER",
                    p if p >= 100.0 => "AT",
                    p if p >= 85.0 => "NEAR",
                    p if p > 0.0 => "BELOW",
                    _ => "NONE",
                }
                .into(),
                enabled: a != 2,
                account_status: if a == 2 { "Pending" } else { "Active" }.into(),
                number_of_computers: 0,
                last_backup_date: (used > 0)
                    .then(|| now - Duration::minutes(rng.random_range(10..60 * 24 * 3))),
                expiration_date: None,
            });
        }
        for a in 0..config.agents_per_tenant {
            let agent_id = ids.agent;
            ids.agent += 1;
            let role = pick(&mut rng, MACHINE_ROLES);
            let machine = format!("{}-{role}{:02}", slug(&name).to_uppercase(), a + 1);
            let stale = rng.random_bool(0.25);
            let activity = if stale {
                now - Duration::hours(rng.random_range(26..30 * 24))
            } else {
                now - Duration::minutes(rng.random_range(0..600))
            };
            e.agents.push(Agent {
                agent_id,
                agent_guid: guid(&mut rng),
                friendly_name: format!("{name} {role} {:02}", a + 1),
                machine_name: machine,
                ip_address: format!("10.{}.{}.{}", t % 250, a / 250, a % 250 + 2),
                connected: !stale && rng.random_bool(0.8),
                backup_client_type: pick(&mut rng, CLIENT_TYPES).into(),
                backup_client_version_number: pick(&mut rng, VERSIONS).into(),
                group_id: *tenant_groups.choose(&mut rng).unwrap_or(&root),
                last_activity_date: activity,
                last_backup_date: None,
                last_backup_status: None,
                operating_system: pick(&mut rng, SYSTEMS).into(),
            });
            e.agent_tenant.insert(agent_id, t);
            let mut agent_devices = vec![];
            // Even agents always have a second device, an S3-compatible one.
            let device_count = rng
                .random_range(1..=3usize)
                .max(if a % 2 == 0 { 2 } else { 1 });
            for d in 0..device_count {
                let device_id = ids.device;
                ids.device += 1;
                agent_devices.push(device_id);
                let kind = match d {
                    0 => 0,
                    1 if a % 2 == 0 => 1,
                    _ => rng.random_range(0..5usize),
                };
                let (odata_type, display_type, dname) = match kind {
                    0 => ("#Devices.LocalDevice", "Local", "Local Disk E:"),
                    1 | 2 => (
                        "#Devices.AmazonS3CompatibleDevice",
                        "AmazonS3Compatible",
                        "Cloud Storage",
                    ),
                    3 => ("#Devices.AmazonS3Device", "AmazonS3", "Amazon S3"),
                    _ => ("#Devices.NetworkDevice", "Network", "NAS Share"),
                };
                let s3 = match kind {
                    1 | 2 => {
                        s3_compatible_seen += 1;
                        // The 2nd, 7th, 12th... have no account; the 4th, 9th, 14th...
                        // point at an account that does not exist.
                        let account = match s3_compatible_seen % 5 {
                            2 => None,
                            4 => Some(999_000 + device_id),
                            _ => accounts.choose(&mut rng).copied(),
                        };
                        Some(S3Settings {
                            cloud_storage_account_id: account,
                            bucket_name: format!("nb-{}-{device_id}", slug(&name)),
                            url: e.storage_servers[1].url.clone(),
                        })
                    }
                    3 => Some(S3Settings {
                        cloud_storage_account_id: None,
                        bucket_name: format!("backup-{}", slug(&name)),
                        url: "https://s3.amazonaws.com".into(),
                    }),
                    _ => None,
                };
                let size = (!rng.random_bool(0.2)).then(|| GB * rng.random_range(100..4000i64));
                e.devices.push(Device {
                    odata_type: odata_type.into(),
                    agent_device_id: device_id,
                    agent_id,
                    display_type: display_type.into(),
                    name: dname.into(),
                    size,
                    free_space: size.map(|s| s / 100 * rng.random_range(2..90i64)),
                    status: if rng.random_bool(0.9) {
                        "Online"
                    } else {
                        "Offline"
                    }
                    .into(),
                    status_updated: now - Duration::minutes(rng.random_range(1..60 * 24 * 7)),
                    s3,
                });
            }
            for j in 0..rng.random_range(1..=3usize) {
                let managed = (a + j) % 3 != 2;
                let job_type = pick(&mut rng, JOB_TYPES);
                let job_id = managed.then(|| {
                    ids.job += 1;
                    ids.job - 1
                });
                e.jobs.push(Job {
                    job_id,
                    schedule_id: guid(&mut rng),
                    agent_id,
                    name: format!("{job_type} backup {}", j + 1),
                    job_type: job_type.into(),
                    enabled: rng.random_bool(0.9),
                    schedule_description: format!("Daily at {:02}:00", rng.random_range(0..24)),
                    agent_device_id: agent_devices.choose(&mut rng).copied(),
                });
            }
        }
        e.tenants.push(Tenant {
            index: t,
            tenant_id,
            name: name.clone(),
            root_group_id: root,
        });
        e.users.push(User {
            user_id: guid(&mut rng),
            user_name: format!("{}-owner", slug(&name)),
            email_address: format!("owner@{}.example.com", slug(&name)),
            enabled: true,
            is_approved: true,
            is_locked_out: t % 4 == 3,
            is_online: false,
            last_login_date: Some(now - Duration::hours(rng.random_range(1..24 * 40))),
            role_id: 3,
            group_id: Some(root),
        });
    }
    for account in &mut e.cloud_storage_accounts {
        account.number_of_computers = e
            .devices
            .iter()
            .filter(|d| {
                d.s3.as_ref().and_then(|s| s.cloud_storage_account_id)
                    == Some(account.cloud_storage_account_id)
            })
            .map(|d| d.agent_id)
            .collect::<std::collections::BTreeSet<_>>()
            .len() as i64;
    }
    crate::job_runs::build(config, now, &mut rng, &mut e);
    build_demo_users(&mut rng, &mut e);
    e
}

fn build_demo_users(rng: &mut ChaCha8Rng, e: &mut SimEstate) {
    let all: Vec<String> = e.tenants.iter().map(|t| t.tenant_id.clone()).collect();
    let half = all.len().div_ceil(2);
    let scopes = [all.clone(), all[..half].to_vec(), all[half..].to_vec()];
    for (i, ((name, password), scope)) in DEMO_CREDENTIALS.iter().zip(scopes).enumerate() {
        e.demo_users.push(DemoUser {
            user_name: (*name).into(),
            password: (*password).into(),
            is_admin: i == 0,
            tenant_ids: scope,
        });
        let user = User {
            user_id: guid(rng),
            user_name: (*name).into(),
            email_address: format!("{name}@msp.example.com"),
            enabled: true,
            is_approved: true,
            is_locked_out: false,
            is_online: i == 0,
            last_login_date: Some(e.now - Duration::minutes(rng.random_range(1..600))),
            role_id: if i == 0 { 1 } else { 2 },
            group_id: None,
        };
        e.users.insert(i, user);
    }
}
